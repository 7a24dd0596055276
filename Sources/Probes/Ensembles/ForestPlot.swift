import Foundation

/// An SVG forest plot of ensemble-probe verdicts: one row per cell, its worst element's rho (the
/// distance between two ensembles' output distributions) as a dot with its interval as a bar, the
/// other elements' rho as open circles, the margin as a dashed line, each row coloured by its
/// summary verdict (`FiniteVerdict`: blue invariant, red not invariant, orange not exactly
/// invariant though the distributions are close or undecided, grey inconclusive, purple
/// conflicting), and a line of exact evidence on the right.
///
/// Why a forest plot: the verdict is a statement about where an interval lies relative to the
/// margin, which a table of numbers makes the reader reconstruct cell by cell.
public struct ForestPlot: Sendable {
  /// One cell of the plot.
  public struct Row: Sendable {
    /// The row's label on the left.
    public var label: String
    /// The worst element's rho, drawn as a filled circle.
    public var effect: Double
    /// The worst element's interval, drawn as a bar.
    public var interval: [Double]
    /// The other elements' rho, drawn as open circles.
    public var otherEffects: [Double]
    /// The cell's verdict, which colours the row.
    public var verdict: FiniteVerdict
    /// The tooltip after the label.
    public var detail: String
    /// The exact evidence, printed right of the plot.
    public var side: String

    /// A row, field by field.
    public init(
      label: String, effect: Double, interval: [Double], otherEffects: some Sequence<Double>,
      verdict: FiniteVerdict, detail: String, side: String
    ) {
      self.label = label
      self.effect = effect
      self.interval = interval
      self.otherEffects = Array(otherEffects)
      self.verdict = verdict
      self.detail = detail
      self.side = side
    }
  }

  /// The plot's title.
  public var title: String
  /// The heading of the column on the right.
  public var sideHeader: String
  /// The cells, top to bottom.
  public var rows: [Row]
  /// The decision margin on rho, drawn as a vertical line (nil: none).
  public var margin: Double?

  /// A plot of `rows` under `title`.
  public init(title: String, sideHeader: String, rows: [Row], margin: Double?) {
    self.title = title
    self.sideHeader = sideHeader
    self.rows = rows
    self.margin = margin
  }

  /// The plot as an SVG document.
  /// - Complexity: O(rows).
  public var svg: String {
    let rowHeight = 22.0
    let labelWidth = 300.0
    let plotWidth = 420.0
    let sideWidth = 260.0
    let top = 56.0
    let width = labelWidth + plotWidth + sideWidth + 20
    let height = top + rowHeight * Double(rows.count) + 96
    // Only finite ends set the axis: an infinite interval end (too few pairs) is drawn clipped,
    // and would otherwise make the tick loop below endless.
    let largest =
      (rows.flatMap { $0.interval + [$0.effect] } + [margin ?? 0]).filter(\.isFinite).max() ?? 1
    // Axis end: the next tenth above every interval, so the margin and the ticks fall on
    // round numbers.
    let axisEnd = max(0.2, (largest * 10).rounded(.up) / 10)
    func x(_ rho: Double) -> Double {
      labelWidth + plotWidth * min(max(rho.isNaN ? 0 : rho, 0), axisEnd) / axisEnd
    }
    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(escaped(title))</text>",
      "<text x=\"\(labelWidth)\" y=\"\(top - 10)\">rho (distance of the output distributions) "
        + "and its interval</text>",
      "<text x=\(quoted(labelWidth + plotWidth + 14)) y=\"\(top - 10)\">\(escaped(sideHeader))</text>",
    ]
    let bottom = top + rowHeight * Double(rows.count)
    let tickStep = axisEnd <= 0.3 ? 0.05 : axisEnd <= 1 ? 0.1 : 0.2
    for tick in stride(from: 0.0, through: axisEnd + 1e-9, by: tickStep) {
      svg.append(
        "<line x1=\(quoted(x(tick))) y1=\(quoted(top)) x2=\(quoted(x(tick))) y2=\(quoted(bottom)) "
          + "stroke=\"#e4e4e4\"/>")
      svg.append(
        "<text x=\(quoted(x(tick))) y=\(quoted(bottom + 16)) text-anchor=\"middle\">"
          + String(format: "%.2g", tick) + "</text>")
    }
    for (index, row) in rows.enumerated() {
      let y = top + rowHeight * (Double(index) + 0.5)
      let colour = Self.colour(row.verdict)
      svg.append(
        "<text x=\(quoted(labelWidth - 10)) y=\(quoted(y + 4)) text-anchor=\"end\">\(escaped(row.label))</text>"
      )
      svg.append(
        "<line x1=\(quoted(x(row.interval[0]))) y1=\(quoted(y)) x2=\(quoted(x(row.interval[1]))) "
          + "y2=\(quoted(y)) stroke=\"\(colour)\" stroke-width=\"3\"/>")
      svg.append(
        "<circle cx=\(quoted(x(row.effect))) cy=\(quoted(y)) r=\"4.5\" fill=\"\(colour)\">"
          + "<title>\(escaped(row.label)): \(escaped(row.detail))</title></circle>")
      for effect in row.otherEffects {
        svg.append(
          "<circle cx=\(quoted(x(effect))) cy=\(quoted(y)) r=\"3\" fill=\"none\" stroke=\"\(colour)\"/>"
        )
      }
      svg.append(
        "<text x=\(quoted(labelWidth + plotWidth + 14)) y=\(quoted(y + 4))>\(escaped(row.side))</text>"
      )
    }
    if let margin {
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
        "<circle cx=\(quoted(x0)) cy=\(quoted(legendY - 4)) r=\"4.5\" fill=\"\(Self.colour(verdict))\"/>"
      )
      svg.append("<text x=\(quoted(x0 + 10)) y=\(quoted(legendY))>\(verdict)</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }

  /// Blue for invariant, red for not invariant, orange for a transport break with close or
  /// undecided distributions, grey for inconclusive, purple for conflicting evidence, light grey
  /// for no signal.
  static func colour(_ verdict: FiniteVerdict) -> String {
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
}

/// A coordinate as a quoted SVG attribute value, to one decimal.
private func quoted(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }

/// Text safe inside an SVG element: labels may hold a user's command line.
private func escaped(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;")
}
