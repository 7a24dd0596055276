import Foundation

/// The exact GELU, phi(x) = x Phi(x) with Phi the standard normal distribution function
/// (neural-tangents' `Gelu(approximate=False)`; see `PointwiseActivation`).
///
/// Dual, with P = v1 v2, Q = (1 + v1)(1 + v2), delta = sqrt(Q - s^2) and
/// alpha = atan2(s, delta):
///
///     K    = s / 4 + ((s^2 + P delta^2) / (Q delta) + s alpha) / (2 pi)
///     Kdot = 1 / 4 + alpha / (2 pi) + s (1 / delta^2 + (1 - P) / Q + 1) / (2 pi delta)
///
/// where Q - s^2 is evaluated as 1 + v1 + v2 + max(v1 v2 - s^2, 0) >= 1, so every value is finite.
///
/// Symmetry: the default pointwise rule (coordinate permutations only).
///
/// Reference: R. Tsuchida, T. Pearce, C. van der Heide, F. Roosta, M. Gallagher, "Avoiding kernel
/// fixed points: computing with ELU and GELU infinite networks", AAAI 2021; neural-tangents
/// `stax/elementwise.py`, `Gelu`.
struct GeluActivation: PointwiseActivation {
  static let names = ["gelu"]
  static let syntax = ["gelu                          x Phi(x), the exact GELU"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> GeluActivation
  {
    GeluActivation()
  }

  var description: String { "gelu" }
  var shortName: String { "gelu" }

  /// x Phi(x), with Phi(x) = (1 + erf(x / sqrt 2)) / 2.
  func value(_ x: Double) -> Double { x * Self.normalDistribution(x) }

  /// Phi(x) + x phi(x), phi the standard normal density.
  func derivative(_ x: Double) -> Double {
    Self.normalDistribution(x) + x * exp(-x * x / 2) / (2 * Double.pi).squareRoot()
  }

  /// Phi(x) = erfc(-x / sqrt 2) / 2, accurate in both tails (1 + erf would cancel for x << 0).
  static func normalDistribution(_ x: Double) -> Double {
    erfc(-x / 2.0.squareRoot()) / 2
  }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    let p = v1 * v2
    let q = (1 + v1) * (1 + v2)
    let deltaSquared = 1 + v1 + v2 + Swift.max(p - s * s, 0)
    let delta = deltaSquared.squareRoot()
    let alpha = atan2(s, delta)
    let twoPi = 2 * Double.pi
    let value = s / 4 + ((s * s + p * deltaSquared) / (q * delta) + s * alpha) / twoPi
    let derivative =
      0.25 + alpha / twoPi + s * (1 / deltaSquared + (1 - p) / q + 1) / (twoPi * delta)
    return (value, derivative)
  }
}
