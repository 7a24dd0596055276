import Foundation

/// phi(x) = a min(x, 0) + b max(x, 0): `abrelu(a, b)`, and its named cases `leakyrelu(alpha)`
/// (a = alpha, b = 1) and `abs` (a = -1, b = 1), as neural-tangents' `ABRelu`, `LeakyRelu` and
/// `Abs` (see `PointwiseActivation` for what an activation layer does).
///
/// Dual (arc-cosine kernels of degree 1 and 0, mixed by the two slopes): with
/// c = s / sqrt(v1 v2) clipped to [-1, 1] and theta = arccos c,
///
///     Kdot = (a^2 + b^2) / 2 - (a - b)^2 theta / (2 pi)
///     K    = sqrt(v1 v2) ((a - b)^2 sin(theta) / (2 pi) + Kdot c)
///
/// (ReLU is a = 0, b = 1). A zero variance is a constant-zero pre-activation: K = 0 and
/// Kdot = phi'(0)^2 = (a + b)^2 / 4, since JAX splits the derivative of min and max evenly at a
/// tie (neural-tangents' theta = pi / 2 there gives the same value).
///
/// Symmetry: the default pointwise rule (coordinate permutations only): phi is not linear unless
/// a = b, so a channel rotation that no layer absorbed does not commute with it.
///
/// Reference: B. Tsuchida, F. Roosta, M. Gallagher, "Invariance of weight distributions in
/// rectified MLPs", ICML 2018; neural-tangents `stax/elementwise.py`, `ABRelu`.
struct PiecewiseLinearActivation: PointwiseActivation {
  /// How the layer was written, so that it prints back the same way.
  enum Form: Sendable, Hashable {
    case abrelu
    case leakyrelu
    case abs
  }

  let form: Form
  /// The slope for x < 0.
  let a: Double
  /// The slope for x > 0.
  let b: Double

  // MARK: - Syntax

  static let names = ["abrelu", "leakyrelu", "abs"]
  static let syntax = [
    "abrelu(a, b)                  a min(x, 0) + b max(x, 0)",
    "leakyrelu(alpha)              abrelu(alpha, 1)",
    "abs                           |x| = abrelu(-1, 1)",
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> PiecewiseLinearActivation
  {
    switch name {
    case "abrelu":
      let a = try arguments.requiredNumber("a", example: "abrelu(-0.3, 1)")
      let b = try arguments.requiredNumber("b", example: "abrelu(-0.3, 1)")
      return PiecewiseLinearActivation(form: .abrelu, a: a, b: b)
    case "leakyrelu":
      let alpha = try arguments.requiredNumber("alpha", example: "leakyrelu(0.1)")
      return PiecewiseLinearActivation(form: .leakyrelu, a: alpha, b: 1)
    default:
      return PiecewiseLinearActivation(form: .abs, a: -1, b: 1)
    }
  }

  var description: String {
    switch form {
    case .abrelu: return "abrelu(\(a),\(b))"
    case .leakyrelu: return "leakyrelu(\(a))"
    case .abs: return "abs"
    }
  }

  var shortName: String { description }

  // MARK: - Values and dual

  func value(_ x: Double) -> Double { x < 0 ? a * x : b * x }

  /// a below 0, b above, (a + b) / 2 at 0 (JAX's even split of min and max at a tie).
  func derivative(_ x: Double) -> Double {
    x < 0 ? a : (x > 0 ? b : (a + b) / 2)
  }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    let product = v1 * v2
    let mixing = (a - b) * (a - b) / (2 * Double.pi)
    let even = (a * a + b * b) / 2
    guard product > 0 else { return (0, even - mixing * Double.pi / 2) }
    let norm = product.squareRoot()
    var c = Swift.min(Swift.max(s / norm, -1), 1)
    // As ReLU (`Activation.dual`): Kdot has an infinite slope at |c| = 1, so round-off of a few
    // ulps in c is snapped rather than amplified to sqrt(ulp).
    if c.magnitude >= 1 - 8 * Double.ulpOfOne { c = c < 0 ? -1 : 1 }
    let theta = acos(c)
    let derivative = even - mixing * theta
    return (norm * (mixing * sin(theta) + derivative * c), derivative)
  }
}
