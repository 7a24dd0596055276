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
  ///
  /// A first pass compares 64 x 64 tiles below the diagonal with their mirror tiles, so both are
  /// read along rows: the row-by-row scan read the upper triangle down its columns, a cache line
  /// (and at n = 4096 a page) per entry, and took 13% of `bench --workload cholesky`'s samples.
  /// Only when it finds a difference does the row-by-row scan run, to name the first pair.
  func requireSymmetric() throws(LinearAlgebraError) {
    let allowed = Matrix.symmetryTolerance * maxAbsoluteEntry
    let n = rows
    let tile = 64
    let symmetric = storage.withUnsafeBufferPointer { buffer in
      guard let a = buffer.baseAddress else { return true }
      for i0 in stride(from: 0, to: n, by: tile) {
        for j0 in stride(from: 0, through: i0, by: tile) {
          for i in i0..<min(n, i0 + tile) {
            for j in j0..<min(i, j0 + tile) where abs(a[i * n + j] - a[j * n + i]) > allowed {
              return false
            }
          }
        }
      }
      return true
    }
    if symmetric { return }
    for i in 0..<rows {
      for j in 0..<i where abs(self[i, j] - self[j, i]) > allowed {
        throw .notSymmetric(row: i, column: j, difference: self[i, j] - self[j, i])
      }
    }
  }
}
