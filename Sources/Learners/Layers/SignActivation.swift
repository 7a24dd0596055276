import Foundation

/// phi(x) = sign(x) (0 at 0), as neural-tangents' `Sign` (see `PointwiseActivation`).
///
/// Dual: K = (2 / pi) arcsin(c) with c = s / sqrt(v1 v2) clipped to [-1, 1] (0 when a variance is
/// zero); Kdot = 0, since phi' vanishes almost everywhere: the NTK stops at this layer, and
/// neural-tangents sets it to zero here as well. The finite layer's derivative is 0 everywhere
/// (as JAX's), so no gradient flows through it either.
///
/// Symmetry: the default pointwise rule (coordinate permutations only).
///
/// Reference: neural-tangents `stax/elementwise.py`, `Sign`.
struct SignActivation: PointwiseActivation {
  static let names = ["sign"]
  static let syntax = ["sign                          sign(x); its NTK contribution is zero"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> SignActivation
  {
    SignActivation()
  }

  var description: String { "sign" }
  var shortName: String { "sign" }

  func value(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }

  func derivative(_ x: Double) -> Double { 0 }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    let product = v1 * v2
    guard product > 0 else { return (0, 0) }
    var c = Swift.min(Swift.max(s / product.squareRoot(), -1), 1)
    // arcsin has an infinite slope at |c| = 1: snap round-off there, as ReLU does.
    if c.magnitude >= 1 - 8 * Double.ulpOfOne { c = c < 0 ? -1 : 1 }
    return (2 / Double.pi * asin(c), 0)
  }
}
