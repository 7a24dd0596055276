import Foundation

/// Any `RandomLearner` (a Swift learner per seed through `SeededLearner`, or a program in
/// another language through `CommandLearner`) as a subject, measured by
/// `LearnerInvarianceProbe`: exact evidence run by run where it exists, otherwise the ensembles'
/// distributions (`FiniteVerdict`).
///
/// No layers, so no prediction. A `CommandLearner` reproduces with `symmetry-probe probe`.
public struct RandomLearnerSubject<Learner: RandomLearner>: InvarianceSubject {
  /// The learner measured.
  public let learner: Learner
  /// The probe that measures it (seeds, margin, jobs).
  public var probe: LearnerInvarianceProbe
  /// Columns of the seeded standard-normal training targets.
  public var outputs = 2

  /// `learner` measured by `probe`.
  public init(
    _ learner: Learner,
    probe: LearnerInvarianceProbe = LearnerInvarianceProbe(seeds: 8, maxSeeds: 32)
  ) {
    self.learner = learner
    self.probe = probe
  }

  public var subjectName: String { learner.name }

  public func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]
  {
    let measured = try probe.measure(
      learner, under: [element], train: images.train,
      targets: images.randomTargets(outputs: outputs, seed: probe.seed), test: images.test)
    let (algorithmic, functional) = measured.distributional
    let rule = String(
      format:
        "exact run by run at %.0e / %.0e, else ensembles over %d pairs: rho within margin %.2f or not, alpha %.2f",
      VerdictThresholds.prediction.roundOff, VerdictThresholds.prediction.effectFloor,
      measured.algorithmic.pairs, probe.margin, probe.alpha)
    return [
      InvarianceReading(
        quantity: "predictions",
        algorithmicDeviation: measured.algorithmicDeviation,
        functionalDeviation: measured.functionalDeviation,
        algorithmic: Self.verdict(
          FiniteVerdict(exact: measured.algorithmicExact, distributional: algorithmic)),
        functional: Self.verdict(
          FiniteVerdict(exact: measured.functionalExact, distributional: functional)),
        rule: rule,
        note: String(
          format: "ensemble distance rho: algorithmic %.3f, functional %.3f",
          measured.algorithmic.worst.effect, measured.functional.worst.effect))
    ]
  }

  /// A break shown run by run is a break, whatever the ensembles say.
  static func verdict(_ finite: FiniteVerdict) -> Verdict {
    switch finite {
    case .invariant: return .invariant
    case .notInvariant, .brokenButClose, .brokenUndecided: return .notInvariant
    case .inconclusive, .conflicting: return .inconclusive
    case .noSignal: return .noSignal
    }
  }

  public func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    nil
  }

  public func reproduceCommand(action: String, images: ProbeImages) -> String? {
    guard let command = learner as? CommandLearner else { return nil }
    return
      "swift run -c release symmetry-probe probe --action \(action) --learner '\(command.template)' "
      + images.toolOptions
  }
}
