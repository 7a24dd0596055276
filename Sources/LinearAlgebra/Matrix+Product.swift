extension Matrix {
  /// The product self * other.
  ///
  /// - Complexity: O(rows * columns * other.columns).
  public func multiplied(by other: Matrix) throws(LinearAlgebraError) -> Matrix {
    guard columns == other.rows else {
      throw .dimensionMismatch(
        "cannot multiply \(rows) x \(columns) by \(other.rows) x \(other.columns): "
          + "the inner dimensions \(columns) and \(other.rows) must agree")
    }
    var result = Matrix(rows: rows, columns: other.columns)
    for i in 0..<rows {
      for k in 0..<columns {
        let a = storage[i * columns + k]
        if a == 0 { continue }
        for j in 0..<other.columns {
          result.storage[i * other.columns + j] += a * other.storage[k * other.columns + j]
        }
      }
    }
    return result
  }
}
