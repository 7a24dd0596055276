// MARK: - Vectorised inverse trigonometric functions

/// Coefficients of P(z) ~ (arcsin(sqrt z) - sqrt z) / z^(3/2) on 0 <= z <= 1/4, so that
/// arcsin(s) = s + s z P(z) with z = s^2, s <= 1/2: interpolation at the 13 Chebyshev points of
/// [0, 1/4] in 60-digit arithmetic, rounded to doubles (`scripts/arcsine-polynomial.py` fits them
/// again and proves the bound by interval arithmetic): |p(z) - P(z)| <= 2.4e-17 on [0, 1/4], so
/// s z (p - P) adds at most 6e-18 s, under 6e-18 relative to arcsin s: less than the rounding of
/// the additions around it. A polynomial instead of fdlibm's rational function
/// R = z P / Q saves the division, which shares the one divide-and-square-root unit with the
/// two square roots per entry.
private let arcSineP0 = 0.16666666666666669
private let arcSineP1 = 0.07499999999998433
private let arcSineP2 = 0.04464285714635543
private let arcSineP3 = 0.030381944138531247
private let arcSineP4 = 0.02237217294214989
private let arcSineP5 = 0.017352392720869973
private let arcSineP6 = 0.013971212973552933
private let arcSineP7 = 0.011479177415184906
private let arcSineP8 = 0.01032281435018578
private let arcSineP9 = 0.005457506718640358
private let arcSineP10 = 0.01740087944269402
private let arcSineP11 = -0.014851887071247204
private let arcSineP12 = 0.028757851367421566

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

/// a b + c lane-wise: one fused multiply-add per register where the build targets FMA
/// (`SYMMETRY_PROBES_AVX2`), a multiply and an add otherwise (without the instruction,
/// `addingProduct` is a libm call per lane). The two builds round differently; each is
/// deterministic.
@inline(__always)
func multiplyAdd(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
  #if SYMMETRY_PROBES_AVX2
    return c.addingProduct(a, b)
  #else
    return a * b + c
  #endif
}

/// The argument reduction shared by arcsin and arccos, given a = |x| <= 1.
///
/// For a <= 1/2 it returns arcsin a = a + a z P(z), z = a^2. For a > 1/2 it returns arcsin s
/// with s = sqrt(z), z = (1 - a) / 2 (exact), for which arccos a = 2 arcsin s; reducing to small
/// s keeps the error near one ulp where arccos is steep (a -> 1). One square root per lane,
/// no division.
@inline(__always)
func reducedArcSine(_ a: Lanes) -> (arcSineOfS: Lanes, large: SIMDMask<Lanes.MaskStorage>) {
  let large = a .> 0.5
  let half = (1 - a) * 0.5
  let z = (a * a).replacing(with: half, where: large)
  let s = a.replacing(with: squareRoot(half), where: large)
  // Estrin's scheme: pairs joined by powers of z, four multiply-adds deep instead of twelve.
  let z2 = z * z
  let z4 = z2 * z2
  let z8 = z4 * z4
  let p01 = multiplyAdd(z, Lanes(repeating: arcSineP1), Lanes(repeating: arcSineP0))
  let p23 = multiplyAdd(z, Lanes(repeating: arcSineP3), Lanes(repeating: arcSineP2))
  let p45 = multiplyAdd(z, Lanes(repeating: arcSineP5), Lanes(repeating: arcSineP4))
  let p67 = multiplyAdd(z, Lanes(repeating: arcSineP7), Lanes(repeating: arcSineP6))
  let p89 = multiplyAdd(z, Lanes(repeating: arcSineP9), Lanes(repeating: arcSineP8))
  let p1011 = multiplyAdd(z, Lanes(repeating: arcSineP11), Lanes(repeating: arcSineP10))
  let p03 = multiplyAdd(z2, p23, p01)
  let p47 = multiplyAdd(z2, p67, p45)
  let p811 = multiplyAdd(z2, p1011, p89)
  let p07 = multiplyAdd(z4, p47, p03)
  let p812 = multiplyAdd(z4, Lanes(repeating: arcSineP12), p811)
  let p = multiplyAdd(z8, p812, p07)
  return (multiplyAdd(s * z, p, s), large)
}

/// arcsin(x) lane-wise for x in [-1, 1] with a = |x| given, within a few ulp.
///
/// arcsin|x| = s + s z P(z) for |x| <= 1/2 and pi/2 - 2 arcsin s for |x| > 1/2, signed like x.
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
