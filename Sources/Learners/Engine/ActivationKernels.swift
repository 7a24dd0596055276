import Foundation

/// The closed-form Gaussian kernels of an activation, written in per-pixel factors so a pair
/// needs only products of precomputed numbers, one arc-cosine or arc-sine, two roots and a
/// division per entry.
///
/// Each image contributes, at each activation and pixel, a factor pair (u, v) computed from its
/// own variance s = S_xx(p, p); a pair multiplies them, uu = u u', vv = v v', in that order
/// (products commute, so the result does not depend on which image is the row):
/// - ReLU: u = 1 / sqrt(s) (0 when s = 0), v = sqrt(s); c = clip(S uu), t = arccos c,
///   K = vv (sqrt((1 - c)(1 + c)) + (pi - t) c) / (2 pi), Kdot = (pi - t) / (2 pi).
/// - Erf: u = 1 / sqrt(1 + 2 s), v = 1 + 2 s, so uu = 1 / sqrt(D) and vv = D;
///   K = (2 / pi) arcsin(clip(2 S uu)), Kdot = (4 / pi) / sqrt(D - 4 S^2).
/// Clipping keeps arguments in [-1, 1] and radicands positive, so no entry is ever NaN.
/// The square roots are `squareRoot`/`inverseSquareRoot` (the hardware instruction).
extension KernelProgram.Activation {
  /// The factors (u, v) of one image at one pixel with variance `variance`.
  func factors(variance s: Double) -> (u: Double, v: Double) {
    switch self {
    case .relu:
      let root = s.squareRoot()
      return (root > 0 ? 1 / root : 0, root)
    case .erf:
      return (1 / (1 + 2 * s).squareRoot(), 1 + 2 * s)
    }
  }

  /// K at the pixel diagonal of an image with itself (c = 1): the variance recursion.
  func diagonalKernel(variance s: Double) -> Double {
    switch self {
    case .relu:
      return s / 2
    case .erf:
      return 2 / Double.pi * asin(2 * s / (1 + 2 * s))
    }
  }
}

// MARK: - Lane kernels

/// ReLU's (K, Kdot) lane-wise for covariances `s` and pair factors `uu`, `vv` (see
/// `KernelProgram.Activation` above for the formulas).
@inline(__always)
func reluKernels(_ s: Lanes, _ uu: Lanes, _ vv: Lanes) -> (k: Lanes, kdot: Lanes) {
  // c = S (1/sqrt s)(1/sqrt s') carries a few roundings, so an image paired with itself
  // lands within a few ulps of 1, where arccos and sqrt(1 - c^2) amplify one ulp to 1e-8
  // (neural-tangents' own diagonal error). Snapping |c| >= 1 - 8 ulp to 1 gives identical
  // images exactly c = 1, as the layer-by-layer path does, and moves a genuinely
  // nearly-parallel pair by at most sqrt(16 ulp) ~ 6e-8 in angle, the size of the
  // uncertainty its round-off already puts on c.
  let raw = clippedMagnitude(s * uu)
  let a = raw.replacing(with: 1, where: raw .>= 1 - 8 * Double.ulpOfOne)
  let c = withSign(of: s, magnitude: a)
  // pi - arccos c, written out here rather than called: as a call (the inliner leaves it one,
  // @inline(__always) notwithstanding) its lanes went through memory in 128-bit halves.
  // arccos a = pi/2 - w for a <= 1/2 and 2 w above, with w from `reducedArcSine`;
  // pi - arccos c is pi - arccos a for c >= 0 and arccos a for c < 0.
  let (w, large) = reducedArcSine(a)
  let angle = (Double.pi / 2 - w).replacing(with: w + w, where: large)
  let complement = (Double.pi - angle).replacing(with: angle, where: s .< 0)
  let sine = squareRoot((1 - a) * (1 + a))
  return (vv * multiplyAdd(complement, c, sine) * inverseTwoPi, complement * inverseTwoPi)
}

/// Erf's (K, Kdot) lane-wise for covariances `s` and pair factors `uu`, `vv`.
@inline(__always)
func erfKernels(_ s: Lanes, _ uu: Lanes, _ vv: Lanes) -> (k: Lanes, kdot: Lanes) {
  let a = clippedMagnitude(2 * s * uu)
  let argument = withSign(of: s, magnitude: a)
  let difference = vv - 4 * s * s
  let radicand = difference.replacing(
    with: .leastNormalMagnitude, where: difference .< .leastNormalMagnitude)
  return (
    (2 / Double.pi) * arcSine(argument, magnitude: a), (4 / Double.pi) * inverseSquareRoot(radicand)
  )
}

private let inverseTwoPi = 1 / (2 * Double.pi)
