import Foundation

/// A power-law fit of test loss against training-set size, loss ~ C m^(-alpha), by least
/// squares on log loss against log m.
///
/// The interval is mean ± 1.96 standard errors: across repeats when there are several (alpha
/// fitted per repeat, standard error sd / sqrt(r)), otherwise the ordinary least-squares
/// standard error of the slope from the residuals.
public struct ScalingFit: Sendable, Hashable, Codable {
  /// The exponent alpha (positive when the loss falls with more data).
  public var alpha: Double
  /// The 95% interval for alpha.
  public var lower: Double
  public var upper: Double

  /// The fit to per-repeat curves: `losses[r][i]` is repeat r's loss at `sizes[i]`.
  /// Returns nil with fewer than two sizes.
  public static func fit(sizes: [Int], losses: [[Double]]) -> ScalingFit? {
    guard sizes.count >= 2, !losses.isEmpty else { return nil }
    let x = sizes.map { log(Double($0)) }
    if losses.count >= 2 {
      let alphas = losses.map { -slope(x, $0.map(log)).slope }
      let mean = alphas.reduce(0, +) / Double(alphas.count)
      let variance = alphas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(alphas.count - 1)
      let half = 1.96 * (variance / Double(alphas.count)).squareRoot()
      return ScalingFit(alpha: mean, lower: mean - half, upper: mean + half)
    }
    let fit = slope(x, losses[0].map(log))
    let half = 1.96 * fit.standardError
    return ScalingFit(alpha: -fit.slope, lower: -fit.slope - half, upper: -fit.slope + half)
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
