import Foundation
import Learners

extension DepthResults {
  /// How far two phase diagrams on the same images are apart, over their common grid points.
  public struct PanelDifference: Sendable, Hashable {
    /// The number of common (W^2, depth, time) points.
    public let points: Int
    /// Mean |train accuracy difference|.
    public let meanTrain: Double
    /// Mean |test accuracy difference|.
    public let meanTest: Double
    /// Largest |test accuracy difference|.
    public let maxTest: Double
    /// Mean |log10 condition number difference| over points where both are finite.
    public let meanLogCondition: Double
  }

  /// The difference between panels `a` and `b` over their common grid; nil without one.
  /// - Complexity: O(records^2) (linear scans per point).
  public func difference(_ a: Panel, _ b: Panel) -> PanelDifference? {
    var train: [Double] = []
    var test: [Double] = []
    var condition: [Double] = []
    for first in records where Self.panel(of: first) == a {
      guard
        let second = record(
          b, weightVariance: first.weightVariance, depth: first.depth, time: first.time)
      else { continue }
      train.append(abs(first.trainAccuracy - second.trainAccuracy))
      test.append(abs(first.testAccuracy - second.testAccuracy))
      if first.conditionNumber.isFinite, second.conditionNumber.isFinite {
        condition.append(abs(log10(first.conditionNumber) - log10(second.conditionNumber)))
      }
    }
    guard !test.isEmpty else { return nil }
    func mean(_ values: [Double]) -> Double {
      values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
    return PanelDifference(
      points: test.count, meanTrain: mean(train), meanTest: mean(test), maxTest: test.max() ?? 0,
      meanLogCondition: mean(condition))
  }

  /// The measured growth rate of ln(condition number) per layer between the two deepest depths
  /// whose condition number is below `ceiling` (beyond it float64 round-off dominates
  /// lambda_min), and the rate `DepthAnalysis.conditionNumberGrowthRate` predicts there; nil
  /// outside the ordered phase or with fewer than two such depths.
  public func conditionGrowth(
    _ panel: Panel, weightVariance: Double, ceiling: Double = 1e12
  ) -> (from: Int, to: Int, measured: Double, predicted: Double)? {
    guard let time = times.first,
      let analysis = try? DepthAnalysis(
        activation: Activation(named: activation), weightVariance: weightVariance,
        biasVariance: biasVariance),
      analysis.phase == .ordered
    else { return nil }
    let usable = depths(panel).compactMap { depth -> (Int, Double)? in
      guard let r = record(panel, weightVariance: weightVariance, depth: depth, time: time),
        r.conditionNumber.isFinite, r.conditionNumber < ceiling
      else { return nil }
      return (depth, log(r.conditionNumber))
    }
    guard usable.count >= 2 else { return nil }
    let (l1, k1) = usable[usable.count - 2]
    let (l2, k2) = usable[usable.count - 1]
    guard let predicted = analysis.conditionNumberGrowthRate(from: l1, to: l2) else { return nil }
    return (l1, l2, (k2 - k1) / Double(l2 - l1), predicted)
  }

  /// The depth at which test accuracy, after its best depth, first falls below half-way
  /// between its best and chance (0.1), interpolated in log depth; nil if it never does.
  public func generalisationDepth(_ panel: Panel, weightVariance: Double, time: Double) -> Double? {
    let points = depths(panel).compactMap { depth in
      record(panel, weightVariance: weightVariance, depth: depth, time: time).map {
        (depth, $0.testAccuracy)
      }
    }
    guard let bestIndex = points.indices.max(by: { points[$0].1 < points[$1].1 }) else {
      return nil
    }
    let threshold = (points[bestIndex].1 + 0.1) / 2
    for index in (bestIndex + 1)..<points.count where points[index].1 < threshold {
      let (d0, a0) = points[index - 1]
      let (d1, a1) = points[index]
      let fraction = (a0 - threshold) / (a0 - a1)
      return exp(log(Double(d0)) + fraction * (log(Double(d1)) - log(Double(d0))))
    }
    return nil
  }

  /// What held: the ordered-phase condition-number rates, the chaotic-phase collapse depths in
  /// units of xi_* and xi_c*, and the differences CNN-VEC - FCN and CNN-GAP - FCN on the same
  /// images.
  public func summary() -> String {
    var lines: [String] = ["Summary"]
    lines.append(
      "  Ordered phase: d ln(condition number) / dL between the two deepest depths with cond < 1e12"
    )
    for panel in panels {
      for w in weightVariances {
        guard let g = conditionGrowth(panel, weightVariance: w) else { continue }
        lines.append(
          "    \(pad(panel.description, 22)) W^2 = \(pad(number(w), 5)) L \(g.from)->\(g.to): measured "
            + "\(String(format: "%.4f", g.measured)), predicted \(String(format: "%.4f", g.predicted))"
        )
      }
    }
    lines.append(
      "  Chaotic phase: depth where test accuracy falls half-way to chance, in xi_* and xi_c*")
    for panel in panels {
      for w in weightVariances {
        guard let s = scale(weightVariance: w), s.phase == .chaotic else { continue }
        for time in times {
          let depth = generalisationDepth(panel, weightVariance: w, time: time)
          let deepest = depths(panel).last.flatMap {
            record(panel, weightVariance: w, depth: $0, time: time)
          }
          lines.append(
            "    \(pad(panel.description, 22)) W^2 = \(pad(number(w), 5)) t = \(pad(number(time), 6)) "
              + (depth.map {
                "L = \(String(format: "%5.1f", $0)) = \(String(format: "%4.1f", $0 / s.xiStar)) xi_* "
                  + "= \(String(format: "%4.1f", $0 / s.xiCStar)) xi_c*"
              } ?? "still generalising at L = \(depths(panel).last ?? 0)")
              + (deepest.map {
                String(format: "; train accuracy %.3f at L = %d", $0.trainAccuracy, $0.depth)
              } ?? ""))
        }
      }
    }
    for (other, label) in [("CNN-VEC", "CNN-VEC vs FCN"), ("CNN-GAP", "CNN-GAP vs FCN")] {
      for panel in panels where panel.architecture == other {
        let reference = Panel(
          architecture: "FCN", trainCount: panel.trainCount, testCount: panel.testCount)
        guard let d = difference(panel, reference) else { continue }
        lines.append(
          "  \(label), n = \(panel.trainCount): over \(d.points) points mean |d train acc| "
            + String(
              format: "%.3f, mean |d test acc| %.3f, max |d test acc| %.3f, ", d.meanTrain,
              d.meanTest, d.maxTest)
            + String(format: "mean |d log10 cond| %.2f", d.meanLogCondition))
        for w in weightVariances {
          guard let s = scale(weightVariance: w), s.phase == .chaotic else { continue }
          for time in times {
            let mine = generalisationDepth(panel, weightVariance: w, time: time)
            let theirs = generalisationDepth(reference, weightVariance: w, time: time)
            guard let mine, let theirs else {
              lines.append(
                "    W^2 = \(number(w)) t = \(number(time)): collapse depth \(mine.map { String(format: "%.1f", $0) } ?? "beyond grid") "
                  + "vs FCN \(theirs.map { String(format: "%.1f", $0) } ?? "beyond grid")")
              continue
            }
            lines.append(
              "    W^2 = \(number(w)) t = \(number(time)): collapse depth "
                + String(
                  format: "%.1f vs FCN %.1f: shift %+.1f layers = %+.1f xi_*", mine, theirs,
                  mine - theirs, (mine - theirs) / s.xiStar))
          }
        }
      }
    }
    return lines.joined(separator: "\n")
  }
}
