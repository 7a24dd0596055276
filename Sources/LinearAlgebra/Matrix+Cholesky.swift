import Foundation

/// The Cholesky factorisation A = L L^T of a symmetric positive definite matrix.
public struct CholeskyFactorization: Sendable {
  /// The lower-triangular factor L with a positive diagonal (zeros above the diagonal).
  public let lower: Matrix

  /// The solution X of A X = B, by forward then backward substitution: L Y = B, L^T X = Y.
  ///
  /// - Throws: `.dimensionMismatch` when B does not have n rows, `.nonFinite` for NaN in B.
  /// - Complexity: O(n^2 k) for n x k B.
  public func solve(
    _ b: Matrix, threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    let y = try lower.solveLowerTriangular(b, threads: threads)
    return try lower.solveLowerTriangular(y, transposed: true, threads: threads)
  }

  /// log det A = 2 sum_i log L_ii.
  ///
  /// - Complexity: O(n).
  public var logDeterminant: Double {
    (0..<lower.rows).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
  }
}

extension Matrix {
  /// The Cholesky factorisation A = L L^T of this symmetric positive definite matrix.
  ///
  /// Blocked right-looking algorithm on 96-column panels: factor the diagonal block by the
  /// scalar recurrence L_jj = sqrt(a_jj - sum_p L_jp^2), L_ij = (a_ij - sum_p L_ip L_jp) / L_jj,
  /// solve the panel below against it (vectorised forward substitution, rows over threads), and
  /// subtract L_21 L_21^T from the trailing lower triangle with `GEMM.symmetricRankK`.
  /// Bit-identical for any `threads`.
  ///
  /// - Throws: `.dimensionMismatch` if not square, `.nonFinite` for NaN or infinite entries,
  ///   `.notSymmetric` if A != A^T beyond round-off, `.notPositiveDefinite(pivot:value:)` at the
  ///   first pivot a_jj - sum_p L_jp^2 that is not positive (no NaN is ever produced).
  /// - Complexity: O(n^3 / 3) time, O(n^2) memory.
  public func cholesky(
    threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> CholeskyFactorization {
    try requireSquare("the matrix to factor")
    try requireFinite("the matrix to factor")
    try requireSymmetric()
    let n = rows
    var a = self
    let block = 96
    let workers = n < 2 * block ? 1 : threads
    var failure: LinearAlgebraError?
    a.storage.withUnsafeMutableBufferPointer { buffer in
      let l = buffer.baseAddress!
      for j0 in stride(from: 0, to: n, by: block) {
        let jb = min(block, n - j0)
        // Diagonal block, left-looking inside the block.
        for j in j0..<(j0 + jb) {
          let rowJ = l + j * n
          var pivot = rowJ[j]
          for p in j0..<j { pivot -= rowJ[p] * rowJ[p] }
          guard pivot > 0 else {
            failure = .notPositiveDefinite(pivot: j, value: pivot)
            return
          }
          let diagonal = pivot.squareRoot()
          rowJ[j] = diagonal
          for i in (j + 1)..<(j0 + jb) {
            let rowI = l + i * n
            var sum = rowI[j]
            for p in j0..<j { sum -= rowI[p] * rowJ[p] }
            rowI[j] = sum / diagonal
          }
        }
        let start = j0 + jb
        if start == n { break }
        // Panel: each row x of A_21 solves x L_11^T = a, independently of the others, by
        // column-oriented forward substitution: x_j <- x_j / L_jj, then x_q -= x_j L_qj for
        // q > j. Each x_q is still a_q - x_0 L_q0 - x_1 L_q1 - ... in that order, but the
        // inner loop runs over q, so it is a contiguous, vectorised axpy against the rows of
        // L_11^T (copied once per block) instead of a latency-bound dot product.
        let transposedDiagonal = UnsafeMutablePointer<Double>.allocate(capacity: jb * jb)
        defer { transposedDiagonal.deallocate() }
        for j in 0..<jb {
          for q in 0..<jb { transposedDiagonal[j * jb + q] = q >= j ? l[(j0 + q) * n + j0 + j] : 0 }
        }
        let shared = SharedPointer(l)
        let lt = SharedPointer(transposedDiagonal)
        let rowsPerItem = 32
        Parallel.forEach((n - start + rowsPerItem - 1) / rowsPerItem, workers: workers) { item in
          for i in (start + item * rowsPerItem)..<min(n, start + (item + 1) * rowsPerItem) {
            let x = shared.base + i * n + j0
            for j in 0..<jb {
              let column = lt.base + j * jb
              let xj = x[j] / column[j]
              x[j] = xj
              for q in (j + 1)..<max(j + 1, jb) { x[q] -= xj * column[q] }
            }
          }
        }
        // Trailing lower triangle: A_22 <- A_22 - L_21 L_21^T, a symmetric rank-jb update of
        // the lower triangle's tiles only (the few entries it writes above the diagonal are
        // never read and are zeroed at the end).
        GEMM.uncheckedSymmetricRankK(
          n: n - start, k: jb, alpha: -1, a: l + start * n + j0, lda: n, beta: 1,
          c: l + start * n + start, ldc: n, mirror: false, threads: threads)
      }
      for i in 0..<n { (l + i * n + i + 1).update(repeating: 0, count: n - i - 1) }
    }
    if let failure { throw failure }
    return CholeskyFactorization(lower: a)
  }
}
