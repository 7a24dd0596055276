import Symmetries

/// The probes' deviation of moved values from unmoved ones: the one relative-deviation rule
/// with the unmoved values as the scale, max_i |moved_i - base_i| / max_i |base_i| (infinite
/// on a non-finite value or a count mismatch). NaN when both are all zeros: nothing was
/// measured, and `Verdict` reads that as "no signal", not as invariance.
public func deviation(_ moved: [Double], from base: [Double]) -> Double {
  relativeDeviation(moved, base, scale: .reference)
}
