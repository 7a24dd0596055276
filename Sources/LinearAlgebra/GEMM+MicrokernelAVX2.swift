#if SYMMETRY_PROBES_AVX2
extension GEMM {
  /// The 6 x 8 register tile for AVX2 + FMA: C_tile <- alpha (A_panel B_panel) + beta C_tile.
  ///
  /// Sixteen 256-bit registers: twelve `SIMD4<Double>` accumulators (two per row of the tile),
  /// two for the packed row p of B and one for the broadcast entry of A (`vbroadcastsd` from the
  /// packed panel). Each step p adds a_ip * b_pj to every accumulator with one fused
  /// multiply-add (`addProduct`, compiled to `vfmadd231pd` only because the build targets FMA;
  /// without that target feature it would be a libm call per lane). Every entry of the tile is
  /// therefore the fused sum over p in increasing order, then scaled and added to C, so its bits
  /// depend only on the inputs and k, not on where the tile sits, which tiles are computed, or
  /// which thread computes it.
  ///
  /// Edge tiles (height < 6 or width < 8) compute the full tile on zero-padded panels and store
  /// only the valid part. With `beta == 0`, C is not read.
  ///
  /// - Complexity: O(48 depth).
  @inline(__always)
  static func microkernel(
    depth: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, alpha: Double,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
  ) {
    var c00 = SIMD4<Double>()
    var c01 = SIMD4<Double>()
    var c10 = SIMD4<Double>()
    var c11 = SIMD4<Double>()
    var c20 = SIMD4<Double>()
    var c21 = SIMD4<Double>()
    var c30 = SIMD4<Double>()
    var c31 = SIMD4<Double>()
    var c40 = SIMD4<Double>()
    var c41 = SIMD4<Double>()
    var c50 = SIMD4<Double>()
    var c51 = SIMD4<Double>()
    // Pointers rather than checked integer offsets: an overflow check in the loop costs the
    // register allocator the sixteenth register and spills an accumulator.
    var pb = UnsafeRawPointer(b)
    var pa = a
    for _ in 0..<depth {
      let b0 = pb.loadUnaligned(as: SIMD4<Double>.self)
      let b1 = pb.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
      var x = SIMD4(repeating: pa[0])
      c00.addProduct(x, b0)
      c01.addProduct(x, b1)
      x = SIMD4(repeating: pa[1])
      c10.addProduct(x, b0)
      c11.addProduct(x, b1)
      x = SIMD4(repeating: pa[2])
      c20.addProduct(x, b0)
      c21.addProduct(x, b1)
      x = SIMD4(repeating: pa[3])
      c30.addProduct(x, b0)
      c31.addProduct(x, b1)
      x = SIMD4(repeating: pa[4])
      c40.addProduct(x, b0)
      c41.addProduct(x, b1)
      x = SIMD4(repeating: pa[5])
      c50.addProduct(x, b0)
      c51.addProduct(x, b1)
      pa += 6
      pb += 64
    }
    let s = SIMD4(repeating: alpha)
    withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 2 * mr) { tile in
      tile[0] = c00 * s
      tile[1] = c01 * s
      tile[2] = c10 * s
      tile[3] = c11 * s
      tile[4] = c20 * s
      tile[5] = c21 * s
      tile[6] = c30 * s
      tile[7] = c31 * s
      tile[8] = c40 * s
      tile[9] = c41 * s
      tile[10] = c50 * s
      tile[11] = c51 * s
      if height == mr && width == nr {
        for i in 0..<mr {
          store(tile[2 * i], to: c + i * ldc, beta: beta)
          store(tile[2 * i + 1], to: c + i * ldc + 4, beta: beta)
        }
        return
      }
      for i in 0..<height {
        let row = c + i * ldc
        for j in 0..<width {
          let value = tile[2 * i + j / 4][j % 4]
          row[j] = beta == 0 ? value : value + beta * row[j]
        }
      }
    }
  }

  /// Four entries of a row <- value + beta row (written without being read when beta == 0).
  /// The multiply and add stay separate, as on the edge path, so edge and interior entries agree.
  @inline(__always)
  static func store(_ value: SIMD4<Double>, to row: UnsafeMutablePointer<Double>, beta: Double) {
    let raw = UnsafeMutableRawPointer(row)
    if beta == 0 {
      raw.storeBytes(of: value, as: SIMD4<Double>.self)
    } else {
      let old = raw.loadUnaligned(as: SIMD4<Double>.self)
      raw.storeBytes(of: value + SIMD4(repeating: beta) * old, as: SIMD4<Double>.self)
    }
  }
}
#endif
