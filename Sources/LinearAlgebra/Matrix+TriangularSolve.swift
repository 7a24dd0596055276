extension Matrix {
  /// Solves L X = B (or L^T X = B when `transposed`) for lower-triangular L = self, with many
  /// right-hand sides.
  ///
  /// Only the lower triangle of self is read. Blocked: each diagonal block of 64 rows is solved
  /// by substitution on whole rows of X, and the rest of B is updated by one `GEMM` per block,
  /// B_2 <- B_2 - L_21 X_1 (forward) or B_1 <- B_1 - L_21^T X_2 (backward). Bit-identical for
  /// any `threads`.
  ///
  /// - Throws: `.dimensionMismatch` for a non-square L or B without n rows, `.nonFinite` for a
  ///   NaN or infinite entry of B, `.singular` for a zero diagonal entry of L.
  /// - Complexity: O(n^2 k) for n x n L and n x k B.
  public func solveLowerTriangular(
    _ b: Matrix, transposed: Bool = false, threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    try requireSquare("the triangular matrix")
    guard b.rows == rows else {
      throw .dimensionMismatch(
        "the right-hand side has \(b.rows) rows; the \(rows) x \(rows) triangular system needs \(rows)"
      )
    }
    try b.requireFinite("the right-hand side")
    for i in 0..<rows where self[i, i] == 0 { throw .singular(pivot: i) }
    var x = b
    if rows == 0 || b.columns == 0 { return x }
    let n = rows
    let k = b.columns
    let block = 64
    storage.withUnsafeBufferPointer { lBuffer in
      x.storage.withUnsafeMutableBufferPointer { xBuffer in
        let l = lBuffer.baseAddress!
        let xs = xBuffer.baseAddress!
        if !transposed {
          for i0 in stride(from: 0, to: n, by: block) {
            let ib = min(block, n - i0)
            for r in i0..<(i0 + ib) {
              let xr = xs + r * k
              for s in i0..<r {
                Matrix.subtract(l[r * n + s], times: xs + s * k, from: xr, count: k)
              }
              Matrix.divide(xr, by: l[r * n + r], count: k)
            }
            let below = n - i0 - ib
            if below > 0 {
              GEMM.uncheckedMultiply(
                m: below, n: k, k: ib, alpha: -1, a: l + (i0 + ib) * n + i0, lda: n,
                b: xs + i0 * k, ldb: k, beta: 1, c: xs + (i0 + ib) * k, ldc: k, threads: threads)
            }
          }
        } else {
          let lastStart = ((n - 1) / block) * block
          for i0 in stride(from: lastStart, through: 0, by: -block) {
            let ib = min(block, n - i0)
            for r in stride(from: i0 + ib - 1, through: i0, by: -1) {
              let xr = xs + r * k
              for s in (r + 1)..<(i0 + ib) {
                Matrix.subtract(l[s * n + r], times: xs + s * k, from: xr, count: k)
              }
              Matrix.divide(xr, by: l[r * n + r], count: k)
            }
            if i0 > 0 {
              GEMM.uncheckedMultiply(
                m: i0, n: k, k: ib, alpha: -1, a: l + i0 * n, lda: n, transposeA: true,
                b: xs + i0 * k, ldb: k, beta: 1, c: xs, ldc: k, threads: threads)
            }
          }
        }
      }
    }
    return x
  }

  /// y <- y - alpha x on `count` contiguous entries.
  @inline(__always)
  static func subtract(
    _ alpha: Double, times x: UnsafePointer<Double>, from y: UnsafeMutablePointer<Double>,
    count: Int
  ) {
    if alpha == 0 { return }
    for j in 0..<count { y[j] -= alpha * x[j] }
  }

  /// y <- y / d on `count` contiguous entries.
  @inline(__always)
  static func divide(_ y: UnsafeMutablePointer<Double>, by d: Double, count: Int) {
    for j in 0..<count { y[j] /= d }
  }
}
