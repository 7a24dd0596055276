extension Matrix {
  /// A Haar-distributed random orthogonal matrix in O(n).
  ///
  /// Q from the QR factorisation G = QR of an n x n matrix of i.i.d. standard normals, with the
  /// sign correction Q <- Q diag(sign(R_ii)) that makes the distribution exactly Haar
  /// (without it, Q is biased by the QR convention). G_ij is the (j n + i)-th Gaussian draw of
  /// `generator` (column by column), so the result is a pure function of the generator's state.
  /// The QR is blocked Householder (panels of 64 columns, trailing update and the formation of
  /// Q in compact WY form with `GEMM`), bit-identical for any thread count.
  ///
  /// Reference: F. Mezzadri, "How to generate random matrices from the classical compact
  /// groups", Notices of the AMS 54 (2007).
  /// - Complexity: O(n^3) time (8/3 n^3 flops), O(n^2) memory.
  /// Throws when `n` is negative, before drawing from `generator`.
  public static func haarOrthogonal(
    dimension n: Int, using generator: inout SeededGenerator
  ) throws(LinearAlgebraError) -> Matrix {
    guard n >= 0 else {
      throw .invalidArgument(
        "O(\(n)) has no elements: a Haar orthogonal matrix needs dimension >= 0")
    }
    return haarOrthogonal(uncheckedDimension: n, using: &generator)
  }

  /// `haarOrthogonal`, for the package's own callers, whose dimension is a validated image's.
  package static func haarOrthogonal(
    uncheckedDimension n: Int, using generator: inout SeededGenerator
  ) -> Matrix {
    precondition(n >= 0, "internal: dimension must be non-negative")
    // Row j of `columns` is column j of G, so Householder vectors are contiguous.
    var columns = Matrix(uncheckedRows: n, columns: n)
    for i in 0..<(n * n) { columns.storage[i] = generator.gaussian() }
    let factor = columns.householderFactorOfRows(threads: GEMM.defaultThreadCount)
    var q = factor.formQ(threads: GEMM.defaultThreadCount)
    q.storage.withUnsafeMutableBufferPointer { buffer in
      for i in 0..<n {
        for j in 0..<n where factor.betas[j] < 0 { buffer[i * n + j] = -buffer[i * n + j] }
      }
    }
    return q
  }
}
