/// A product of b Householder reflectors in compact WY form: H_0 H_1 ... H_{b-1} = I - V^T T V.
///
/// H_i = I - tau_i v_i v_i^T. V stores the vectors as rows (b x L): row i is v_i, zero before
/// position i and 1 at position i. T is b x b upper triangular, built by the recurrence
/// T_ii = tau_i, T[0..<i, i] = -tau_i T[0..<i, 0..<i] (V[0..<i] v_i). Applying the block costs
/// three `GEMM`s instead of b rank-one updates.
///
/// Reference: R. Schreiber and C. Van Loan, "A storage-efficient WY representation for products
/// of Householder transformations", SIAM J. Sci. Stat. Comput. 10 (1989).
struct HouseholderBlock: Sendable {
  /// The number of reflectors b.
  let count: Int
  /// The length L of each vector.
  let length: Int
  /// V, b x L row-major.
  private var v: [Double]
  /// T, b x b row-major upper triangular.
  private var t: [Double]

  /// The block from vectors stored as rows of `source` (row i at `source + i * ld`, v_i's entry
  /// j at offset j; entries before i are ignored and entry i is taken as 1) and their `taus`.
  ///
  /// - Complexity: O(b^2 L).
  init(rows source: UnsafePointer<Double>, ld: Int, length: Int, taus: ArraySlice<Double>) {
    let b = taus.count
    count = b
    self.length = length
    v = [Double](repeating: 0, count: b * length)
    t = [Double](repeating: 0, count: b * b)
    let tauArray = Array(taus)
    v.withUnsafeMutableBufferPointer { vb in
      t.withUnsafeMutableBufferPointer { tb in
        let vs = vb.baseAddress!
        let ts = tb.baseAddress!
        for i in 0..<b {
          let row = vs + i * length
          row[i] = 1
          (row + i + 1).update(from: source + i * ld + i + 1, count: length - i - 1)
        }
        var z = [Double](repeating: 0, count: b)
        for i in 0..<b {
          let tau = tauArray[i]
          ts[i * b + i] = tau
          if i == 0 { continue }
          let vi = vs + i * length
          for j in 0..<i {
            let vj = vs + j * length
            var dot = 0.0
            for p in i..<length { dot += vj[p] * vi[p] }
            z[j] = dot
          }
          for r in 0..<i {
            var sum = 0.0
            for s in r..<i { sum += ts[r * b + s] * z[s] }
            ts[r * b + i] = -tau * sum
          }
        }
      }
    }
  }

  /// C <- (I - V^T T V) C, or (I - V^T T^T V) C when `transposed`; C is L x `columns`.
  ///
  /// - Complexity: O(b L columns).
  func applyFromLeft(
    to c: UnsafeMutablePointer<Double>, columns: Int, ldc: Int, transposed: Bool, threads: Int
  ) {
    if count == 0 || columns == 0 { return }
    var w = [Double](repeating: 0, count: count * columns)
    var w2 = w
    v.withUnsafeBufferPointer { vb in
      t.withUnsafeBufferPointer { tb in
        w.withUnsafeMutableBufferPointer { wb in
          w2.withUnsafeMutableBufferPointer { w2b in
            let vs = vb.baseAddress!
            GEMM.uncheckedMultiply(
              m: count, n: columns, k: length, a: vs, lda: length, b: c, ldb: ldc,
              c: wb.baseAddress!, ldc: columns, threads: threads)
            GEMM.uncheckedMultiply(
              m: count, n: columns, k: count, a: tb.baseAddress!, lda: count,
              transposeA: transposed,
              b: wb.baseAddress!, ldb: columns, c: w2b.baseAddress!, ldc: columns, threads: threads)
            GEMM.uncheckedMultiply(
              m: length, n: columns, k: count, alpha: -1, a: vs, lda: length, transposeA: true,
              b: w2b.baseAddress!, ldb: columns, beta: 1, c: c, ldc: ldc, threads: threads)
          }
        }
      }
    }
  }

  /// C <- C (I - V^T T V), or C (I - V^T T^T V) when `transposed`; C is `rows` x L.
  ///
  /// - Complexity: O(b L rows).
  func applyFromRight(
    to c: UnsafeMutablePointer<Double>, rows: Int, ldc: Int, transposed: Bool, threads: Int
  ) {
    if count == 0 || rows == 0 { return }
    var w = [Double](repeating: 0, count: rows * count)
    var w2 = w
    v.withUnsafeBufferPointer { vb in
      t.withUnsafeBufferPointer { tb in
        w.withUnsafeMutableBufferPointer { wb in
          w2.withUnsafeMutableBufferPointer { w2b in
            let vs = vb.baseAddress!
            GEMM.uncheckedMultiply(
              m: rows, n: count, k: length, a: c, lda: ldc, b: vs, ldb: length, transposeB: true,
              c: wb.baseAddress!, ldc: count, threads: threads)
            GEMM.uncheckedMultiply(
              m: rows, n: count, k: count, a: wb.baseAddress!, lda: count, b: tb.baseAddress!,
              ldb: count, transposeB: transposed, c: w2b.baseAddress!, ldc: count, threads: threads)
            GEMM.uncheckedMultiply(
              m: rows, n: length, k: count, alpha: -1, a: w2b.baseAddress!, lda: count, b: vs,
              ldb: length, beta: 1, c: c, ldc: ldc, threads: threads)
          }
        }
      }
    }
  }
}

extension HouseholderBlock {
  /// Turns x (length L >= 1) into a Householder vector in place: H x = beta e_1 with
  /// H = I - tau v v^T, v_0 = 1 (x_0 is overwritten by 1, the rest by v_1...), and returns
  /// (tau, beta).
  ///
  /// beta = -sign(x_0) ||x|| avoids cancellation in v_0 = x_0 - beta; then
  /// tau = (||x|| + |x_0|) / ||x||. A zero x gives tau = 0 (H = I) and beta = 0. The norm is
  /// computed on x scaled by its largest entry, so it neither overflows nor underflows.
  ///
  /// - Complexity: O(L).
  static func reflect(_ x: UnsafeMutablePointer<Double>, count: Int) -> (tau: Double, beta: Double)
  {
    var scale = 0.0
    for i in 0..<count { scale = max(scale, abs(x[i])) }
    if scale == 0 {
      x[0] = 1
      return (0, 0)
    }
    var sum = 0.0
    for i in 0..<count {
      let y = x[i] / scale
      sum += y * y
    }
    let norm = scale * sum.squareRoot()
    let x0 = x[0]
    let beta = x0 >= 0 ? -norm : norm
    let v0 = x0 - beta
    for i in 1..<count { x[i] /= v0 }
    x[0] = 1
    return ((norm + abs(x0)) / norm, beta)
  }
}
