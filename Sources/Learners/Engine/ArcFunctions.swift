// MARK: - Vectorised inverse trigonometric functions

/// Coefficients of fdlibm's minimax rational approximation R(z) = z P(z) / Q(z) with
/// arcsin(s) = s + s R(s^2) on 0 <= s <= 1/2, error below 2^-58.
/// Reference: Sun Microsystems fdlibm 5.3, `e_asin.c` (freely distributable).
private let pS0 = 1.66666666666666657415e-01
private let pS1 = -3.25565818622400915405e-01
private let pS2 = 2.01212532134862925881e-01
private let pS3 = -4.00555345006794114027e-02
private let pS4 = 7.91534994289814532176e-04
private let pS5 = 3.47933107596021167570e-05
private let qS1 = -2.40339491173441421878e+00
private let qS2 = 2.02094576023350569471e+00
private let qS3 = -6.88283971605453293030e-01
private let qS4 = 7.70381505559019352791e-02

// Lane selections use `replacing(with:where:)` on comparison masks, which compiles to packed
// compares and bit masks; `pointwiseMin` and the standard square root do not vectorise.

/// The argument reduction shared by arcsin and arccos on [-1, 1].
///
/// For |x| <= 1/2 it returns s = |x| and arcsin|x| = s + s R(s^2). For |x| > 1/2 it returns
/// s = sqrt((1 - |x|) / 2), for which arccos|x| = 2 arcsin(s) = 2 (s + s R(s^2)); reducing
/// to small s keeps the error near one ulp where arccos is steep (|x| -> 1). `x` must already be
/// clipped to [-1, 1]. Lanes are independent; one division and one square root per lane.
@inline(__always)
private func reducedArcSine(_ x: Lanes) -> (arcSineOfS: Lanes, large: SIMDMask<Lanes.MaskStorage>) {
  let magnitude = x.replacing(with: -x, where: x .< 0)
  let large = magnitude .> 0.5
  let half = (1 - magnitude) * 0.5
  let z = (magnitude * magnitude).replacing(with: half, where: large)
  let s = magnitude.replacing(with: squareRoot(half), where: large)
  // Horner steps one at a time: the nested expression defeats the type checker.
  var numerator: Lanes = pS4 + z * pS5
  numerator = pS3 + z * numerator
  numerator = pS2 + z * numerator
  numerator = pS1 + z * numerator
  numerator = pS0 + z * numerator
  numerator = z * numerator
  var denominator: Lanes = qS3 + z * qS4
  denominator = qS2 + z * denominator
  denominator = qS1 + z * denominator
  denominator = 1 + z * denominator
  return (s + s * (numerator / denominator), large)
}

/// arccos(x) lane-wise for x in [-1, 1], in [0, pi], within a few ulp.
///
/// arccos x = pi/2 - sign(x) arcsin|x| for |x| <= 1/2; 2 arcsin s for x > 1/2; pi - 2 arcsin s
/// for x < -1/2, with s = sqrt((1 - |x|) / 2).
@inline(__always)
func arcCosine(_ x: Lanes) -> Lanes {
  let (w, large) = reducedArcSine(x)
  let negative = x .< 0
  let small = Double.pi / 2 - w.replacing(with: -w, where: negative)
  let twice = w + w
  let big = twice.replacing(with: Double.pi - twice, where: negative)
  return small.replacing(with: big, where: large)
}

/// arcsin(x) lane-wise for x in [-1, 1], within a few ulp.
///
/// arcsin|x| = s + s R(s^2) for |x| <= 1/2 and pi/2 - 2 arcsin s for |x| > 1/2, signed like x.
@inline(__always)
func arcSine(_ x: Lanes) -> Lanes {
  let (w, large) = reducedArcSine(x)
  let magnitude = w.replacing(with: Double.pi / 2 - (w + w), where: large)
  return magnitude.replacing(with: -magnitude, where: x .< 0)
}

/// x clipped to [-1, 1] lane-wise.
@inline(__always)
func clippedToUnit(_ x: Lanes) -> Lanes {
  let low = x.replacing(with: -1, where: x .< -1)
  return low.replacing(with: 1, where: low .> 1)
}
