import Foundation

extension ClaimsReport {
  /// An SVG of one claim: the effect with its 95% interval on a horizontal axis, the claim's
  /// boundary (zero) and, for an equivalence claim, its margin as a shaded band; the verdict in
  /// its colour.
  public func svg(for result: ClaimResult) -> String {
    let width = 720.0
    let height = 200.0
    let left = 40.0
    let right = 40.0
    let axisY = 130.0
    let low = min(result.interval[0], -result.margin, 0)
    let high = max(result.interval[1], result.margin, 0)
    let span = max(high - low, 1e-9)
    let xMin = low - 0.15 * span
    let xMax = high + 0.15 * span
    func px(_ v: Double) -> Double { left + (v - xMin) / (xMax - xMin) * (width - left - right) }
    let colour: String
    switch result.verdict {
    case .held: colour = "#59a14f"
    case .failed: colour = "#e15759"
    case .inconclusive: colour = "#f28e2b"
    }
    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"\(left)\" y=\"22\" font-size=\"13\" font-weight=\"bold\">\(escape(result.id)): \(escape(result.claim))</text>",
      "<text x=\"\(left)\" y=\"42\">\(escape(result.effectDescription))</text>",
      "<text x=\"\(left)\" y=\"62\" fill=\"\(colour)\" font-weight=\"bold\">\(result.verdict.rawValue.uppercased())"
        + "  \(escape(result.summary)), \(result.repeats) repeats, \(scale) scale</text>",
    ]
    if result.direction == .equivalent {
      svg.append(
        "<rect x=\"\(px(-result.margin))\" y=\"\(axisY - 30)\" width=\"\(px(result.margin) - px(-result.margin))\" "
          + "height=\"60\" fill=\"#dde8f3\"/>")
      svg.append(
        "<text x=\"\(px(result.margin))\" y=\"\(axisY + 45)\" text-anchor=\"middle\" fill=\"#4e79a7\">+margin</text>"
      )
      svg.append(
        "<text x=\"\(px(-result.margin))\" y=\"\(axisY + 45)\" text-anchor=\"middle\" fill=\"#4e79a7\">-margin</text>"
      )
    } else {
      let side = result.direction == .positive ? "claim: effect > 0 →" : "← claim: effect < 0"
      svg.append(
        "<text x=\"\(px(0))\" y=\"\(axisY - 36)\" text-anchor=\"middle\" fill=\"#555\">\(escape(side))</text>"
      )
    }
    svg.append(
      "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(width - right)\" y2=\"\(axisY)\" stroke=\"#888\"/>"
    )
    svg.append(
      "<line x1=\"\(px(0))\" y1=\"\(axisY - 30)\" x2=\"\(px(0))\" y2=\"\(axisY + 30)\" stroke=\"#333\" stroke-dasharray=\"4,3\"/>"
    )
    svg.append("<text x=\"\(px(0))\" y=\"\(axisY + 45)\" text-anchor=\"middle\">0</text>")
    for value in [xMin + 0.05 * (xMax - xMin), xMax - 0.05 * (xMax - xMin)] {
      svg.append(
        "<text x=\"\(px(value))\" y=\"\(axisY + 20)\" text-anchor=\"middle\" fill=\"#888\">\(String(format: "%+.3g", value))</text>"
      )
    }
    svg.append(
      "<line x1=\"\(px(result.interval[0]))\" y1=\"\(axisY)\" x2=\"\(px(result.interval[1]))\" y2=\"\(axisY)\" "
        + "stroke=\"\(colour)\" stroke-width=\"4\"/>")
    for end in result.interval {
      svg.append(
        "<line x1=\"\(px(end))\" y1=\"\(axisY - 8)\" x2=\"\(px(end))\" y2=\"\(axisY + 8)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
      )
    }
    svg.append("<circle cx=\"\(px(result.effect))\" cy=\"\(axisY)\" r=\"5\" fill=\"\(colour)\"/>")
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }
}
