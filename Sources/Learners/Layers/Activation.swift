import Foundation

/// The two nonlinearities of the named architectures, ReLU and erf, with closed-form duals and
/// a lowering to the fast engine (see `PointwiseActivation` for what an activation layer does).
///
/// For a centred Gaussian pair (u, v) with variances v1, v2 and covariance s, the dual gives
/// K = E[phi(u) phi(v)] and Kdot = E[phi'(u) phi'(v)]; an activation layer maps the NNGP S to K and
/// the NTK T to Kdot * T.
public enum Activation: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  /// phi(x) = max(x, 0).
  case relu
  /// phi(x) = erf(x), unscaled.
  case erf

  public var description: String { rawValue }

  /// The dual (K, Kdot) at covariance `s` and variances `v1`, `v2`.
  ///
  /// - ReLU (arc-cosine kernel of degree 1 and 0): with c = s / sqrt(v1 v2) clipped to [-1, 1]
  ///   (and snapped to +-1 within 8 ulp of it) and theta = arccos c, K = sqrt(v1 v2) (sin theta + (pi - theta) c) / (2 pi) and
  ///   Kdot = (pi - theta) / (2 pi). A zero variance means a constant-zero pre-activation, whose
  ///   ReLU and (with relu'(0) = 0, as in JAX) derivative vanish: (0, 0).
  /// - Erf: with D = (1 + 2 v1)(1 + 2 v2), K = (2 / pi) arcsin(2 s / sqrt(D)) with the argument
  ///   clipped to [-1, 1], and Kdot = (4 / pi) / sqrt(D - 4 s^2), where D - 4 s^2 is evaluated as
  ///   1 + 2 (v1 + v2) + 4 max(v1 v2 - s^2, 0) so round-off cannot make it vanish.
  ///
  /// The clipping makes every result finite for finite inputs: round-off can push |c| past 1.
  ///
  /// References: Y. Cho and L. Saul, "Kernel methods for deep learning", NeurIPS 2009 (ReLU);
  /// C. Williams, "Computing with infinite networks", NeurIPS 1997 (erf).
  /// - Complexity: O(1).
  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    switch self {
    case .relu:
      let product = v1 * v2
      guard product > 0 else { return (0, 0) }
      let norm = product.squareRoot()
      var c = Swift.min(Swift.max(s / norm, -1), 1)
      // Kdot = (pi - arccos c) / (2 pi) has an infinite slope at |c| = 1: a few ulps of
      // round-off in c (two sums of one product computed in different orders, as a pooled
      // kernel does for an image and its translate) become sqrt(ulp) ~ 1e-8 in the NTK, and an
      // exact symmetry would read as 5e-9. Snapping |c| >= 1 - 8 ulp to 1, as the engine does
      // (`KernelProgram.Activation.kernels`), moves a genuinely nearly parallel pair by at most
      // sqrt(16 ulp) ~ 6e-8 in angle, the uncertainty its round-off already puts on c.
      if c.magnitude >= 1 - 8 * Double.ulpOfOne { c = c < 0 ? -1 : 1 }
      let theta = acos(c)
      let value = norm * (sin(theta) + (Double.pi - theta) * c) / (2 * Double.pi)
      return (value, (Double.pi - theta) / (2 * Double.pi))
    case .erf:
      let d = (1 + 2 * v1) * (1 + 2 * v2)
      let argument = Swift.min(Swift.max(2 * s / d.squareRoot(), -1), 1)
      let value = 2 / Double.pi * asin(argument)
      let gap = 1 + 2 * (v1 + v2) + 4 * Swift.max(v1 * v2 - s * s, 0)
      return (value, 4 / Double.pi / gap.squareRoot())
    }
  }
}

extension Activation: PointwiseActivation {
  static let names = ["relu", "erf"]
  static let syntax = ["relu, erf                     activations (erf(x) itself)"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Activation
  {
    try Activation(named: name)
  }

  var shortName: String { rawValue }

  /// phi(x).
  @inline(__always)
  func value(_ x: Double) -> Double {
    switch self {
    case .relu: return x > 0 ? x : 0
    case .erf: return Foundation.erf(x)
    }
  }

  /// phi'(x), with relu'(0) = 0 as in JAX.
  @inline(__always)
  func derivative(_ x: Double) -> Double {
    switch self {
    case .relu: return x > 0 ? 1 : 0
    case .erf: return 2 / Double.pi.squareRoot() * exp(-x * x)
    }
  }

  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    switch self {
    case .relu: return program.append(.activation(.relu))
    case .erf: return program.append(.activation(.erf))
    }
  }
}

extension Activation {
  /// The activation with this name (case-insensitive): "relu" or "erf".
  public init(named name: String) throws(ArchitectureError) {
    guard let match = Self(rawValue: name.lowercased()) else {
      throw .unknownActivation(name: name, known: Self.allCases.map(\.rawValue))
    }
    self = match
  }
}
