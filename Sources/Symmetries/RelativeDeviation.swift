/// The project's one approximate-equality rule: the largest entry-wise difference relative to
/// the largest entry, max_i |a_i - b_i| / max(max_i |a_i|, max_i |b_i|).
///
/// Scale-free (a kernel and the same kernel times 10^6 compare alike) and symmetric in a and b;
/// 0 when both are all zeros. Infinite when the counts differ or a value is not finite, so a
/// mismatch can never pass as "close".
/// - Complexity: O(n).
public func relativeDeviation(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Double {
  guard a.count == b.count else { return .infinity }
  var difference = 0.0
  var scale = 0.0
  for (x, y) in zip(a, b) {
    guard x.isFinite, y.isFinite else { return .infinity }
    difference = max(difference, abs(x - y))
    scale = max(scale, abs(x), abs(y))
  }
  return scale == 0 ? 0 : difference / scale
}

/// Whether `a` and `b` agree under `relativeDeviation` to within `tolerance`, by default
/// sqrt(ulp(1)) ~ 1.5e-8 (half the float64 digits, as swift-numerics' isApproximatelyEqual).
public func isApproximatelyEqual(
  _ a: some Collection<Double>, _ b: some Collection<Double>,
  tolerance: Double = Double.ulpOfOne.squareRoot()
) -> Bool {
  relativeDeviation(a, b) <= tolerance
}
