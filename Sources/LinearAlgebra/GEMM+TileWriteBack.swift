extension GEMM {
  /// Writes a 6-row register tile back to C: C_ij <- alpha acc_ij + beta C_ij for the valid
  /// height x width corner, each row held as two vectors (`rows[2 i]`, `rows[2 i + 1]`), as both
  /// micro-kernels keep it. The accumulators are scaled by alpha first and the multiply and add
  /// stay separate, on the full-tile and the edge path alike, so an entry's bits do not depend
  /// on which path stores it. With `beta == 0`, C is written without being read.
  ///
  /// Generic over the vector (SIMD4 for AVX2, SIMD2 for baseline x86-64) and inlined into each
  /// kernel, so it specialises to the same code each kernel had written out.
  /// - Complexity: O(6 * 2 * V.scalarCount).
  @inline(__always)
  static func writeBack<V: SIMD>(
    _ rows: (V, V, V, V, V, V, V, V, V, V, V, V), alpha: Double, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
  ) where V.Scalar == Double {
    let s = V(repeating: alpha)
    let lanes = V.scalarCount
    withUnsafeTemporaryAllocation(of: V.self, capacity: 12) { tile in
      tile[0] = rows.0 * s
      tile[1] = rows.1 * s
      tile[2] = rows.2 * s
      tile[3] = rows.3 * s
      tile[4] = rows.4 * s
      tile[5] = rows.5 * s
      tile[6] = rows.6 * s
      tile[7] = rows.7 * s
      tile[8] = rows.8 * s
      tile[9] = rows.9 * s
      tile[10] = rows.10 * s
      tile[11] = rows.11 * s
      if height == 6 && width == 2 * lanes {
        for i in 0..<6 {
          store(tile[2 * i], to: c + i * ldc, beta: beta)
          store(tile[2 * i + 1], to: c + i * ldc + lanes, beta: beta)
        }
        return
      }
      for i in 0..<height {
        let row = c + i * ldc
        for j in 0..<width {
          let value = tile[2 * i + j / lanes][j % lanes]
          row[j] = beta == 0 ? value : value + beta * row[j]
        }
      }
    }
  }

  /// V.scalarCount entries of a row <- value + beta row (written without being read when
  /// beta == 0).
  @inline(__always)
  static func store<V: SIMD>(_ value: V, to row: UnsafeMutablePointer<Double>, beta: Double)
  where V.Scalar == Double {
    let raw = UnsafeMutableRawPointer(row)
    if beta == 0 {
      raw.storeBytes(of: value, as: V.self)
    } else {
      let old = raw.loadUnaligned(as: V.self)
      raw.storeBytes(of: value + V(repeating: beta) * old, as: V.self)
    }
  }
}
