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
  /// Recursive on halves (`factorRecursively`): L_11 = chol(A_11), L_21 = A_21 L_11^-T,
  /// A_22 - L_21 L_21^T by one `GEMM.symmetricRankK` of depth n / 2, then L_22 = chol of that;
  /// blocks of at most 96 columns are factored by the scalar recurrence
  /// L_jj = sqrt(a_jj - sum_p L_jp^2), L_ij = (a_ij - sum_p L_ip L_jp) / L_jj. The deep rank-k
  /// updates run the product near its full rate, where the former right-looking loop's updates
  /// of depth 96 read and wrote the trailing triangle every 96 steps: n = 4096 took 0.326-0.338 s
  /// against 0.353-0.358 s (session 11). Bit-identical for any `threads`.
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
    var failure: LinearAlgebraError?
    a.storage.withUnsafeMutableBufferPointer { buffer in
      guard let l = buffer.baseAddress else { return }
      failure = Matrix.factorRecursively(l, n: n, offset: 0, size: n, threads: threads)
      for i in 0..<n { (l + i * n + i + 1).update(repeating: 0, count: n - i - 1) }
    }
    if let failure { throw failure }
    return CholeskyFactorization(lower: a)
  }
}

extension Matrix {
  /// Leaves below which the recursion factors and solves by substitution.
  static let recursionLeaf = 96

  /// Factors the size x size diagonal block at `offset` of the n x n row-major `l` in place:
  /// L11 = chol(A11); L21 = A21 L11^-T; A22 -= L21 L21^T (one rank-k update of depth size / 2);
  /// L22 = chol(A22). Returns the first non-positive pivot's error, or nil.
  static func factorRecursively(
    _ l: UnsafeMutablePointer<Double>, n: Int, offset: Int, size: Int, threads: Int
  ) -> LinearAlgebraError? {
    if size <= recursionLeaf {
      for j in offset..<(offset + size) {
        let rowJ = l + j * n
        var pivot = rowJ[j]
        for p in offset..<j { pivot -= rowJ[p] * rowJ[p] }
        guard pivot > 0 else { return .notPositiveDefinite(pivot: j, value: pivot) }
        let diagonal = pivot.squareRoot()
        rowJ[j] = diagonal
        for i in (j + 1)..<(offset + size) {
          let rowI = l + i * n
          var sum = rowI[j]
          for p in offset..<j { sum -= rowI[p] * rowJ[p] }
          rowI[j] = sum / diagonal
        }
      }
      return nil
    }
    let half = (size / 2 + recursionLeaf - 1) / recursionLeaf * recursionLeaf
    if let failure = factorRecursively(l, n: n, offset: offset, size: half, threads: threads) {
      return failure
    }
    let rest = size - half
    solveAgainstTransposed(
      l, n: n, rows: (offset + half)..<(offset + size), columns: offset..<(offset + half),
      threads: threads)
    GEMM.uncheckedSymmetricRankK(
      n: rest, k: half, alpha: -1, a: l + (offset + half) * n + offset, lda: n, beta: 1,
      c: l + (offset + half) * n + offset + half, ldc: n, mirror: false, threads: threads)
    return factorRecursively(l, n: n, offset: offset + half, size: rest, threads: threads)
  }

  /// X <- X L^-T for the rows x columns block X of `l` and the lower-triangular diagonal block L
  /// of `l` on `columns`: halves of the columns recursively, the right half first updated by
  /// one product with the solved left half.
  static func solveAgainstTransposed(
    _ l: UnsafeMutablePointer<Double>, n: Int, rows: Range<Int>, columns: Range<Int>,
    threads: Int
  ) {
    if rows.isEmpty { return }
    let width = columns.count
    if width <= recursionLeaf {
      let j0 = columns.lowerBound
      let transposedDiagonal = UnsafeMutablePointer<Double>.allocate(capacity: width * width)
      defer { transposedDiagonal.deallocate() }
      for j in 0..<width {
        for q in 0..<width {
          transposedDiagonal[j * width + q] = q >= j ? l[(j0 + q) * n + j0 + j] : 0
        }
      }
      let shared = SharedPointer(l)
      let lt = SharedPointer(transposedDiagonal)
      let rowsPerItem = 32
      let start = rows.lowerBound
      let end = rows.upperBound
      Parallel.forEach((rows.count + rowsPerItem - 1) / rowsPerItem, workers: threads) { item in
        for i in (start + item * rowsPerItem)..<min(end, start + (item + 1) * rowsPerItem) {
          let x = shared.base + i * n + j0
          for j in 0..<width {
            let column = lt.base + j * width
            let xj = x[j] / column[j]
            x[j] = xj
            for q in (j + 1)..<max(j + 1, width) { x[q] -= xj * column[q] }
          }
        }
      }
      return
    }
    let half = (width / 2 + recursionLeaf - 1) / recursionLeaf * recursionLeaf
    let left = columns.lowerBound..<(columns.lowerBound + half)
    let right = (columns.lowerBound + half)..<columns.upperBound
    solveAgainstTransposed(l, n: n, rows: rows, columns: left, threads: threads)
    // X_right -= X_left L[right, left]^T.
    GEMM.uncheckedMultiply(
      m: rows.count, n: right.count, k: half, alpha: -1,
      a: l + rows.lowerBound * n + left.lowerBound, lda: n,
      b: l + right.lowerBound * n + left.lowerBound, ldb: n, transposeB: true, beta: 1,
      c: l + rows.lowerBound * n + right.lowerBound, ldc: n, threads: threads)
    solveAgainstTransposed(l, n: n, rows: rows, columns: right, threads: threads)
  }
}
