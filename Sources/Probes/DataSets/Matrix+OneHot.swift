import Symmetries

extension Matrix {
  /// Centred one-hot regression targets: an n x k matrix with Y_{ij} = [label_i = j] - 1/k.
  ///
  /// Each row sums to 0, so a kernel regressor needs no bias to fit the class means.
  ///
  /// - Throws: `SymmetryError.invalidParameter` for k < 1 or a label outside 0..<k.
  /// - Complexity: O(n * k).
  public static func centredOneHot(labels: [Int], classCount: Int) throws(SymmetryError) -> Matrix {
    guard classCount >= 1 else {
      throw .invalidParameter("one-hot targets need at least one class, got \(classCount)")
    }
    if let index = labels.firstIndex(where: { !(0..<classCount).contains($0) }) {
      throw .invalidParameter(
        "label \(labels[index]) of item \(index) is outside 0..<\(classCount); "
          + "pass the number of classes, not the largest label")
    }
    var targets = Matrix(
      uncheckedRows: labels.count, columns: classCount, repeating: -1 / Double(classCount))
    for (i, label) in labels.enumerated() { targets[i, label] += 1 }
    return targets
  }
}

extension LabelledImages {
  /// The centred one-hot targets of the labels, n x classCount (see
  /// `Matrix.centredOneHot(labels:classCount:)`).
  public var centredOneHotTargets: Matrix {
    // The initialiser guaranteed every label is in range, so this cannot throw.
    try! Matrix.centredOneHot(labels: labels, classCount: classCount)
  }
}
