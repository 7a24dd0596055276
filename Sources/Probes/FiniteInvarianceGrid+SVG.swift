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
    let rowHeight = 22.0
    let labelWidth = 300.0
    let plotWidth = 420.0
    let transportWidth = 260.0
    let top = 56.0
    let width = labelWidth + plotWidth + transportWidth + 20
    let height = top + rowHeight * Double(reports.count) + 96
    // Only finite ends set the axis: an infinite interval end (too few pairs) is drawn clipped,
    // and would otherwise make the tick loop below endless.
    let largest = reports.flatMap { $0.ensembleInterval + [$0.ensembleMargin] }.filter(\.isFinite)
      .max() ?? 1
    // Axis end: the next tenth above every interval, so the margin and the ticks fall on
    // round numbers.
    let axisEnd = max(0.2, (largest * 10).rounded(.up) / 10)
    func x(_ rho: Double) -> Double { labelWidth + plotWidth * min(max(rho, 0), axisEnd) / axisEnd }
    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Finite networks: "
        + "is f_{g.S}(g x) distributed like f_S(x)?</text>",
      "<text x=\"\(labelWidth)\" y=\"\(top - 10)\">rho (distance of the output distributions) "
        + "and its interval</text>",
      "<text x=\(quoted(labelWidth + plotWidth + 14)) y=\"\(top - 10)\">weight transport</text>",
    ]
    let bottom = top + rowHeight * Double(reports.count)
    let tickStep = axisEnd <= 0.3 ? 0.05 : axisEnd <= 1 ? 0.1 : 0.2
    for tick in stride(from: 0.0, through: axisEnd + 1e-9, by: tickStep) {
      svg.append(
        "<line x1=\(quoted(x(tick))) y1=\(quoted(top)) x2=\(quoted(x(tick))) y2=\(quoted(bottom)) "
          + "stroke=\"#e4e4e4\"/>")
      svg.append(
        "<text x=\(quoted(x(tick))) y=\(quoted(bottom + 16)) text-anchor=\"middle\">"
          + String(format: "%.2g", tick) + "</text>")
    }
    for (row, report) in reports.enumerated() {
      let y = top + rowHeight * (Double(row) + 0.5)
      let colour = verdictColour(report.verdict)
      let transport =
        report.lifts
        ? "\(report.exact), runs part by " + String(format: "%.1e", report.transportDeviation ?? .nan)
        : "\(report.exact): does not lift"
      svg.append(
        "<text x=\(quoted(labelWidth - 10)) y=\(quoted(y + 4)) text-anchor=\"end\">"
          + "\(report.architecture) / \(report.action) / \(report.optimizer)</text>")
      svg.append(
        "<line x1=\(quoted(x(report.ensembleInterval[0]))) y1=\(quoted(y)) "
          + "x2=\(quoted(x(report.ensembleInterval[1]))) y2=\(quoted(y)) stroke=\"\(colour)\" "
          + "stroke-width=\"3\"/>")
      svg.append(
        "<circle cx=\(quoted(x(report.ensembleEffect))) cy=\(quoted(y)) r=\"4.5\" fill=\"\(colour)\">"
          + "<title>\(report.architecture) / \(report.action) / \(report.optimizer): "
          + "\(report.verdict) (distributions \(report.distributional)), worst rho \(String(format: "%.3f", report.ensembleEffect)) "
          + "[\(String(format: "%.3f", report.ensembleInterval[0])), "
          + "\(String(format: "%.3f", report.ensembleInterval[1]))], \(report.ensembleSeeds) pairs"
          + "</title></circle>")
      for effect in report.ensembleElementEffects.sorted().dropLast() {
        svg.append(
          "<circle cx=\(quoted(x(effect))) cy=\(quoted(y)) r=\"3\" fill=\"none\" stroke=\"\(colour)\"/>")
      }
      svg.append(
        "<text x=\(quoted(labelWidth + plotWidth + 14)) y=\(quoted(y + 4))>\(transport)</text>")
    }
    if let margin = reports.first?.ensembleMargin {
      svg.append(
        "<line x1=\(quoted(x(margin))) y1=\(quoted(top - 4)) x2=\(quoted(x(margin))) "
          + "y2=\(quoted(bottom)) stroke=\"black\" stroke-dasharray=\"4 3\"/>")
      svg.append(
        "<text x=\(quoted(x(margin) + 4)) y=\(quoted(bottom + 32))>margin \(margin)</text>")
    }
    for (index, verdict) in FiniteVerdict.allCases.enumerated() {
      let x0 = 10 + Double(index % 2) * (width / 2)
      let legendY = bottom + 50 + 16 * Double(index / 2)
      svg.append(
        "<circle cx=\(quoted(x0)) cy=\(quoted(legendY - 4)) r=\"4.5\" fill=\"\(verdictColour(verdict))\"/>")
      svg.append("<text x=\(quoted(x0 + 10)) y=\(quoted(legendY))>\(verdict)</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }
}

/// Blue for invariant, red for not invariant, orange for a transport break with close or
/// undecided distributions, grey for inconclusive, purple for conflicting evidence, light grey
/// for no signal.
private func verdictColour(_ verdict: FiniteVerdict) -> String {
  switch verdict {
  case .invariant: return "#2b6cb0"
  case .notInvariant: return "#c53030"
  case .brokenButClose: return "#dd6b20"
  case .brokenUndecided: return "#f6ad55"
  case .inconclusive: return "#8a8a8a"
  case .conflicting: return "#805ad5"
  case .noSignal: return "#cbd5e0"
  }
}

/// A coordinate as a quoted SVG attribute value, to one decimal.
private func quoted(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }
