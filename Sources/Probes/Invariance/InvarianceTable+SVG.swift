import Foundation
import Learners

extension InvarianceTable {
  /// An SVG heat map: two panels (algorithmic, functional), one row per (architecture,
  /// activation, kernel), one column per action; the colour is log10 of the deviation
  /// (blue at round-off, red at order one), each cell labelled with its verdict symbol, and
  /// outlined in black where it contradicts the prediction (the reason in its tooltip).
  public func svg() -> String {
    let keys = rowKeys.flatMap { key in
      KernelKind.allCases.map { (key.architecture, key.activation, $0) }
    }
    let cellSize = 34.0
    let labelWidth = 150.0
    let headerHeight = 175.0
    let panelWidth = labelWidth + cellSize * Double(actions.count)
    let gap = 40.0
    let width = 2 * panelWidth + gap + 140
    let height = headerHeight + cellSize * Double(keys.count) + 90
    var svg: [String] = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
    ]
    for (panel, title) in ["algorithmic", "functional"].enumerated() {
      let x0 = 10 + Double(panel) * (panelWidth + gap)
      svg.append(
        "<text x=\"\(x0 + labelWidth)\" y=\"18\" font-size=\"14\" font-weight=\"bold\">"
          + "\(title.capitalized) invariance</text>")
      for (column, action) in actions.enumerated() {
        let cx = x0 + labelWidth + cellSize * (Double(column) + 0.5)
        svg.append(
          "<text transform=\"translate(\(cx + 4),\(headerHeight - 6)) rotate(-60)\">\(action)</text>"
        )
      }
      for (row, key) in keys.enumerated() {
        let y = headerHeight + cellSize * Double(row)
        svg.append(
          "<text x=\"\(x0 + labelWidth - 6)\" y=\"\(y + cellSize * 0.62)\" text-anchor=\"end\">"
            + "\(key.0) \(key.1) \(key.2.rawValue.uppercased())</text>")
        for (column, action) in actions.enumerated() {
          guard let cell = cell(key.0, key.1, action, key.2) else { continue }
          let (verdict, expected, reason, value) = cell.reading(algorithmic: panel == 0)
          let x = x0 + labelWidth + cellSize * Double(column)
          let surprise = expected.map { $0 != verdict } ?? false
          svg.append(
            "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellSize - 2)\" height=\"\(cellSize - 2)\" "
              + "fill=\"\(heatColour(value))\""
              + (surprise ? " stroke=\"black\" stroke-width=\"3\"" : "") + ">"
              + "<title>\(key.0) \(key.1) \(key.2.rawValue) \(action): \(verdict.rawValue), "
              + "deviation \(value)"
              + (reason.map { "; predicted \(expected?.rawValue ?? ""): \(escape($0))" } ?? "")
              + "</title></rect>")
          svg.append(
            "<text x=\"\(x + cellSize / 2 - 1)\" y=\"\(y + cellSize * 0.62)\" text-anchor=\"middle\" "
              + "fill=\"white\" font-weight=\"bold\">\(symbol(verdict))</text>")
        }
      }
    }
    // Legend: log10 deviation from -16 to 0.
    let legendY = headerHeight + cellSize * Double(keys.count) + 30
    svg.append("<text x=\"10\" y=\"\(legendY - 8)\">log10 relative deviation</text>")
    for step in 0...16 {
      let value = pow(10, Double(step - 16))
      svg.append(
        "<rect x=\"\(10 + Double(step) * 22)\" y=\"\(legendY)\" width=\"22\" height=\"14\" "
          + "fill=\"\(heatColour(value))\"/>")
      if step % 4 == 0 {
        svg.append(
          "<text x=\"\(10 + Double(step) * 22)\" y=\"\(legendY + 28)\">\(step - 16)</text>")
      }
    }
    svg.append(
      "<text x=\"400\" y=\"\(legendY + 11)\" xml:space=\"preserve\">= invariant    "
        + "x not invariant    ? inconclusive    black outline: contradicts the prediction</text>")
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }
}

/// Blue (round-off, 1e-16) through grey to red (order one), on log10 of the deviation.
func heatColour(_ deviation: Double) -> String {
  let exponent = deviation > 0 ? log10(deviation) : -16
  let t = min(1, max(0, (exponent + 16) / 16))
  let red = Int(40 + 190 * t)
  let green = Int(70 + 40 * (1 - abs(2 * t - 1)))
  let blue = Int(200 - 170 * t)
  return "rgb(\(red),\(green),\(blue))"
}
