import Foundation

/// Student's t distribution with nu degrees of freedom: the law of a sample mean's
/// standardised error, (mean - mu) / (s / sqrt(n)) with nu = n - 1, for Gaussian samples.
///
/// The distribution function is F(t) = 1 - I_x(nu / 2, 1 / 2) / 2 for t >= 0 with
/// x = nu / (nu + t^2), I the regularised incomplete beta function (evaluated by its continued
/// fraction, Numerical Recipes 6.4); quantiles invert F by bisection.
enum StudentT {
  /// The q-quantile, 0 < q < 1, to about 1e-12 absolute.
  /// - Complexity: about 60 evaluations of the incomplete beta function.
  static func quantile(_ q: Double, degreesOfFreedom nu: Double) -> Double {
    precondition(q > 0 && q < 1 && nu > 0, "a t quantile needs 0 < q < 1 and nu > 0")
    if q < 0.5 { return -quantile(1 - q, degreesOfFreedom: nu) }
    var (low, high) = (0.0, 1.0)
    while distribution(high, degreesOfFreedom: nu) < q { high *= 2 }
    for _ in 0..<200 where high - low > 1e-12 * max(1, high) {
      let middle = (low + high) / 2
      if distribution(middle, degreesOfFreedom: nu) < q { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }

  /// F(t) = P(T <= t).
  static func distribution(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    let tail = 0.5 * incompleteBeta(nu / 2, 0.5, nu / (nu + t * t))
    return t >= 0 ? 1 - tail : tail
  }

  /// I_x(a, b), by the continued fraction on whichever side converges fast.
  static func incompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
    if x < (a + 1) / (a + b + 2) {
      return exp(logFront) * continuedFraction(a, b, x) / a
    }
    return 1 - exp(logFront) * continuedFraction(b, a, 1 - x) / b
  }

  /// The continued fraction of I_x(a, b) (modified Lentz).
  private static func continuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...300 {
      let m = Double(m)
      let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + even * d
      if abs(d) < tiny { d = tiny }
      c = 1 + even / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + odd * d
      if abs(d) < tiny { d = tiny }
      c = 1 + odd / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return h
  }
}
