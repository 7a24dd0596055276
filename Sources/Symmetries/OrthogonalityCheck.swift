/// The largest deviation max |Q^T Q - I| of a square matrix from orthogonality.
///
/// - Complexity: O(n^3).
func orthogonalityDeviation(_ q: Matrix) -> Double {
  let n = q.rows
  var worst = 0.0
  q.storage.withUnsafeBufferPointer { a in
    for i in 0..<n {
      for j in i..<n {
        var dot = 0.0
        for k in 0..<n { dot += a[k * n + i] * a[k * n + j] }
        worst = max(worst, abs(dot - (i == j ? 1 : 0)))
      }
    }
  }
  return worst
}

/// Accepted deviation of a user-supplied rotation from orthogonality.
///
/// A Householder-computed orthogonal matrix of size n deviates by about n * 1e-16; 1e-9 admits
/// every float64 orthogonal matrix up to n ~ 10^6 while rejecting any matrix that is
/// meaningfully not a rotation (an action that changes norms breaks every law downstream).
public let orthogonalityTolerance = 1e-9

/// Throws `notOrthogonal` unless `q` is square and orthogonal within `orthogonalityTolerance`.
func validateOrthogonal(_ q: Matrix, dimension: Int) throws(SymmetryError) {
  guard q.rows == dimension, q.columns == dimension else {
    throw .invalidShape(
      "the rotation must be \(dimension) x \(dimension), got \(q.rows) x \(q.columns)")
  }
  if let index = q.storage.firstIndex(where: { !$0.isFinite }) {
    throw .nonFiniteValue(index: index, value: q.storage[index])
  }
  let deviation = orthogonalityDeviation(q)
  guard deviation <= orthogonalityTolerance else { throw .notOrthogonal(deviation: deviation) }
}
