import Foundation

/// phi(x) = a sin(b x + c), as neural-tangents' `Sin(a, b, c)`; `sin` alone is a = 1, b = 1,
/// c = 0 (see `PointwiseActivation`).
///
/// Dual, from E[sin U sin V] = (E cos(U - V) - E cos(U + V)) / 2 for Gaussian U, V: with
/// e+ = exp(b^2 (s - (v1 + v2) / 2)) and e- = exp(-b^2 (s + (v1 + v2) / 2)) cos(2c),
///
///     K = a^2 (e+ - e-) / 2,    Kdot = a^2 b^2 (e+ + e-) / 2.
///
/// Symmetry: the default pointwise rule (coordinate permutations only).
///
/// Reference: neural-tangents `stax/elementwise.py`, `Sin`.
struct SineActivation: PointwiseActivation {
  /// The output scale.
  let a: Double
  /// The input scale.
  let b: Double
  /// The phase.
  let c: Double

  static let names = ["sin"]
  static let syntax = ["sin(a=1, b=1, c=0)            a sin(b x + c)"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> SineActivation
  {
    SineActivation(
      a: try arguments.finiteNumber("a") ?? 1, b: try arguments.finiteNumber("b") ?? 1,
      c: try arguments.finiteNumber("c") ?? 0)
  }

  var description: String { a == 1 && b == 1 && c == 0 ? "sin" : "sin(a=\(a),b=\(b),c=\(c))" }
  var shortName: String { description }

  func value(_ x: Double) -> Double { a * sin(b * x + c) }

  func derivative(_ x: Double) -> Double { a * b * cos(b * x + c) }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    let halfSum = (v1 + v2) / 2
    let bSquared = b * b
    let plus = exp(bSquared * (s - halfSum))
    let minus = exp(-bSquared * (s + halfSum)) * cos(2 * c)
    let halfASquared = a * a / 2
    return (halfASquared * (plus - minus), halfASquared * bSquared * (plus + minus))
  }
}
