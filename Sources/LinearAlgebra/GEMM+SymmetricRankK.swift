extension GEMM {
  /// The symmetric rank-k update C <- alpha op(A) op(A)^T + beta C on raw row-major buffers,
  /// computing only the lower triangle's register tiles (about half the work of `multiply`).
  ///
  /// op(A) is n x k: A itself (`transposeA == false`, so the product is A A^T) or the transpose
  /// of a stored k x n matrix (A^T A). Every entry on or below the diagonal gets exactly the bits
  /// `multiply(a: op(A), b: op(A)^T)` gives it: the same packed panels, the same KC blocks of
  /// k and the same micro-kernel, whose entries do not depend on which tiles are computed. With
  /// `mirror`, the strict upper triangle is then copied from the lower one, so C equals the
  /// general product bit for bit; without it, the strict upper triangle is left unspecified
  /// (partly old contents, partly products from the tiles that straddle the diagonal).
  /// Bit-identical for any `threads`.
  ///
  /// Throws, before touching any buffer, when a dimension is negative or a row stride is
  /// shorter than the row it must skip.
  ///
  /// - Complexity: O(n^2 k / 2 + n MC k) time, O(KC (NC + threads MC)) scratch memory.
  public static func symmetricRankK(
    n: Int, k: Int, alpha: Double = 1,
    a: UnsafePointer<Double>, lda: Int, transposeA: Bool = false,
    beta: Double = 0,
    c: UnsafeMutablePointer<Double>, ldc: Int, mirror: Bool = true,
    threads: Int = defaultThreadCount
  ) throws(LinearAlgebraError) {
    try validateDimensions(n: n, k: k)
    try validateStride(
      "lda", lda, rows: transposeA ? k : n, rowLength: transposeA ? n : k, operand: "A")
    try validateStride("ldc", ldc, rows: n, rowLength: n, operand: "C")
    uncheckedSymmetricRankK(
      n: n, k: k, alpha: alpha, a: a, lda: lda, transposeA: transposeA, beta: beta, c: c,
      ldc: ldc, mirror: mirror, threads: threads)
  }

  /// `symmetricRankK` without argument checks, for the package's own callers.
  package static func uncheckedSymmetricRankK(
    n: Int, k: Int, alpha: Double = 1,
    a: UnsafePointer<Double>, lda: Int, transposeA: Bool = false,
    beta: Double = 0,
    c: UnsafeMutablePointer<Double>, ldc: Int, mirror: Bool = true,
    threads: Int = defaultThreadCount
  ) {
    precondition(n >= 0 && k >= 0, "internal: GEMM dimensions must be non-negative")
    if n == 0 { return }
    if k == 0 || alpha == 0 {
      scale(m: n, n: n, c: c, ldc: ldc, by: beta)
    } else {
      let aOperand = Operand(
        base: a, rowStride: transposeA ? 1 : lda, columnStride: transposeA ? lda : 1)
      // op(A)^T as the right operand: the same storage with the strides swapped.
      let bOperand = Operand(
        base: a, rowStride: aOperand.columnStride, columnStride: aOperand.rowStride)
      let workers = n * n * k < 2 * 64 * 64 * 64 ? 1 : max(1, threads)
      run(
        m: n, n: n, k: k, alpha: alpha, a: aOperand, b: bOperand, beta: beta,
        output: Output(base: c, ldc: ldc), lowerOnly: true, workers: workers)
    }
    if mirror { mirrorLowerTriangle(n: n, c: c, ldc: ldc, threads: threads) }
  }

  /// C_ij <- C_ji for i < j: copies the lower triangle onto the upper one, in tiles so the
  /// strided reads stay in cache. Tile rows are independent copies, spread over `threads`
  /// threads (a copy, so the bits cannot depend on the thread count); at n = 2048 the single-
  /// threaded copy was a visible share of the FCN kernel.
  ///
  /// - Complexity: O(n^2).
  static func mirrorLowerTriangle(
    n: Int, c: UnsafeMutablePointer<Double>, ldc: Int, threads: Int = defaultThreadCount
  ) {
    let tile = 32
    let shared = SharedPointer(c)
    let tileRows = (n + tile - 1) / tile
    Parallel.forEach(tileRows, workers: n < 256 ? 1 : threads) { block in
      let c = shared.base
      let i0 = block * tile
      for j0 in stride(from: i0, to: n, by: tile) {
        for i in i0..<min(i0 + tile, n) {
          let row = c + i * ldc
          for j in max(j0, i + 1)..<max(max(j0, i + 1), min(j0 + tile, n)) {
            row[j] = c[j * ldc + i]
          }
        }
      }
    }
  }
}
