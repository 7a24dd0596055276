import Foundation
import Learners

extension DepthResults {
  /// The file name of a heat map: `depth-phase-ARCH-nN-tT.svg`.
  public static func heatMapFileName(_ panel: Panel, time: Double) -> String {
    "depth-phase-\(panel.architecture.lowercased())-n\(panel.trainCount)-t\(String(format: "%g", time)).svg"
  }

  /// An SVG phase diagram of one panel at one time: train and test accuracy heat maps over
  /// (W^2 columns, depth rows on a log scale), with the depths k xi_1 (ordered columns, white)
  /// and k xi_* (chaotic columns, black) drawn over them for k in `multiples`.
  ///
  /// Colours run from chance (1 / classes, dark) to the best accuracy of the map (bright).
  /// - Complexity: O(W^2 values x depths).
  public func heatMapSVG(_ panel: Panel, time: Double, multiples: [Double] = [1, 4, 16]) -> String {
    let columns = weightVariances
    let depths = depths(panel)
    let cellWidth = 46.0
    let plotHeight = 300.0
    let left = 60.0
    let top = 50.0
    let panelWidth = cellWidth * Double(columns.count)
    let gap = 90.0
    let width = left + 2 * panelWidth + gap + 30
    let height = top + plotHeight + 110
    let (lowEdge, highEdge) = depthRange(depths)
    func y(_ depth: Double) -> Double {
      top + plotHeight * (1 - (log(depth) - log(lowEdge)) / (log(highEdge) - log(lowEdge)))
    }
    var svg = svgHeader(width: width, height: height)
    svg.append(
      text(
        left, 20,
        "\(panel.architecture), \(activation), b^2 = \(number(biasVariance)), n = "
          + "\(panel.trainCount) train / \(panel.testCount) test \(dataSet) \(size)x\(size), t = \(number(time))",
        size: 14, bold: true))
    for (index, title) in ["train accuracy", "test accuracy"].enumerated() {
      let x0 = left + Double(index) * (panelWidth + gap)
      let values = columns.flatMap { w in
        depths.compactMap { record(panel, weightVariance: w, depth: $0, time: time) }
          .map { index == 0 ? $0.trainAccuracy : $0.testAccuracy }
      }
      let low = 0.1
      let high = max(low + 0.01, values.max() ?? 1)
      svg.append(text(x0, top - 8, title, size: 13, bold: true))
      for (column, w) in columns.enumerated() {
        for (row, depth) in depths.enumerated() {
          guard let r = record(panel, weightVariance: w, depth: depth, time: time) else { continue }
          let value = index == 0 ? r.trainAccuracy : r.testAccuracy
          let upper =
            row + 1 < depths.count
            ? (Double(depth) * Double(depths[row + 1])).squareRoot() : highEdge
          let lower = row > 0 ? (Double(depth) * Double(depths[row - 1])).squareRoot() : lowEdge
          svg.append(
            "<rect x=\"\(x0 + cellWidth * Double(column))\" y=\(quote(y(upper))) width=\"\(cellWidth)\" "
              + "height=\(quote(y(lower) - y(upper))) fill=\"\(viridis((value - low) / (high - low)))\">"
              + "<title>W^2 = \(number(w)), depth \(depth): \(String(format: "%.3f", value)), "
              + "condition number \(number(r.conditionNumber))</title></rect>")
        }
        svg.append(
          text(
            x0 + cellWidth * (Double(column) + 0.5), top + plotHeight + 16, number(w),
            anchor: "middle"))
      }
      svg.append(text(x0 + panelWidth / 2, top + plotHeight + 34, "W^2", anchor: "middle"))
      for depth in depths {
        svg.append(text(x0 - 6, y(Double(depth)) + 4, String(depth), anchor: "end"))
      }
      svg.append(
        "<text transform=\"translate(\(x0 - 36),\(top + plotHeight / 2)) rotate(-90)\" "
          + "text-anchor=\"middle\">depth L</text>")
      svg += depthScaleCurves(
        columns: columns, x: { x0 + cellWidth * (Double($0) + 0.5) }, y: y,
        range: (lowEdge, highEdge),
        multiples: multiples)
      // Legend: the colour scale of this panel.
      let legendY = top + plotHeight + 50
      for step in 0..<10 {
        svg.append(
          "<rect x=\"\(x0 + Double(step) * 16)\" y=\"\(legendY)\" width=\"16\" height=\"10\" "
            + "fill=\"\(viridis(Double(step) / 9))\"/>")
      }
      svg.append(text(x0, legendY + 24, String(format: "%.2f", low)))
      svg.append(text(x0 + 160, legendY + 24, String(format: "%.2f", high), anchor: "end"))
    }
    svg.append(
      text(
        left, height - 12,
        "dashed: k xi_1 (white, ordered) and k xi_* (black, chaotic) for k = "
          + multiples.map(number).joined(separator: ", ") + "; chance = 0.1"))
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }

  /// An SVG of log10 condition number against depth, one plot per panel and one line per W^2
  /// (blue ordered, grey critical, red chaotic), with the predicted ordered-phase growth
  /// (`DepthAnalysis.conditionNumberGrowthRate`) dashed back from each ordered line's deepest
  /// point below 1e12.
  /// - Complexity: O(panels x W^2 values x depths).
  public func spectraSVG() -> String {
    let plotWidth = 260.0
    let plotHeight = 220.0
    let left = 55.0
    let top = 50.0
    let gap = 70.0
    let panels = panels
    let legendX = left + (plotWidth + gap) * Double(panels.count) - gap + 20
    let width = max(legendX + 100, 720)
    let height = top + plotHeight + 70
    var svg = svgHeader(width: width, height: height)
    svg.append(
      text(
        left, 20,
        "NTK condition number against depth (\(activation), b^2 = \(number(biasVariance)), "
          + "\(dataSet) \(size)x\(size) training images)", size: 14, bold: true))
    let topExponent = 16.0
    for (index, panel) in panels.enumerated() {
      let x0 = left + Double(index) * (plotWidth + gap)
      let depths = depths(panel)
      let maxDepth = Double(depths.last ?? 1)
      func x(_ depth: Double) -> Double { x0 + plotWidth * depth / maxDepth }
      func y(_ exponent: Double) -> Double {
        top + plotHeight * (1 - min(exponent, topExponent) / topExponent)
      }
      svg.append(text(x0, top - 8, panel.description, size: 13, bold: true))
      svg.append(
        "<rect x=\"\(x0)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#999\"/>"
      )
      for exponent in stride(from: 0.0, through: topExponent, by: 4) {
        svg.append(text(x0 - 6, y(exponent) + 4, "1e\(Int(exponent))", anchor: "end"))
      }
      for depth in depths where depth == depths.last || depth >= Int(maxDepth) / 8 {
        svg.append(text(x(Double(depth)), top + plotHeight + 16, String(depth), anchor: "middle"))
      }
      svg.append(text(x0 + plotWidth / 2, top + plotHeight + 34, "depth L", anchor: "middle"))
      let time = times.first ?? 0
      for w in weightVariances {
        let points = depths.compactMap { depth -> (Int, Double)? in
          guard let r = record(panel, weightVariance: w, depth: depth, time: time),
            r.conditionNumber.isFinite
          else { return nil }
          return (depth, log10(r.conditionNumber))
        }
        guard let s = scale(weightVariance: w) else { continue }
        let colour = phaseColour(s.phase, weightVariance: w)
        svg.append(
          "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\""
            + points.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>")
        if index == 0 {
          let legendY = top + 14 * Double(weightVariances.firstIndex(of: w) ?? 0)
          svg.append(
            "<line x1=\"\(legendX)\" y1=\"\(legendY)\" x2=\"\(legendX + 18)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
          )
          svg.append(text(legendX + 22, legendY + 4, "W^2 = \(number(w)) (\(s.phase))"))
        }
        guard s.phase == .ordered,
          let analysis = try? DepthAnalysis(
            activation: Activation(named: activation), weightVariance: w, biasVariance: biasVariance
          )
        else { continue }
        // Anchored at the deepest point below 1e12 (the asymptotic end), drawn back to depth 1.
        guard let anchor = points.last(where: { $0.1 < 12 }) else { continue }
        let predicted = depths.filter { $0 <= anchor.0 }.compactMap { depth -> (Int, Double)? in
          if depth == anchor.0 { return anchor }
          guard let rate = analysis.conditionNumberGrowthRate(from: depth, to: anchor.0) else {
            return nil
          }
          return (depth, anchor.1 - rate * Double(anchor.0 - depth) / log(10))
        }
        svg.append(
          "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1\" stroke-dasharray=\"4,3\" points=\""
            + predicted.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>")
      }
    }
    svg.append(
      text(
        left, height - 10,
        "solid: measured lambda_max / lambda_min of the train-train NTK (stops where lambda_min <= 0); "
          + "dashed: predicted ordered-phase growth, anchored at the deepest point below 1e12"))
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }

  // MARK: - Drawing helpers

  /// Geometric edges below the first and above the last depth, for a log-depth axis.
  private func depthRange(_ depths: [Int]) -> (Double, Double) {
    guard let first = depths.first, let last = depths.last else { return (0.5, 2) }
    let below = depths.count > 1 ? Double(depths[1]) / Double(first) : 2
    let above = depths.count > 1 ? Double(last) / Double(depths[depths.count - 2]) : 2
    return (Double(first) / below.squareRoot(), Double(last) * above.squareRoot())
  }

  /// Dashed polylines at k xi_1 over ordered columns and k xi_* over chaotic ones, clipped to
  /// the depth range, each labelled at its last point.
  private func depthScaleCurves(
    columns: [Double], x: (Int) -> Double, y: (Double) -> Double, range: (Double, Double),
    multiples: [Double]
  ) -> [String] {
    var svg: [String] = []
    for (phase, colour) in [(DepthPhase.ordered, "white"), (.chaotic, "black")] {
      for k in multiples {
        let points = columns.enumerated().compactMap { column, w -> (Double, Double)? in
          guard let s = scale(weightVariance: w), s.phase == phase else { return nil }
          let depth = k * (phase == .ordered ? s.xi1 : s.xiStar)
          guard depth.isFinite, depth >= range.0, depth <= range.1 else { return nil }
          return (x(column), y(depth))
        }
        guard let last = points.last else { continue }
        if points.count > 1 {
          svg.append(
            "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-dasharray=\"6,4\" points=\""
              + points.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>")
        } else {
          svg.append("<circle cx=\"\(last.0)\" cy=\"\(last.1)\" r=\"3\" fill=\"\(colour)\"/>")
        }
        let symbol = phase == .ordered ? "ξ₁" : "ξ*"
        svg.append(
          text(
            last.0 + 4, last.1 - 4, (k == 1 ? "" : number(k)) + symbol, bold: true, colour: colour))
      }
    }
    return svg
  }

  private func svgHeader(width: Double, height: Double) -> [String] {
    [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
    ]
  }

  private func text(
    _ x: Double, _ y: Double, _ content: String, size: Int = 11, bold: Bool = false,
    anchor: String = "start", colour: String = "black"
  ) -> String {
    "<text x=\(quote(x)) y=\(quote(y)) font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(colour)\""
      + (bold ? " font-weight=\"bold\"" : "") + ">\(escaped(content))</text>"
  }

  /// Text content with XML's special characters escaped.
  private func escaped(_ content: String) -> String {
    content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }

  private func quote(_ value: Double) -> String { "\"\(String(format: "%.2f", value))\"" }

  /// Blue shades for ordered W^2, grey for critical, red shades for chaotic.
  private func phaseColour(_ phase: DepthPhase, weightVariance: Double) -> String {
    let range = weightVariances
    let t =
      range.count > 1
      ? (weightVariance - range[0]) / (range[range.count - 1] - range[0]) : 0.5
    switch phase {
    case .ordered: return "rgb(\(Int(30 + 80 * t)),\(Int(60 + 100 * t)),\(Int(200 - 40 * t)))"
    case .critical: return "rgb(120,120,120)"
    case .chaotic: return "rgb(\(Int(150 + 100 * t)),\(Int(90 - 70 * t)),\(Int(60 - 40 * t)))"
    }
  }
}

/// The viridis colour map at t in [0, 1] (clamped), linear between five anchors.
func viridis(_ t: Double) -> String {
  let anchors: [(Double, Double, Double)] = [
    (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
  ]
  let s = min(1, max(0, t.isFinite ? t : 0)) * Double(anchors.count - 1)
  let i = min(Int(s), anchors.count - 2)
  let f = s - Double(i)
  let (a, b) = (anchors[i], anchors[i + 1])
  return
    "rgb(\(Int(a.0 + f * (b.0 - a.0))),\(Int(a.1 + f * (b.1 - a.1))),\(Int(a.2 + f * (b.2 - a.2))))"
}
