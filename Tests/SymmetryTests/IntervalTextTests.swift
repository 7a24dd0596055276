import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// Intervals in every report (curves, claims, the probe and ensemble reports, `verdict`, the
/// SymmetryTesting summaries) print as wide as they are: a narrow interval of
/// nonzero width never prints as a point, and an exact claim's nonzero bound never as zero.
@Suite("Interval text: narrow intervals keep distinct ends")
struct IntervalTextTests {
  /// Two repeats whose losses follow m^(-alpha) exactly, with exponents 0.08520 and 0.08521:
  /// the t interval (12.71 standard errors) is [0.08514, 0.08527], the width of the CNN-GAP
  /// NNGP orthogonal-data exponent of docs/figures/curves that printed as [0.085, 0.085].
  private func narrowFit() throws -> ScalingFit {
    let sizes = [16, 32, 64, 128]
    let losses = [0.08520, 0.08521].map { alpha in sizes.map { pow(Double($0), -alpha) } }
    return try #require(try ScalingFit.fit(sizes: sizes, losses: losses))
  }

  /// The ends of "estimate [lower, upper]" as printed.
  private func printedEnds(_ text: String) throws -> (String, String) {
    let inner = try #require(text.split(separator: "[").last?.split(separator: "]").first)
    let ends = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    try #require(ends.count == 2, "\(text)")
    return (ends[0], ends[1])
  }

  @Test("An exponent interval of width 1.3e-4 prints with distinct ends, not as [0.085, 0.085]")
  func narrowExponentInterval() throws {
    let fit = try narrowFit()
    #expect(fit.lower < fit.upper && fit.upper - fit.lower < 2e-4, "\(fit)")
    #expect(fit.summary == "0.0852 [0.0851, 0.0853]", "\(fit.summary)")
    let (lower, upper) = try printedEnds(fit.summary)
    #expect(lower != upper, "\(fit.summary)")
  }

  @Test("A wide exponent interval keeps three decimals")
  func wideExponentInterval() throws {
    let sizes = [16, 32, 64]
    let losses = [0.5, 0.7].map { alpha in sizes.map { pow(Double($0), -alpha) } }
    let fit = try #require(try ScalingFit.fit(sizes: sizes, losses: losses))
    #expect(fit.summary == "0.600 [-0.671, 1.871]", "\(fit.summary)")
  }

  @Test("The curves table prints every exponent as its fit's summary")
  func curvesTableUsesSummary() throws {
    var experiment = LearningCurveExperiment()
    experiment.dataSet = .digits
    experiment.size = 4
    experiment.architectures = [.fcn]
    experiment.kinds = [.nngp]
    experiment.dataActions = [.none]
    experiment.trainSizes = [16, 32, 64]
    experiment.testCount = 10
    experiment.repeats = 2
    let curves = try experiment.run()
    let table = curves.table(markdown: true)
    for key in curves.curves {
      let fit = try #require(curves.scaling(key))
      #expect(table.contains("| \(fit.summary) |"), "\(fit.summary) not in\n\(table)")
    }
  }

  private func result(effect: Double, interval: [Double]) -> ClaimResult {
    ClaimResult(
      claim: "A beats B", id: "x", scale: .small, effectDescription: "acc(A) - acc(B)",
      effect: effect, interval: interval, repeats: 10, margin: 0, direction: .positive,
      verdict: .held, minimumDetectableEffect: 0.01)
  }

  @Test("A claim interval of width 2e-5 prints with distinct ends, not as [+0.0027, +0.0027]")
  func narrowClaimInterval() throws {
    let summary = result(effect: 0.00271, interval: [0.00270, 0.00272]).summary
    #expect(summary == "+0.00271 [+0.00270, +0.00272]", "\(summary)")
    let (lower, upper) = try printedEnds(summary)
    #expect(lower != upper)
  }

  @Test("A claim interval wider than 1e-4 keeps four decimals")
  func ordinaryClaimInterval() {
    #expect(
      result(effect: 0.0153, interval: [0.0077, 0.0229]).summary == "+0.0153 [+0.0077, +0.0229]")
  }

  @Test("An exact claim's nonzero bound prints as itself, a zero bound as zero")
  func exactBound() {
    #expect(
      result(effect: 1.2e-14, interval: [1.2e-14, 1.2e-14]).summary
        == "+1.20e-14 [+1.20e-14, +1.20e-14]")
    #expect(result(effect: 0, interval: [0, 0]).summary == "+0.0000 [+0.0000, +0.0000]")
  }

  @Test(
    "The probe report prints a rho interval of width 8e-6 with distinct ends in its text, Markdown and forest plot"
  )
  func probeReportNarrowInterval() throws {
    let data = try ExperimentData.load(.cifar10, size: 4, trainCount: 16, testCount: 8)
    let fcn = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    let learner = SeededLearner(name: "FCN NNGP regression") { _ in
      KernelRegressionLearner(fcn, kind: .nngp, diagReg: 1e-4)
    }
    let element = try OrthogonalFamily().element(for: data.train.images.shape, seed: 2)
    let measurement = try LearnerInvarianceProbe(seeds: 3, maxSeeds: 3, seed: 1, jobs: 1).measure(
      learner, under: [element], train: data.train.images,
      targets: data.train.centredOneHotTargets, test: data.test.images)
    var report = LearnerInvarianceReport(
      learner: learner.name, action: "\(element)", data: "", seed: 1, measurement: measurement)
    // At the reports' former fixed decimals (4 in text, 3 in Markdown and the plot) these ends
    // printed as [0.0851, 0.0851] and [0.085, 0.085].
    report.algorithmic.effect = 0.085146
    report.algorithmic.interval = [0.085141, 0.085149]
    #expect(report.text().contains("worst rho 0.08515 [0.08514, 0.08515]"), "\(report.text())")
    #expect(report.markdown().contains("| 0.08515 | [0.08514, 0.08515] |"), "\(report.markdown())")
    #expect(report.svg().contains("0.08515 [0.08514, 0.08515]"))
  }
}
