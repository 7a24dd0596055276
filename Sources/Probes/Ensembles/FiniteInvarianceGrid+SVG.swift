import Foundation

extension FiniteInvarianceGrid {
  /// An SVG forest plot of the ensemble probe: one row per cell, the worst element's rho (the
  /// distance between the g.S and S ensembles' output distributions) as a dot with its
  /// simultaneous interval as a bar, the other elements' rho as open circles, the margin as a
  /// dashed line, coloured by the summary verdict (`FiniteVerdict`: blue invariant, red not
  /// invariant, orange not exactly invariant though the distributions are close or undecided,
  /// grey inconclusive, purple conflicting); on the right, the exact verdict of weight transport
  /// and its largest deviation.
  ///
  /// Why a forest plot: the verdict is a statement about where an interval lies relative to
  /// the margin, which a table of numbers makes the reader reconstruct cell by cell.
  public static func svg(_ reports: [FiniteInvarianceReport]) -> String {
    ForestPlot(
      title: "Finite networks: is f_{g.S}(g x) distributed like f_S(x)?",
      sideHeader: "weight transport",
      rows: reports.map { report in
        ForestPlot.Row(
          label: "\(report.architecture) / \(report.action) / \(report.optimizer)",
          effect: report.ensembleEffect, interval: report.ensembleInterval,
          otherEffects: report.ensembleElementEffects.sorted().dropLast(), verdict: report.verdict,
          detail: "\(report.verdict) (distributions \(report.distributional)), worst rho "
            + intervalText(
              report.ensembleEffect, lower: report.ensembleInterval[0],
              upper: report.ensembleInterval[1], decimals: 3)
            + ", \(report.ensembleSeeds) pairs",
          side: report.lifts
            ? "\(report.exact), runs part by "
              + String(format: "%.1e", report.transportDeviation ?? .nan)
            : "\(report.exact): does not lift")
      },
      margin: reports.first?.ensembleMargin
    ).svg
  }
}
