import Foundation

/// A finite network of an architecture, trained by an optimiser from i.i.d. Gaussian
/// initialisation, as a subject.
///
/// - algorithmic (f_{g.S}(g x) = f_S(x) in distribution over initialisations): by weight
///   transport when g lifts to the parameters (`TransportProbe`: two trainings that coincide up
///   to round-off exactly when the optimiser commutes with the transport); when it does not
///   lift, by the ensemble probe (`EnsembleInvarianceProbe`: `seeds` centred networks per arm,
///   doubling up to 4 x `seeds` while undecided, margin 0.1, alpha 0.05);
/// - functional (f_S(g x) = f_S(x)): one trained network's predictions at g x* against x*.
///
/// Predictions come from the layers' rules for the optimiser's regime (`LearnerRegime`): Adam
/// keeps only coordinate permutations. Training uses seeded standard-normal targets with
/// `outputs` columns, since an invariance holds for every training set.
public struct FiniteSubject: InvarianceSubject {
  /// The architecture the networks are built from.
  public var architecture: Architecture
  /// Channels of every hidden layer.
  public var width: Int
  /// The optimiser that trains every network (its regime decides the predicted verdicts).
  public var optimizer: Optimizer
  /// Optimiser steps per training.
  public var steps: Int
  /// Networks per ensemble arm at the first look, used only when g does not lift.
  public var seeds: Int
  /// The seed of the initialisations, the training targets and the ensembles' streams.
  public var seed: UInt64
  /// Columns of the seeded standard-normal training targets.
  public var outputs = 2

  /// Two trainings that coincide mathematically agree to round-off of about 1e-15 per step,
  /// amplified mildly by stable dynamics: 1e-10 leaves room for a few hundred steps. An
  /// optimiser that breaks the transport (Adam under a rotation), or an action that changes a
  /// network's function, moves outputs by O(1e-1) relative amounts on real and random images;
  /// 1e-3 is seven orders above round-off and two below those breaks.
  public static let thresholds = try! VerdictThresholds(roundOff: 1e-10, effectFloor: 1e-3)

  /// A subject training `architecture` at `width` by `optimizer` for `steps` steps.
  public init(
    _ architecture: Architecture, width: Int = 8,
    optimizer: Optimizer = .gradientDescent(learningRate: 0.5),
    steps: Int = 20, seeds: Int = 8, seed: UInt64 = 0
  ) {
    self.architecture = architecture
    self.width = width
    self.optimizer = optimizer
    self.steps = steps
    self.seeds = seeds
    self.seed = seed
  }

  public var subjectName: String {
    "\(architecture.compactSpec) (finite, width \(width), \(optimizer), \(steps) steps)"
  }

  public func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]
  {
    let targets = images.randomTargets(outputs: outputs, seed: seed)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: images.train.shape, width: width, outputs: outputs,
      seed: seed)
    let trained = try network.trained(
      on: images.train, targets: targets, optimizer: optimizer, steps: steps, seed: seed
    ).network
    let functional = relativeDeviation(
      try trained.predictions(element.apply(to: images.test)).storage,
      try trained.predictions(images.test).storage)
    let transport = try TransportProbe(optimizer: optimizer, steps: steps, batchSeed: seed).measure(
      network, under: element, train: images.train, targets: targets, test: images.test)
    let functionalVerdict = Verdict(deviation: functional, thresholds: Self.thresholds)
    let rule =
      "invariant at or below \(short(Self.thresholds.roundOff)), not invariant above \(short(Self.thresholds.effectFloor))"
    if let deviation = transport.deviation {
      return [
        InvarianceReading(
          quantity: "predictions", algorithmicDeviation: deviation, functionalDeviation: functional,
          algorithmic: Verdict(deviation: deviation, thresholds: Self.thresholds),
          functional: functionalVerdict,
          rule: rule
            + " (algorithmic: weight transport, trained on g.S from theta and on S from T_g theta)")
      ]
    }
    var probe = EnsembleInvarianceProbe(
      architecture: architecture, width: width, optimizer: optimizer, steps: steps, seeds: seeds,
      seed: seed)
    probe.workers = 1
    let testTargets = try Matrix(rows: images.test.count, columns: outputs)
    let cell = try probe.measure(
      under: [element], train: images.train, targets: targets, test: images.test,
      testTargets: testTargets)
    let worst = cell.worst
    let algorithmic: Verdict
    switch cell.verdict {
    case .equal: algorithmic = .invariant
    case .notEqual: algorithmic = .notInvariant
    case .inconclusive: algorithmic = .inconclusive
    case .noSignal: algorithmic = .noSignal
    }
    return [
      InvarianceReading(
        quantity: "predictions", algorithmicDeviation: worst.effect,
        functionalDeviation: functional,
        algorithmic: algorithmic, functional: functionalVerdict,
        rule: rule
          + " (functional); algorithmic: ensemble distance rho "
          + intervalText(
            worst.effect, lower: worst.interval[0], upper: worst.interval[1], decimals: 3)
          + String(
            format: " over %d pairs, equal within margin %.2f or not at alpha %.2f", cell.pairs,
            worst.margin, cell.alpha),
        note: "the action does not lift to the parameters: \(transport.reason ?? "")")
    ]
  }

  public func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    try architecture.predictedInvariance(
      under: element, on: shape, regime: LearnerRegime(optimizer))
  }

  public func reproduceCommand(action: String, images: ProbeImages) -> String? {
    var command =
      "swift run -c release symmetry-probe train --layers \"\(architecture.compactSpec)\" --action \(action) "
      + "--optimizer \(optimizer.name) --lr \(optimizer.learningRate) --width \(width) --steps \(steps) --seeds \(seeds) "
      + images.toolOptions
    if let batch = optimizer.batchSize { command += " --batch \(batch)" }
    // This subject's ensembles compare at the test images; `train` compares Adam at coordinate
    // probes unless told otherwise.
    if case .adam = optimizer { command += " --probes natural" }
    return command
  }
}
