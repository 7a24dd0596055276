// MARK: - Branch-free inverse trigonometric functions

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

// These are written as straight-line scalar code with conditional expressions and no calls
// (square roots are instructions), so that a loop over contiguous doubles that inlines them is
// vectorised by LLVM (selects instead of branches): an explicit SIMD type's masks and square
// roots are lowered lane by lane with branches, which measured about 3x slower.

/// The argument reduction shared by arcsin and arccos on [-1, 1].
///
/// For |x| <= 1/2 it returns s = |x| and arcsin|x| = s + s R(s^2). For |x| > 1/2 it returns
/// s = sqrt((1 - |x|) / 2), for which arccos|x| = 2 arcsin(s) = 2 (s + s R(s^2)); reducing
/// to small s keeps the error near one ulp where arccos is steep (|x| -> 1). `x` must already be
/// clipped to [-1, 1]. One division and one square root.
@inline(__always)
private func reducedArcSine(_ x: Double) -> (arcSineOfS: Double, large: Bool) {
  let magnitude = x < 0 ? -x : x
  let large = magnitude > 0.5
  let half = (1 - magnitude) * 0.5
  let z = large ? half : magnitude * magnitude
  let root = half.squareRoot()
  let s = large ? root : magnitude
  let numerator = z * (pS0 + z * (pS1 + z * (pS2 + z * (pS3 + z * (pS4 + z * pS5)))))
  let denominator = 1 + z * (qS1 + z * (qS2 + z * (qS3 + z * qS4)))
  return (s + s * (numerator / denominator), large)
}

/// arccos(x) for x in [-1, 1], in [0, pi], within a few ulp.
///
/// arccos x = pi/2 - sign(x) arcsin|x| for |x| <= 1/2; 2 arcsin s for x > 1/2; pi - 2 arcsin s
/// for x < -1/2, with s = sqrt((1 - |x|) / 2).
@inline(__always)
func arcCosine(_ x: Double) -> Double {
  let (w, large) = reducedArcSine(x)
  let negative = x < 0
  let small = Double.pi / 2 - (negative ? -w : w)
  let twice = w + w
  let big = negative ? Double.pi - twice : twice
  return large ? big : small
}

/// arcsin(x) for x in [-1, 1], within a few ulp.
///
/// arcsin|x| = s + s R(s^2) for |x| <= 1/2 and pi/2 - 2 arcsin s for |x| > 1/2, signed like x.
@inline(__always)
func arcSine(_ x: Double) -> Double {
  let (w, large) = reducedArcSine(x)
  let magnitude = large ? Double.pi / 2 - (w + w) : w
  return x < 0 ? -magnitude : magnitude
}
