/// Checks that `candidate` is a permutation of 0..<count, saying precisely why not.
func validatePermutation(_ candidate: [Int], count: Int, of what: String) throws(SymmetryError) {
  guard candidate.count == count else {
    throw .notAPermutation(
      "a permutation of \(count) \(what) needs \(count) entries, got \(candidate.count)")
  }
  var seen = [Bool](repeating: false, count: count)
  for (position, value) in candidate.enumerated() {
    guard value >= 0, value < count else {
      throw .notAPermutation(
        "entry \(position) is \(value), outside 0..<\(count); entries must index the \(what)")
    }
    guard !seen[value] else {
      throw .notAPermutation(
        "\(value) appears twice; each of the \(count) \(what) must appear once")
    }
    seen[value] = true
  }
}

/// The inverse permutation: inverse[p[i]] = i.
func invertPermutation(_ permutation: [Int]) -> [Int] {
  var inverse = [Int](repeating: 0, count: permutation.count)
  for (i, target) in permutation.enumerated() { inverse[target] = i }
  return inverse
}

/// A uniformly random permutation of 0..<count other than the identity (when count > 1).
func randomNonIdentityPermutation(_ count: Int, using generator: inout SeededGenerator) -> [Int] {
  while true {
    let permutation = generator.permutation(uncheckedCount: count)
    if count < 2 || permutation != Array(0..<count) { return permutation }
  }
}
