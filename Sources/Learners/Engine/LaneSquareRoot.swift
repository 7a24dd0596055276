// MARK: - Vectorised square roots

// A square root of a Double is a libm call that LLVM inlines as `sqrtsd` plus a branch back to
// libm for negative inputs (to set errno), which stops vectorisation. The root of a magnitude
// cannot be negative, so LLVM emits the bare instruction and packs the lanes into `sqrtpd`.

/// sqrt(x) lane-wise for x >= 0, correctly rounded (the hardware instruction).
@inline(__always)
func squareRoot(_ x: Lanes) -> Lanes {
  var result = Lanes()
  for lane in 0..<laneCount { result[lane] = x[lane].magnitude.squareRoot() }
  return result
}

/// 1 / sqrt(x) lane-wise for x > 0.
@inline(__always)
func inverseSquareRoot(_ x: Lanes) -> Lanes {
  1 / squareRoot(x)
}
