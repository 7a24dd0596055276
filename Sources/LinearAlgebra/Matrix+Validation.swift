extension Matrix {
  /// Relative asymmetry accepted as round-off: |a_ij - a_ji| <= tolerance * max |a|. Kernel
  /// matrices assembled from separately rounded halves differ by a few ulp; 1e-10 leaves room
  /// for that while rejecting a genuinely non-symmetric input.
  static let symmetryTolerance = 1e-10

  /// Throws `.dimensionMismatch` unless the matrix is square; `role` names it in the message.
  func requireSquare(_ role: String) throws(LinearAlgebraError) {
    guard isSquare else {
      throw .dimensionMismatch("\(role) must be square, got \(rows) x \(columns)")
    }
  }

  /// Throws `.nonFinite` naming the first NaN or infinite entry; `role` names the matrix.
  func requireFinite(_ role: String) throws(LinearAlgebraError) {
    if let index = storage.firstIndex(where: { !$0.isFinite }) {
      throw .nonFinite(
        "\(role) entry (\(index / max(1, columns)), \(index % max(1, columns))) is \(storage[index])"
      )
    }
  }

  /// Throws `.notSymmetric` at the first pair of mirror entries that differ beyond round-off.
  func requireSymmetric() throws(LinearAlgebraError) {
    let allowed = Matrix.symmetryTolerance * maxAbsoluteEntry
    for i in 0..<rows {
      for j in 0..<i where abs(self[i, j] - self[j, i]) > allowed {
        throw .notSymmetric(row: i, column: j, difference: self[i, j] - self[j, i])
      }
    }
  }
}
