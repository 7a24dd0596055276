extension Matrix {
  /// The product self * other, computed by the blocked, packed, multi-threaded `GEMM`.
  ///
  /// (self other)_ij = sum_p self_ip other_pj, each entry summed in the same order whatever the
  /// thread count, so the bits do not depend on `threads`.
  ///
  /// - Complexity: O(rows * columns * other.columns).
  public func multiplied(
    by other: Matrix, threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    try Matrix.product(self, other, threads: threads)
  }

  /// The product op(a) op(b), where op(x) is x or its transpose x^T.
  ///
  /// `product(a, b, transposeA: true)` is a^T b and `product(a, b, transposeB: true)` is a b^T,
  /// computed without forming a transpose. Bit-identical for any `threads`.
  ///
  /// - Complexity: O(m n k) for op(a) m x k and op(b) k x n.
  public static func product(
    _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
    threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    guard k == kb else {
      throw .dimensionMismatch(
        "cannot multiply \(m) x \(k) by \(kb) x \(n) (after transposition): "
          + "the inner dimensions \(k) and \(kb) must agree")
    }
    if m == 0 || n == 0 || k == 0 { return Matrix(uncheckedRows: m, columns: n) }
    // With beta = 0 the product writes every entry of C without reading it.
    return Matrix(uncheckedRows: m, columns: n) { pc in
      a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
          GEMM.uncheckedMultiply(
            m: m, n: n, k: k,
            a: pa.baseAddress!, lda: a.columns,
            transposeA: transposeA,
            b: pb.baseAddress!, ldb: b.columns,
            transposeB: transposeB,
            c: pc.baseAddress!, ldc: n, threads: threads)
        }
      }
    }
  }
}

extension Matrix {
  /// The symmetric product a a^T (or a^T a with `transposeA`), computing one triangle with
  /// `GEMM.symmetricRankK` and mirroring it: about half the work of `product(a, a,
  /// transposeB: true)`, and equal to it bit for bit. Bit-identical for any `threads`.
  ///
  /// - Complexity: O(m^2 k / 2) for op(a) m x k.
  public static func symmetricProduct(
    _ a: Matrix, transposeA: Bool = false, threads: Int = GEMM.defaultThreadCount
  ) -> Matrix {
    let (n, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    var result = Matrix(uncheckedRows: n, columns: n)
    if n == 0 || k == 0 { return result }
    a.storage.withUnsafeBufferPointer { pa in
      result.storage.withUnsafeMutableBufferPointer { pc in
        GEMM.uncheckedSymmetricRankK(
          n: n, k: k, a: pa.baseAddress!, lda: a.columns, transposeA: transposeA,
          c: pc.baseAddress!, ldc: n, threads: threads)
      }
    }
    return result
  }
}
