import Foundation
import Learners

extension LearningCurves {
  /// What a plot shows on its vertical axis.
  public enum Metric: String, Sendable {
    /// Test accuracy or test MSE.
    case accuracy, mse
  }

  /// An SVG plot of `metric` against training-set size (log-log for MSE, log-x for accuracy),
  /// one line per curve with ±1 sd error bars; `filter` selects the curves. When `filter`
  /// selects no points (e.g. no natural-image curve was measured) the plot says so.
  public func svg(
    _ metric: Metric, title: String, where filter: (CurveKey) -> Bool = { _ in true }
  ) -> String {
    let keys = curves.filter(filter)
    let all = points.filter { filter($0.curve) }
    let width = 760.0
    let height = 480.0
    let left = 70.0
    let right = 250.0
    let top = 40.0
    let bottom = 60.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    guard !all.isEmpty else {
      return [
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"120\" "
          + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        "<text x=\"\(left)\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>",
        "<text x=\"\(left)\" y=\"60\">no points to plot: no measured curve matches this figure</text>",
        "</svg>",
      ].joined(separator: "\n")
    }
    let sizes = all.map { Double($0.trainSize) }
    let xMin = log10(sizes.min() ?? 1)
    let xMax = max(log10(sizes.max() ?? 10), xMin + 0.1)
    func value(_ p: CurvePoint) -> (Double, Double) {
      metric == .mse ? (p.mse, p.mseStd) : (p.accuracy, p.accuracyStd)
    }
    let logY = metric == .mse
    let raw = all.flatMap { p -> [Double] in
      let (v, s) = value(p)
      return [v - s, v + s, v]
    }.filter { $0.isFinite && (!logY || $0 > 0) }
    var yMin = raw.min() ?? 0
    var yMax = raw.max() ?? 1
    if logY {
      yMin = log10(yMin)
      yMax = log10(yMax)
    }
    if yMax - yMin < 1e-9 { yMax = yMin + 1 }
    let pad = (yMax - yMin) * 0.05
    yMin -= pad
    yMax += pad
    func px(_ m: Double) -> Double { left + (log10(m) - xMin) / (xMax - xMin) * plotWidth }
    func py(_ v: Double) -> Double {
      let t = logY ? log10(max(v, 1e-300)) : v
      return top + (1 - (t - yMin) / (yMax - yMin)) * plotHeight
    }
    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"\(left)\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>",
      "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#888\"/>",
    ]
    // Axes: ticks at the measured sizes, and at round values on the vertical axis.
    for m in Set(all.map(\.trainSize)).sorted() {
      let x = px(Double(m))
      svg.append(
        "<line x1=\"\(x)\" y1=\"\(top + plotHeight)\" x2=\"\(x)\" y2=\"\(top + plotHeight + 5)\" stroke=\"#888\"/>"
      )
      svg.append(
        "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(m)</text>")
    }
    for tick in verticalTicks(yMin, yMax, logarithmic: logY) {
      let y = top + (1 - (tick.position - yMin) / (yMax - yMin)) * plotHeight
      svg.append(
        "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#eee\"/>")
      svg.append("<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(tick.label)</text>")
    }
    svg.append(
      "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\">"
        + "training-set size m (log scale)</text>")
    svg.append(
      "<text transform=\"translate(18,\(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">"
        + (metric == .mse ? "test MSE (log scale)" : "test accuracy") + "</text>")
    for (index, key) in keys.enumerated() {
      let colour = palette[index % palette.count]
      // NNGP solid, NTK dashed, finite SGD networks dotted and heavier.
      let dash: String
      switch key.kernel {
      case .nngp: dash = ""
      case .ntk: dash = " stroke-dasharray=\"5,3\""
      case .finiteSGD: dash = " stroke-dasharray=\"1.5,2.5\" stroke-linecap=\"round\""
      }
      let stroke = key.kernel == .finiteSGD ? "3" : "2"
      let mine = all.filter { $0.curve == key }.sorted { $0.trainSize < $1.trainSize }
      let path = mine.map { "\(px(Double($0.trainSize))),\(py(value($0).0))" }.joined(
        separator: " ")
      svg.append(
        "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(stroke)\"\(dash)/>"
      )
      for p in mine {
        let (v, s) = value(p)
        let x = px(Double(p.trainSize))
        svg.append(
          "<line x1=\"\(x)\" y1=\"\(py(v - s))\" x2=\"\(x)\" y2=\"\(py(v + s))\" stroke=\"\(colour)\"/>"
        )
        svg.append("<circle cx=\"\(x)\" cy=\"\(py(v))\" r=\"3\" fill=\"\(colour)\"/>")
      }
      let ly = top + 14 + Double(index) * 18
      svg.append(
        "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(ly - 4)\" x2=\"\(left + plotWidth + 36)\" "
          + "y2=\"\(ly - 4)\" stroke=\"\(colour)\" stroke-width=\"\(stroke)\"\(dash)/>")
      svg.append(
        "<text x=\"\(left + plotWidth + 42)\" y=\"\(ly)\">\(escape(key.description))</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }
}

/// Distinguishable line colours (Tableau 10).
private let palette = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac",
]

/// Tick positions (in plot coordinates: log10 for a logarithmic axis) with their labels.
///
/// Bounds that are not finite or not increasing get no ticks: the loops below step from one
/// bound to the other and would never end on an infinite range.
private func verticalTicks(_ low: Double, _ high: Double, logarithmic: Bool) -> [(
  position: Double, label: String
)] {
  guard low.isFinite, high.isFinite, low < high else { return [] }
  if logarithmic {
    var ticks: [(Double, String)] = []
    var exponent = floor(low)
    while exponent <= high {
      for mantissa in [1.0, 2.0, 5.0] {
        let position = exponent + log10(mantissa)
        if position >= low && position <= high {
          ticks.append((position, String(format: "%g", pow(10, position))))
        }
      }
      exponent += 1
    }
    return ticks
  }
  let span = high - low
  let step = pow(10, floor(log10(span / 4)))
  let nice = [1.0, 2.0, 5.0, 10.0].map { $0 * step }.first { span / $0 <= 6 } ?? step * 10
  var ticks: [(Double, String)] = []
  var t = ceil(low / nice) * nice
  while t <= high {
    ticks.append((t, String(format: "%g", t)))
    t += nice
  }
  return ticks
}

/// Escapes text for SVG.
func escape(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;")
}
