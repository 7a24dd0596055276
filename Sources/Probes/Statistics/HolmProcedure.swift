/// Holm's step-down procedure: family-wise error control over m hypotheses under any
/// dependence between their tests (Holm, "A simple sequentially rejective multiple test
/// procedure", Scand. J. Statist. 6, 1979).
///
/// Sort the p-values p_(1) <= ... <= p_(m); reject H_(1), ..., H_(j) for the largest j with
/// p_(i) <= alpha / (m - i + 1) for every i <= j. The chance of rejecting any true hypothesis is
/// at most alpha; every hypothesis Bonferroni (alpha / m) rejects, Holm rejects too.
public enum HolmProcedure {
  /// Whether each hypothesis is rejected at family-wise level `alpha`, in the order given.
  /// - Complexity: O(m log m).
  public static func rejections(_ pValues: [Double], alpha: Double) -> [Bool] {
    var rejected = [Bool](repeating: false, count: pValues.count)
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    for (rank, index) in order.enumerated() {
      guard pValues[index] <= alpha / Double(pValues.count - rank) else { break }
      rejected[index] = true
    }
    return rejected
  }
}
