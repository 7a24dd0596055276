import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// Plots of empty or degenerate results finish and say so, instead of looping on log10(0).
@Suite("Plots of empty results")
struct PlotRobustnessTests {
  /// Learning curves measured only under a pixel permutation: a plot of natural-image curves
  /// selects no points (the `curves --actions pixel-permutation` case that used to hang).
  static func curvesWithoutNaturalImages() throws -> LearningCurves {
    var experiment = LearningCurveExperiment()
    experiment.dataSet = .digits
    experiment.size = 4
    experiment.architectures = [.fcn]
    experiment.kinds = [.nngp]
    experiment.dataActions = [try CurveAction(parsing: "pixel-permutation")]
    experiment.trainSizes = [16]
    experiment.testCount = 10
    experiment.repeats = 1
    return try experiment.run()
  }

  @Test(
    "A learning-curve plot that selects no points finishes and says it has no points",
    arguments: [LearningCurves.Metric.mse, .accuracy])
  func emptyCurvePlot(metric: LearningCurves.Metric) throws {
    let curves = try Self.curvesWithoutNaturalImages()
    let svg = curves.svg(metric, title: "natural images") { $0.action == "none" }
    #expect(svg.hasPrefix("<svg"))
    #expect(svg.contains("no points"))
    #expect(!svg.contains("nan") && !svg.contains("inf"))
  }

  @Test(
    "A learning-curve plot with points draws finite coordinates only",
    arguments: [LearningCurves.Metric.mse, .accuracy])
  func nonEmptyCurvePlot(metric: LearningCurves.Metric) throws {
    let curves = try Self.curvesWithoutNaturalImages()
    let svg = curves.svg(metric, title: "permuted images")
    #expect(svg.contains("<polyline"))
    #expect(!svg.contains("no points"))
    #expect(!svg.contains("nan") && !svg.contains("inf"))
  }

  @Test("A forest plot with an infinite interval end finishes, its axis set by the finite ends")
  func forestPlotWithInfiniteInterval() throws {
    var job = FiniteInvarianceJob()
    job.architecture = .fcn
    job.action = OrthogonalFamily()
    job.size = 4
    job.trainCount = 16
    job.testCount = 20
    job.width = 4
    job.steps = 5
    job.seeds = 3
    job.maxSeeds = 3
    var report = try job.run()
    report.ensembleInterval = [0, .infinity]
    let svg = FiniteInvarianceGrid.svg([report])
    #expect(svg.hasSuffix("</svg>"))
    #expect(!svg.contains("nan"))
  }
}
