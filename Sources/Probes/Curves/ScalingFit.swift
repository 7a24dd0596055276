import Foundation

/// A power-law fit of test loss against training-set size, loss ~ C m^(-alpha), by least
/// squares on log loss against log m.
///
/// The interval is the 95% Student-t interval: across repeats when there are several (alpha
/// fitted per repeat, mean ± t_{0.975, r - 1} sd / sqrt(r), so 12.7 standard errors for 2
/// repeats and 4.30 for 3, not the normal 1.96), otherwise the ordinary least-squares interval
/// of the slope, ± t_{0.975, k - 2} times its standard error over k sizes (none with two sizes).
public struct ScalingFit: Sendable, Hashable, Codable {
  /// The exponent alpha (positive when the loss falls with more data).
  public var alpha: Double
  /// The lower end of the 95% interval for alpha.
  public var lower: Double
  /// The upper end of the 95% interval for alpha.
  public var upper: Double

  /// The fit to per-repeat curves: `losses[r][i]` is repeat r's loss at `sizes[i]`.
  /// Returns nil with fewer than two sizes or no repeats.
  ///
  /// - Throws: `ProbeError.mismatch` when a repeat has not exactly one loss per size (a repeat
  ///   cut short would otherwise be fitted over the sizes it happens to share, silently).
  public static func fit(sizes: [Int], losses: [[Double]]) throws(ProbeError) -> ScalingFit? {
    guard sizes.count >= 2, !losses.isEmpty else { return nil }
    try checkOneLossPerSize(sizes: sizes, losses: losses)
    let x = sizes.map { log(Double($0)) }
    if losses.count >= 2,
      let estimate = try? PairedEstimate(exponents(sizes: sizes, losses: losses))
    {
      return ScalingFit(alpha: estimate.mean, lower: estimate.lower, upper: estimate.upper)
    }
    let fit = slope(x, losses[0].map(log))
    let half =
      sizes.count > 2
      ? StudentT.quantile(0.975, degreesOfFreedom: Double(sizes.count - 2)) * fit.standardError : 0
    return ScalingFit(alpha: -fit.slope, lower: -fit.slope - half, upper: -fit.slope + half)
  }

  /// Each repeat's exponent alpha_r = -slope of log loss on log m (for paired comparisons of
  /// two learners' exponents, repeat by repeat).
  ///
  /// - Throws: `ProbeError.mismatch` when a repeat has not exactly one loss per size.
  public static func exponents(sizes: [Int], losses: [[Double]]) throws(ProbeError) -> [Double] {
    try checkOneLossPerSize(sizes: sizes, losses: losses)
    let x = sizes.map { log(Double($0)) }
    return losses.map { -slope(x, $0.map(log)).slope }
  }

  /// Throws unless every repeat has exactly one loss per size.
  private static func checkOneLossPerSize(sizes: [Int], losses: [[Double]]) throws(ProbeError) {
    for (r, repeatLosses) in losses.enumerated() where repeatLosses.count != sizes.count {
      throw .mismatch(
        "repeat \(r) has \(repeatLosses.count) losses for \(sizes.count) training-set sizes "
          + "(\(sizes)); pass one loss per size for every repeat, or fit the sizes it has")
    }
  }

  /// "0.163 [0.131, 0.195]": the exponent and its interval, with three decimals or as many more
  /// as it takes for an interval of nonzero width not to print as a point.
  public var summary: String {
    intervalText(alpha, lower: lower, upper: upper, decimals: 3)
  }
}

/// Ordinary least squares of y on x: the slope and its standard error (0 with two points).
func slope(_ x: [Double], _ y: [Double]) -> (slope: Double, standardError: Double) {
  let n = Double(x.count)
  let mx = x.reduce(0, +) / n
  let my = y.reduce(0, +) / n
  var sxx = 0.0
  var sxy = 0.0
  for (a, b) in zip(x, y) {
    sxx += (a - mx) * (a - mx)
    sxy += (a - mx) * (b - my)
  }
  let b = sxy / sxx
  guard x.count > 2 else { return (b, 0) }
  var residual = 0.0
  for (a, v) in zip(x, y) {
    let r = v - my - b * (a - mx)
    residual += r * r
  }
  return (b, (residual / (n - 2) / sxx).squareRoot())
}
