import Foundation

extension Matrix {
  /// A Haar-distributed random orthogonal matrix in O(n).
  ///
  /// Q from the QR factorisation G = QR of an n x n matrix of i.i.d. standard normals, with the
  /// sign correction Q <- Q diag(sign(R_ii)) that makes the distribution exactly Haar
  /// (without it, Q is biased by the QR convention).
  ///
  /// Reference: F. Mezzadri, "How to generate random matrices from the classical compact
  /// groups", Notices of the AMS 54 (2007).
  /// - Complexity: O(n^3) time, O(n^2) memory.
  public static func haarOrthogonal(dimension n: Int, using generator: inout SeededGenerator) -> Matrix {
    precondition(n >= 0, "dimension must be non-negative")
    // Modified Gram–Schmidt on the columns of G, done twice for orthogonality to round-off.
    var g = Matrix(rows: n, columns: n)
    for i in 0..<(n * n) { g.storage[i] = generator.gaussian() }
    var q = g.transposed  // row j of q = column j of G
    for j in 0..<n {
      for _ in 0..<2 {
        for k in 0..<j {
          var dot = 0.0
          for t in 0..<n { dot += q.storage[k * n + t] * q.storage[j * n + t] }
          for t in 0..<n { q.storage[j * n + t] -= dot * q.storage[k * n + t] }
        }
      }
      var norm = 0.0
      for t in 0..<n { norm += q.storage[j * n + t] * q.storage[j * n + t] }
      norm = norm.squareRoot()
      for t in 0..<n { q.storage[j * n + t] /= norm }
    }
    // Gram–Schmidt gives R with a positive diagonal, which is already the sign-corrected Q.
    return q.transposed
  }
}
