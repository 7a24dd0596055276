/// Householder reflectors from a QR factorisation, in blocks ready for compact WY application.
struct HouseholderFactor: Sendable {
  /// The dimension n of the square Q.
  let dimension: Int
  /// Reflector blocks in order: Q = Q_0 Q_1 ... with block i acting on indices offsets[i]...
  let blocks: [HouseholderBlock]
  /// The first index each block acts on.
  let offsets: [Int]
  /// R_jj, the diagonal of R.
  let betas: [Double]

  /// Q = H_0 H_1 ... H_{k-1} as an explicit n x n matrix, accumulated backwards block by block.
  ///
  /// - Complexity: O(n^2 k) with `GEMM`.
  func formQ(threads: Int) -> Matrix {
    let n = dimension
    var q = Matrix.uncheckedIdentity(n)
    q.storage.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      for (block, start) in zip(blocks, offsets).reversed() {
        block.applyFromLeft(
          to: base + start * n + start, columns: n - start, ldc: n, transposed: false,
          threads: threads)
      }
    }
    return q
  }
}

extension Matrix {
  /// The Householder reflectors of the QR factorisation of this matrix's transpose: row j of
  /// self is column j of the factored matrix A (k x n self, A = self^T is n x k with n >= k).
  ///
  /// Reflector j maps A's column j below row j to R_jj e_j, and is applied to the later columns;
  /// panels of 64 columns are factored by rank-one updates and the trailing columns are updated
  /// with the block's compact WY form.
  ///
  /// - Complexity: O(n k^2).
  func householderFactorOfRows(threads: Int) -> HouseholderFactor {
    let k = rows
    let n = columns
    precondition(n >= k, "internal: Householder QR needs at least as many rows as columns")
    var a = self
    var taus = [Double](repeating: 0, count: k)
    var betas = [Double](repeating: 0, count: k)
    var blocks: [HouseholderBlock] = []
    var offsets: [Int] = []
    let panel = 64
    a.storage.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      for j0 in stride(from: 0, to: k, by: panel) {
        let jb = min(panel, k - j0)
        for j in j0..<(j0 + jb) {
          let row = base + j * n + j
          let length = n - j
          let (tau, beta) = HouseholderBlock.reflect(row, count: length)
          taus[j] = tau
          betas[j] = beta
          if tau == 0 { continue }
          // The rest of the panel: r <- r - tau (r . v) v, one row (column of A) at a time.
          for r in (j + 1)..<(j0 + jb) {
            let target = base + r * n + j
            var dot = target[0]
            for p in 1..<length { dot += target[p] * row[p] }
            let scaled = tau * dot
            target[0] -= scaled
            for p in 1..<length { target[p] -= scaled * row[p] }
          }
        }
        let block = HouseholderBlock(
          rows: base + j0 * n + j0, ld: n, length: n - j0, taus: taus[j0..<(j0 + jb)])
        blocks.append(block)
        offsets.append(j0)
        let trailing = k - j0 - jb
        if trailing > 0 {
          block.applyFromRight(
            to: base + (j0 + jb) * n + j0, rows: trailing, ldc: n, transposed: false,
            threads: threads)
        }
      }
    }
    return HouseholderFactor(dimension: n, blocks: blocks, offsets: offsets, betas: betas)
  }
}
