/// What `relativeDeviation` divides the largest entry-wise difference by.
public enum DeviationScale: Sendable {
  /// The largest magnitude in either array, max(max_i |a_i|, max_i |b_i|): symmetric in a and
  /// b, and 0 when both are all zeros, since they are then equal.
  case larger
  /// The largest magnitude in the reference b, max_i |b_i|: how far a moved from b. NaN when
  /// both are all zeros, since nothing was measured (the probes read that as "no signal", not
  /// as invariance), and infinite when only b is.
  case reference
}

/// The project's one approximate-equality rule: the largest entry-wise difference relative to
/// the largest entry, max_i |a_i - b_i| / max(max_i |a_i|, max_i |b_i|), or relative to the
/// reference b alone with `scale: .reference` (the probes' deviation of moved values from
/// unmoved ones, `deviation(_:from:)`).
///
/// Scale-free (a kernel and the same kernel times 10^6 compare alike). Infinite when the counts
/// differ or a value is not finite, so a mismatch can never pass as "close". Inlinable because
/// the probes call it on whole kernel matrices from another module.
/// - Complexity: O(n).
@inlinable
public func relativeDeviation(
  _ a: some Collection<Double>, _ b: some Collection<Double>, scale: DeviationScale = .larger
) -> Double {
  guard a.count == b.count else { return .infinity }
  var difference = 0.0
  var largest = 0.0
  for (x, y) in zip(a, b) {
    guard x.isFinite, y.isFinite else { return .infinity }
    difference = max(difference, abs(x - y))
    switch scale {
    case .larger: largest = max(largest, abs(x), abs(y))
    case .reference: largest = max(largest, abs(y))
    }
  }
  guard largest == 0 else { return difference / largest }
  switch scale {
  case .larger: return 0
  case .reference: return difference == 0 ? .nan : .infinity
  }
}

/// Whether `a` and `b` agree under `relativeDeviation` to within `tolerance`, by default
/// sqrt(ulp(1)) ~ 1.5e-8 (half the float64 digits, as swift-numerics' isApproximatelyEqual).
public func isApproximatelyEqual(
  _ a: some Collection<Double>, _ b: some Collection<Double>,
  tolerance: Double = Double.ulpOfOne.squareRoot()
) -> Bool {
  relativeDeviation(a, b) <= tolerance
}
