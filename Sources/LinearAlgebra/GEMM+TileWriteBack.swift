extension GEMM {
  /// Writes a 6-row register tile back to C: C_ij <- alpha acc_ij + beta C_ij for the valid
  /// height x width corner, each row held as two vectors (`rows[2 i]`, `rows[2 i + 1]`), as both
  /// micro-kernels keep it. The accumulators are scaled by alpha first and the multiply and add
  /// stay separate, on the full-tile and the edge path alike, so an entry's bits do not depend
  /// on which path stores it. With `beta == 0`, C is written without being read.
  ///
  /// Generic over the vector (SIMD8 for AVX-512, SIMD4 for AVX2, SIMD2 for baseline x86-64) and inlined into each
  /// kernel, so it specialises to the same code each kernel had written out.
  /// - Complexity: O(6 * 2 * V.scalarCount).
  @inline(__always)
  static func writeBack<V: SIMD>(
    _ rows: (V, V, V, V, V, V, V, V, V, V, V, V), alpha: Double, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
  ) where V.Scalar == Double {
    withUnsafeTemporaryAllocation(of: V.self, capacity: 12) { tile in
      tile[0] = rows.0
      tile[1] = rows.1
      tile[2] = rows.2
      tile[3] = rows.3
      tile[4] = rows.4
      tile[5] = rows.5
      tile[6] = rows.6
      tile[7] = rows.7
      tile[8] = rows.8
      tile[9] = rows.9
      tile[10] = rows.10
      tile[11] = rows.11
      writeBack(
        tile.baseAddress!, rows: 6, alpha: alpha, beta: beta, c: c, ldc: ldc, height: height,
        width: width)
    }
  }

  /// Writes a register tile of `rows` rows, held in `tile` as two vectors per row, back to C:
  /// C_ij <- alpha acc_ij + beta C_ij for the valid height x width corner (the accumulators are
  /// scaled in place). The rule of the 6-row `writeBack` above, for any tile height.
  /// - Complexity: O(rows * 2 * V.scalarCount).
  @inline(__always)
  static func writeBack<V: SIMD>(
    _ tile: UnsafeMutablePointer<V>, rows: Int, alpha: Double, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
  ) where V.Scalar == Double {
    let s = V(repeating: alpha)
    let lanes = V.scalarCount
    for i in 0..<(2 * rows) { tile[i] = tile[i] * s }
    if height == rows && width == 2 * lanes {
      for i in 0..<rows {
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
