import Symmetries

/// The Gram block G[i][j] = <x_i, y_j> of flattened images: the dense input covariance.
///
/// One call of the project's GEMM (packed, blocked, SIMD, threads over output tiles only), whose
/// summation order for an entry depends only on the inner dimension, so a block of G equals the
/// same entries of the whole bit for bit, for any thread count. For a diagonal block of one batch
/// (`upperTriangle`: rows == columns), G = X X^T is symmetric and `GEMM.symmetricRankK` computes
/// one triangle's tiles and mirrors them: half the multiply-adds, and the same bits as the
/// general product. This is the engine's only matrix product.
/// - Complexity: O(rows * columns * d) time (halved for a diagonal block), O(rows * columns)
///   memory.
enum InnerProducts {
  static func gram(
    _ x: ImageBatch, rows: Range<Int>, _ y: ImageBatch, columns: Range<Int>,
    upperTriangle: Bool, threads: Int
  ) -> [Double] {
    let depth = x.shape.dimension
    let count = rows.count * columns.count
    guard !rows.isEmpty, !columns.isEmpty, depth > 0 else {
      return [Double](repeating: 0, count: count)
    }
    // The product with beta = 0 writes every entry of C without reading it, so the buffer is
    // initialised by the product itself: no zero-fill pass over n^2 doubles first.
    let result = [Double](unsafeUninitializedCapacity: count) { c, initialised in
      x.values.withUnsafeBufferPointer { a in
        y.values.withUnsafeBufferPointer { b in
          if upperTriangle && rows == columns {
            GEMM.uncheckedSymmetricRankK(
              n: rows.count, k: depth, a: a.baseAddress! + rows.lowerBound * depth, lda: depth,
              c: c.baseAddress!, ldc: columns.count, threads: threads)
          } else {
            GEMM.uncheckedMultiply(
              m: rows.count, n: columns.count, k: depth,
              a: a.baseAddress! + rows.lowerBound * depth, lda: depth,
              b: b.baseAddress! + columns.lowerBound * depth, ldb: depth, transposeB: true,
              c: c.baseAddress!, ldc: columns.count, threads: threads)
          }
        }
      }
      initialised = count
    }
    return result
  }
}
