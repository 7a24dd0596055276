import Foundation
import Learners
import Symmetries

/// Several `FiniteInvarianceJob`s in one run: every architecture x action x optimiser cell of
/// lists, with the same width, steps, seeds, data and seed for every cell (the decision rule is
/// fixed in advance and never tuned per cell), and a table of the verdicts. The cells form one
/// family: their distributional verdicts are decided together by Holm's procedure
/// (`DistributionalVerdict.decide`), so the chance that any cell's verdict is wrong is at most
/// alpha (5%).
public struct FiniteInvarianceGrid: Sendable {
  /// The settings every cell shares; its architecture, action and optimiser are replaced.
  public var template: FiniteInvarianceJob
  /// The named architectures, one row each.
  public var architectures: [NamedArchitecture]
  /// Layer lists run as architectures of their own, after the named ones.
  public var customArchitectures: [Architecture]
  /// The action families, one column each.
  public var actions: [any ActionFamily]
  /// The optimisers; every (architecture, action) cell runs with each.
  public var optimizers: [Optimizer]

  /// The grid of every architecture x action x optimiser, each cell otherwise as `template`.
  public init(
    template: FiniteInvarianceJob, architectures: [NamedArchitecture],
    customArchitectures: [Architecture] = [], actions: [any ActionFamily], optimizers: [Optimizer]
  ) {
    self.template = template
    self.architectures = architectures
    self.customArchitectures = customArchitectures
    self.actions = actions
    self.optimizers = optimizers
  }

  /// The cells in run order: optimiser, then architecture, then action.
  public var jobs: [FiniteInvarianceJob] {
    let models: [(NamedArchitecture, Architecture?)] =
      architectures.map { ($0, nil) } + customArchitectures.map { (template.architecture, $0) }
    return optimizers.flatMap { optimizer in
      models.flatMap { architecture, layers in
        actions.map { action in
          var job = template
          job.architecture = architecture
          job.customLayers = layers
          job.action = action
          job.optimizer = optimizer
          job.familySize = optimizers.count * models.count * actions.count
          return job
        }
      }
    }
  }

  /// Runs every cell, saying on `progress` which cell is running and how long each took.
  /// - Complexity: the sum of the cells' costs.
  /// - Parameters:
  ///   - progress: Called with each cell's label, its job's lines (indented), then its result
  ///     and how long it took.
  ///   - samples: Called with each cell's job and each of its looks' samples and pairs.
  public func run(
    progress: @escaping @Sendable (String) -> Void = { _ in },
    samples: ((FiniteInvarianceJob, EnsembleSample, Range<Int>) throws -> Void)? = nil
  ) throws -> [FiniteInvarianceReport] {
    let jobs = jobs
    var reports = try jobs.enumerated().map { index, job in
      let start = Date()
      let label =
        "[cell \(index + 1)/\(jobs.count)] \(job.architectureName) / \(job.action.name) / \(job.optimizer.name)"
      progress(label)
      let report = try job.run(
        progress: { progress("  " + $0) },
        samples: samples.map { sink in { try sink(job, $0, $1) } })
      progress(
        label + ": exact \(report.exact), worst rho "
          + String(
            format: "%.3f, p(equal) %.2g, p(differ) %.2g, ", report.ensembleEffect,
            report.ensemblePEqual, report.ensemblePDiffer)
          + report.testLossLine + String(format: " (%.1f s)", Date().timeIntervalSince(start)))
      return report
    }
    let verdicts = DistributionalVerdict.decide(
      pValues: reports.map { ($0.ensemblePEqual, $0.ensemblePDiffer) },
      alpha: reports.first?.alpha ?? 0.05)
    // A cell without signal keeps that verdict: its p-values are those of equal arms.
    for index in reports.indices where reports[index].distributional != .noSignal {
      reports[index].distributional = verdicts[index]
    }
    return reports
  }

  /// A Markdown table of reports, one row per cell (rho and interval: the worst element's, at
  /// the simultaneous confidence; probes: natural test images or coordinate probes; test loss:
  /// the S ensemble's mean, to set against the zero predictor's, which depends only on the test
  /// labels, "-" on coordinate probes), and the multiplicity rule under it.
  public static func markdown(_ reports: [FiniteInvarianceReport]) -> String {
    var lines = [
      "| architecture | action | optimizer | verdict | exact | transport deviation | distributional | rho (worst of E) | interval | E | K | differ | probes | test loss |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for report in reports {
      let deviation = report.transportDeviation.map { String(format: "%.1e", $0) } ?? "-"
      let rho = intervalParts(
        report.ensembleEffect, lower: report.ensembleInterval[0],
        upper: report.ensembleInterval[1], decimals: 3)
      lines.append(
        "| \(report.architecture) | \(report.action) | \(report.optimizer) | \(report.verdict) | "
          + "\(report.exact) | \(deviation) | \(report.distributional) | "
          + "\(rho.estimate) | [\(rho.lower), \(rho.upper)] | \(report.elements) | "
          + "\(report.ensembleSeeds) | \(report.ensembleDifferenceDetected ? "yes" : "no") | "
          + "\(report.probes) | \(report.ensembleTestLoss.map { String(format: "%.4f", $0) } ?? "-") |"
      )
    }
    if let first = reports.first {
      lines.append("")
      lines.append(
        "Margin \(first.ensembleMargin) on rho; intervals at "
          + String(format: "%.4g", first.ensembleConfidence * 100)
          + "% simultaneous confidence; multiplicity: \(first.multiplicity); seed \(first.seed)"
          + (first.heldOut ? ", held-out images." : ", tuning images."))
    }
    return lines.joined(separator: "\n")
  }
}
