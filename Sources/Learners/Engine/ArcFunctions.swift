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

// Lane selections (`replacing(with:where:)` on comparison masks) cost about five
// instructions per register pair; magnitudes and sign transfers written as per-lane loops
// compile to single bit operations, so the code below selects as little as it can.

/// |x| lane-wise (one `andpd` per register).
@inline(__always)
func magnitude(_ x: Lanes) -> Lanes {
  var result = Lanes()
  for lane in 0..<laneCount { result[lane] = x[lane].magnitude }
  return result
}

/// |w| with the sign of x, lane-wise (bit operations only).
@inline(__always)
func withSign(of x: Lanes, magnitude w: Lanes) -> Lanes {
  var result = Lanes()
  for lane in 0..<laneCount { result[lane] = Double(signOf: x[lane], magnitudeOf: w[lane]) }
  return result
}

/// The argument reduction shared by arcsin and arccos, given a = |x| <= 1.
///
/// For a <= 1/2 it returns arcsin a = a + a R(a^2). For a > 1/2 it returns arcsin s with
/// s = sqrt((1 - a) / 2), for which arccos a = 2 arcsin s; reducing to small s keeps the error
/// near one ulp where arccos is steep (a -> 1). One division and one square root per lane.
@inline(__always)
private func reducedArcSine(_ a: Lanes) -> (arcSineOfS: Lanes, large: SIMDMask<Lanes.MaskStorage>) {
  let large = a .> 0.5
  let half = (1 - a) * 0.5
  let z = (a * a).replacing(with: half, where: large)
  let s = a.replacing(with: squareRoot(half), where: large)
  // Estrin's scheme: independent pairs joined by powers of z, so the chain to the division is
  // three multiply-adds deep instead of six (the loop is latency-bound, not throughput-bound).
  let z2 = z * z
  let z4 = z2 * z2
  let n01: Lanes = pS0 + z * pS1
  let n23: Lanes = pS2 + z * pS3
  let n45: Lanes = pS4 + z * pS5
  let numerator = z * (n01 + z2 * n23 + z4 * n45)
  let d01: Lanes = 1 + z * qS1
  let d23: Lanes = qS2 + z * qS3
  let denominator = d01 + z2 * d23 + z4 * qS4
  return (s + s * (numerator / denominator), large)
}

/// arccos(x) lane-wise for x in [-1, 1] with a = |x| given, in [0, pi], within a few ulp.
///
/// With w the reduced arcsine carrying the sign of x: arccos x = pi/2 - w for |x| <= 1/2, and
/// 2 w for x > 1/2, pi + 2 w for x < -1/2 (w < 0 there), with s = sqrt((1 - |x|) / 2).
@inline(__always)
func arcCosine(_ x: Lanes, magnitude a: Lanes) -> Lanes {
  let (w, large) = reducedArcSine(a)
  let signed = withSign(of: x, magnitude: w)
  let halfPi = Lanes(repeating: Double.pi / 2)
  // pi for negative x, 0 for positive x, without a comparison.
  let offset = halfPi - withSign(of: x, magnitude: halfPi)
  let small = halfPi - signed
  return small.replacing(with: offset + (signed + signed), where: large)
}

/// arcsin(x) lane-wise for x in [-1, 1] with a = |x| given, within a few ulp.
///
/// arcsin|x| = s + s R(s^2) for |x| <= 1/2 and pi/2 - 2 arcsin s for |x| > 1/2, signed like x.
@inline(__always)
func arcSine(_ x: Lanes, magnitude a: Lanes) -> Lanes {
  let (w, large) = reducedArcSine(a)
  return withSign(of: x, magnitude: w.replacing(with: Double.pi / 2 - (w + w), where: large))
}

/// min(|x|, 1) lane-wise: the magnitude of x clipped to [-1, 1].
@inline(__always)
func clippedMagnitude(_ x: Lanes) -> Lanes {
  let a = magnitude(x)
  return a.replacing(with: 1, where: a .> 1)
}
