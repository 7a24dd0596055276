import Symmetries

extension LabelledImages {
  /// The first `count` labelled images, in order.
  ///
  /// - Throws: `SymmetryError.invalidParameter` unless 0 <= count <= self.count.
  public func prefix(_ count: Int) throws(SymmetryError) -> LabelledImages {
    try checkSubsetSize(count)
    return subset(Array(0..<count))
  }

  /// `count` labelled images drawn uniformly without replacement, in random order.
  ///
  /// The first `count` entries of a seeded uniform permutation; the same seed gives the same
  /// subset, and prefixes of a larger subset are smaller subsets (nested training sets).
  ///
  /// - Throws: `SymmetryError.invalidParameter` unless 0 <= count <= self.count.
  /// - Complexity: O(self.count + count * d).
  public func randomSubset(
    count: Int, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> LabelledImages {
    try checkSubsetSize(count)
    return subset(Array(generator.permutation(uncheckedCount: self.count).prefix(count)))
  }

  /// `perClass` labelled images of every class, drawn uniformly without replacement within
  /// each class, then shuffled together into random order.
  ///
  /// - Throws: `SymmetryError.invalidParameter` when perClass < 0 or a class has fewer images.
  /// - Complexity: O(self.count + classCount * perClass * d).
  public func classBalancedSubset(
    perClass: Int, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> LabelledImages {
    guard perClass >= 0 else {
      throw .invalidParameter("the number per class must be non-negative, got \(perClass)")
    }
    var byClass = [[Int]](repeating: [], count: classCount)
    for i in generator.permutation(uncheckedCount: count) { byClass[labels[i]].append(i) }
    if let scarce = byClass.indices.first(where: { byClass[$0].count < perClass }) {
      throw .invalidParameter(
        "class \(scarce) (\(classNames[scarce])) has \(byClass[scarce].count) images, fewer than "
          + "the \(perClass) per class asked for; ask for at most "
          + "\(byClass.map(\.count).min() ?? 0)")
    }
    let chosen = byClass.flatMap { $0.prefix(perClass) }
    let order = generator.permutation(uncheckedCount: chosen.count)
    return subset(order.map { chosen[$0] })
  }

  /// The labelled images at `indices`, in that order (indices already validated).
  func subset(_ indices: [Int]) -> LabelledImages {
    // A subset keeps the class names and in-range labels, so this cannot throw.
    try! LabelledImages(
      images: images.selecting(uncheckedIndices: indices), labels: indices.map { labels[$0] },
      classNames: classNames)
  }

  func checkSubsetSize(_ size: Int) throws(SymmetryError) {
    guard (0...count).contains(size) else {
      throw .invalidParameter(
        "cannot take \(size) of \(count) labelled images; ask for between 0 and \(count)")
    }
  }
}
