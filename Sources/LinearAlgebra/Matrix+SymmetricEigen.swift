import Foundation

extension Matrix {
  /// The eigendecomposition A = V diag(lambda) V^T of this symmetric matrix.
  ///
  /// Householder tridiagonalisation Q^T A Q = T (reflector k maps A's column k below the
  /// subdiagonal to a multiple of e_{k+1}: p = tau A v, w = p - (tau / 2)(p . v) v,
  /// A <- A - v w^T - w v^T), then the implicit QL algorithm with Wilkinson shifts on T, whose
  /// Givens rotations are accumulated into the eigenvectors Z of T, and finally V = Q Z with
  /// the reflectors in compact WY form and `GEMM`. Values are ascending; the columns of
  /// `vectors` are orthonormal eigenvectors in the same order. Bit-identical for any thread
  /// count.
  ///
  /// Reference: G. H. Golub and C. F. Van Loan, "Matrix Computations", 4th ed., sections 8.3
  /// (tridiagonalisation, symmetric QR) and 5.1.
  /// - Throws: `.dimensionMismatch` if not square, `.nonFinite` for NaN or infinite entries,
  ///   `.notSymmetric` if A != A^T beyond round-off, `.noConvergence` if an eigenvalue needs
  ///   more than 60 QL iterations (not seen in practice).
  /// - Complexity: O(n^3) time (about 4/3 n^3 for the reduction, up to about 6 n^3 for the
  ///   rotations, 2 n^3 for the back-transformation), O(n^2) memory.
  public func symmetricEigen(
    threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> (values: [Double], vectors: Matrix) {
    try requireSquare("the matrix to diagonalise")
    try requireFinite("the matrix to diagonalise")
    try requireSymmetric()
    let n = rows
    if n == 0 { return ([], Matrix(uncheckedRows: 0, columns: 0)) }
    let workers = n < 128 ? 1 : max(1, threads)
    var (diagonal, offDiagonal, reflectors) = tridiagonalise(workers: workers)
    var rotated = Matrix.uncheckedIdentity(n)
    try Matrix.implicitQL(
      diagonal: &diagonal, offDiagonal: &offDiagonal, eigenvectorRows: &rotated, workers: workers)
    // Ascending order; ties keep the QL order, so the result is deterministic.
    let order = diagonal.indices.sorted { (diagonal[$0], $0) < (diagonal[$1], $1) }
    var vectors = Matrix(uncheckedRows: n, columns: n)
    for (column, source) in order.enumerated() {
      for i in 0..<n { vectors.storage[i * n + column] = rotated.storage[source * n + i] }
    }
    vectors.storage.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      for (block, start) in zip(reflectors.blocks, reflectors.offsets).reversed() {
        block.applyFromLeft(
          to: base + start * n, columns: n, ldc: n, transposed: false, threads: workers)
      }
    }
    return (order.map { diagonal[$0] }, vectors)
  }

  /// Householder reduction to tridiagonal form: the diagonal, the off-diagonal
  /// (offDiagonal[i] couples i and i + 1; the last entry is 0) and the reflectors, with block k
  /// acting on indices offsets + 1.
  ///
  /// - Complexity: O(4/3 n^3), two passes over the trailing matrix per column.
  private func tridiagonalise(workers: Int) -> ([Double], [Double], HouseholderFactor) {
    let n = rows
    var a = self
    var vectorRows = Matrix(uncheckedRows: n, columns: n)
    var diagonal = [Double](repeating: 0, count: n)
    var offDiagonal = [Double](repeating: 0, count: n)
    let reflectorCount = max(0, n - 2)
    var taus = [Double](repeating: 0, count: reflectorCount)
    var p = [Double](repeating: 0, count: n)
    a.storage.withUnsafeMutableBufferPointer { aBuffer in
      vectorRows.storage.withUnsafeMutableBufferPointer { vBuffer in
        p.withUnsafeMutableBufferPointer { pBuffer in
          let base = aBuffer.baseAddress!
          let shared = SharedPointer(base)
          let sharedP = SharedPointer(pBuffer.baseAddress!)
          for k in 0..<reflectorCount {
            diagonal[k] = base[k * n + k]
            let start = k + 1
            let length = n - start
            let v = vBuffer.baseAddress! + k * n + start
            v.update(from: base + k * n + start, count: length)
            let (tau, beta) = HouseholderBlock.reflect(v, count: length)
            taus[k] = tau
            offDiagonal[k] = beta
            if tau == 0 { continue }
            let sharedV = SharedPointer(v)
            let rowsPerItem = 64
            let items = (length + rowsPerItem - 1) / rowsPerItem
            // p = tau A_22 v, row by row.
            Parallel.forEach(items, workers: workers) { item in
              for i in (item * rowsPerItem)..<min(length, (item + 1) * rowsPerItem) {
                let row = shared.base + (start + i) * n + start
                var dot = 0.0
                for j in 0..<length { dot += row[j] * sharedV.base[j] }
                sharedP.base[i] = tau * dot
              }
            }
            var pv = 0.0
            for i in 0..<length { pv += pBuffer[i] * v[i] }
            let half = 0.5 * tau * pv
            for i in 0..<length { pBuffer[i] -= half * v[i] }
            // A_22 <- A_22 - v w^T - w v^T with w now in p.
            Parallel.forEach(items, workers: workers) { item in
              let w = sharedP.base
              let v = sharedV.base
              for i in (item * rowsPerItem)..<min(length, (item + 1) * rowsPerItem) {
                let row = shared.base + (start + i) * n + start
                let vi = v[i]
                let wi = w[i]
                for j in 0..<length { row[j] -= vi * w[j] + wi * v[j] }
              }
            }
          }
          if n >= 2 {
            diagonal[n - 2] = base[(n - 2) * n + n - 2]
            offDiagonal[n - 2] = base[(n - 1) * n + n - 2]
          }
          diagonal[n - 1] = base[(n - 1) * n + n - 1]
        }
      }
    }
    var blocks: [HouseholderBlock] = []
    var offsets: [Int] = []
    let blockSize = 64
    vectorRows.storage.withUnsafeBufferPointer { vBuffer in
      for k0 in stride(from: 0, to: reflectorCount, by: blockSize) {
        let kb = min(blockSize, reflectorCount - k0)
        blocks.append(
          HouseholderBlock(
            rows: vBuffer.baseAddress! + k0 * n + k0 + 1, ld: n, length: n - k0 - 1,
            taus: taus[k0..<(k0 + kb)]))
        offsets.append(k0 + 1)
      }
    }
    return (
      diagonal, offDiagonal,
      HouseholderFactor(dimension: n, blocks: blocks, offsets: offsets, betas: [])
    )
  }

  /// The implicit QL algorithm with Wilkinson shifts on a symmetric tridiagonal matrix.
  ///
  /// On return `diagonal` holds the eigenvalues and row i of `eigenvectorRows` (which must
  /// start as the matrix to be rotated, e.g. I) the eigenvector for diagonal[i]. Each sweep
  /// chases the bulge from the bottom of the unreduced block up with Givens rotations, which
  /// are recorded and then applied to the rows, split by columns over the workers.
  ///
  /// - Complexity: O(n^2) for the values, O(n^3) for the vectors.
  static func implicitQL(
    diagonal d: inout [Double], offDiagonal e: inout [Double], eigenvectorRows z: inout Matrix,
    workers: Int
  ) throws(LinearAlgebraError) {
    let n = d.count
    var cosines = [Double](repeating: 0, count: n)
    var sines = [Double](repeating: 0, count: n)
    let columnsPerItem = 256
    let items = (n + columnsPerItem - 1) / columnsPerItem
    for l in 0..<n {
      var iterations = 0
      while true {
        var m = l
        while m < n - 1 {
          let scale = abs(d[m]) + abs(d[m + 1])
          if abs(e[m]) <= Double.ulpOfOne * scale { break }
          m += 1
        }
        if m == l { break }
        iterations += 1
        if iterations > 60 {
          throw .noConvergence(
            "eigenvalue \(l) of the tridiagonal matrix did not converge in 60 QL iterations")
        }
        // Wilkinson shift from the leading 2 x 2 block.
        var g = (d[l + 1] - d[l]) / (2 * e[l])
        var r = hypot(g, 1)
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
        var s = 1.0
        var c = 1.0
        var p = 0.0
        var i = m - 1
        var deflated = false
        var lowest = m
        while i >= l {
          let f = s * e[i]
          let b = c * e[i]
          r = hypot(f, g)
          e[i + 1] = r
          if r == 0 {
            // Underflow: the block splits; undo the shift and restart on the smaller block.
            d[i + 1] -= p
            e[m] = 0
            deflated = true
            break
          }
          s = f / r
          c = g / r
          g = d[i + 1] - p
          r = (d[i] - g) * s + 2 * c * b
          p = s * r
          d[i + 1] = g + p
          g = c * r - b
          cosines[i] = c
          sines[i] = s
          lowest = i
          i -= 1
        }
        applyRotations(
          to: &z, from: m - 1, downTo: lowest, cosines: cosines, sines: sines, items: items,
          columnsPerItem: columnsPerItem, workers: workers)
        if deflated { continue }
        d[l] -= p
        e[l] = g
        e[m] = 0
      }
    }
  }

  /// Applies the rotations recorded at i = top, top - 1, ..., bottom (in that order) to rows
  /// (i, i + 1) of z: row_{i+1} <- s row_i + c row_{i+1}, row_i <- c row_i - s row_{i+1}.
  private static func applyRotations(
    to z: inout Matrix, from top: Int, downTo bottom: Int, cosines: [Double], sines: [Double],
    items: Int, columnsPerItem: Int, workers: Int
  ) {
    if bottom > top { return }
    let n = z.columns
    z.storage.withUnsafeMutableBufferPointer { buffer in
      cosines.withUnsafeBufferPointer { cBuffer in
        sines.withUnsafeBufferPointer { sBuffer in
          let shared = SharedPointer(buffer.baseAddress!)
          let cs = SharedPointer(UnsafeMutablePointer(mutating: cBuffer.baseAddress!))
          let ss = SharedPointer(UnsafeMutablePointer(mutating: sBuffer.baseAddress!))
          let rotationCount = top - bottom + 1
          let itemWorkers = rotationCount * n < 1 << 14 ? 1 : workers
          Parallel.forEach(items, workers: itemWorkers) { item in
            let lower = item * columnsPerItem
            let upper = min(n, lower + columnsPerItem)
            for i in stride(from: top, through: bottom, by: -1) {
              let c = cs.base[i]
              let s = ss.base[i]
              let rowI = shared.base + i * n
              let rowNext = rowI + n
              for k in lower..<upper {
                let f = rowNext[k]
                let x = rowI[k]
                rowNext[k] = s * x + c * f
                rowI[k] = c * x - s * f
              }
            }
          }
        }
      }
    }
  }
}
