import Foundation

/// phi(x) = sqrt(2) sin(sqrt(2 gamma) x + pi / 4), the activation whose NNGP is the Gaussian
/// (RBF) kernel of its input, as neural-tangents' `Rbf(gamma)` (see `PointwiseActivation`).
///
/// Dual (`SineActivation` with a = sqrt 2, b = sqrt(2 gamma), c = pi / 4, where cos 2c = 0):
///
///     K = exp(-gamma (v1 + v2 - 2 s)),    Kdot = 2 gamma K.
///
/// Symmetry: the default pointwise rule (coordinate permutations only).
///
/// Reference: neural-tangents `stax/elementwise.py`, `Rbf`.
struct RbfActivation: PointwiseActivation {
  /// gamma = 1 / (2 l^2) for the length scale l; positive.
  let gamma: Double

  static let names = ["rbf"]
  static let syntax = [
    "rbf(gamma)                    sqrt 2 sin(sqrt(2 gamma) x + pi/4): RBF-kernel dual"
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> RbfActivation
  {
    let gamma = try arguments.requiredNumber("gamma", example: "rbf(1)")
    guard gamma > 0 else {
      throw .malformedArguments(
        layer: arguments.token, position: arguments.position,
        reason: "gamma = \(gamma); use a positive gamma such as 1")
    }
    return RbfActivation(gamma: gamma)
  }

  var description: String { "rbf(\(gamma))" }
  var shortName: String { description }

  func value(_ x: Double) -> Double {
    2.0.squareRoot() * sin((2 * gamma).squareRoot() * x + Double.pi / 4)
  }

  func derivative(_ x: Double) -> Double {
    2 * gamma.squareRoot() * cos((2 * gamma).squareRoot() * x + Double.pi / 4)
  }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    let value = exp(gamma * (2 * s - v1 - v2))
    return (value, 2 * gamma * value)
  }
}
