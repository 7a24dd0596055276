#if SYMMETRY_PROBES_AVX512
  extension GEMM {
    /// The 12 x 16 register tile for AVX-512: C_tile <- alpha (A_panel B_panel) + beta C_tile.
    ///
    /// Thirty-two 512-bit registers: twenty-four `SIMD8<Double>` accumulators (two per row of
    /// the tile), two for the packed row p of B and one for the broadcast entry of A
    /// (`vbroadcastsd` from the packed panel). Each step p is 24 fused multiply-adds
    /// (`addProduct`, `vfmadd231pd` on zmm registers) against 14 loads, so the two multiply-add
    /// pipelines, not the load ports, set the pace. Every entry of the tile is the fused sum over
    /// p in increasing order, then scaled and added to C, so its bits depend only on the inputs
    /// and k, not on where the tile sits, which tiles are computed, or which thread computes it.
    ///
    /// Edge tiles (height < 12 or width < 16) compute the full tile on zero-padded panels and
    /// store only the valid part. With `beta == 0`, C is not read.
    ///
    /// - Complexity: O(192 depth).
    @inline(__always)
    static func microkernel(
      depth: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, alpha: Double,
      beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
    ) {
      var c00 = SIMD8<Double>()
      var c01 = SIMD8<Double>()
      var c10 = SIMD8<Double>()
      var c11 = SIMD8<Double>()
      var c20 = SIMD8<Double>()
      var c21 = SIMD8<Double>()
      var c30 = SIMD8<Double>()
      var c31 = SIMD8<Double>()
      var c40 = SIMD8<Double>()
      var c41 = SIMD8<Double>()
      var c50 = SIMD8<Double>()
      var c51 = SIMD8<Double>()
      var c60 = SIMD8<Double>()
      var c61 = SIMD8<Double>()
      var c70 = SIMD8<Double>()
      var c71 = SIMD8<Double>()
      var c80 = SIMD8<Double>()
      var c81 = SIMD8<Double>()
      var c90 = SIMD8<Double>()
      var c91 = SIMD8<Double>()
      var ca0 = SIMD8<Double>()
      var ca1 = SIMD8<Double>()
      var cb0 = SIMD8<Double>()
      var cb1 = SIMD8<Double>()
      // Pointers rather than checked integer offsets, as in the AVX2 kernel: an overflow check
      // in the loop would cost a register.
      var pb = UnsafeRawPointer(b)
      var pa = a
      for _ in 0..<depth {
        let b0 = pb.loadUnaligned(as: SIMD8<Double>.self)
        let b1 = pb.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        var x = SIMD8(repeating: pa[0])
        c00.addProduct(x, b0)
        c01.addProduct(x, b1)
        x = SIMD8(repeating: pa[1])
        c10.addProduct(x, b0)
        c11.addProduct(x, b1)
        x = SIMD8(repeating: pa[2])
        c20.addProduct(x, b0)
        c21.addProduct(x, b1)
        x = SIMD8(repeating: pa[3])
        c30.addProduct(x, b0)
        c31.addProduct(x, b1)
        x = SIMD8(repeating: pa[4])
        c40.addProduct(x, b0)
        c41.addProduct(x, b1)
        x = SIMD8(repeating: pa[5])
        c50.addProduct(x, b0)
        c51.addProduct(x, b1)
        x = SIMD8(repeating: pa[6])
        c60.addProduct(x, b0)
        c61.addProduct(x, b1)
        x = SIMD8(repeating: pa[7])
        c70.addProduct(x, b0)
        c71.addProduct(x, b1)
        x = SIMD8(repeating: pa[8])
        c80.addProduct(x, b0)
        c81.addProduct(x, b1)
        x = SIMD8(repeating: pa[9])
        c90.addProduct(x, b0)
        c91.addProduct(x, b1)
        x = SIMD8(repeating: pa[10])
        ca0.addProduct(x, b0)
        ca1.addProduct(x, b1)
        x = SIMD8(repeating: pa[11])
        cb0.addProduct(x, b0)
        cb1.addProduct(x, b1)
        pa += 12
        pb += 128
      }
      withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: 24) { tile in
        tile[0] = c00
        tile[1] = c01
        tile[2] = c10
        tile[3] = c11
        tile[4] = c20
        tile[5] = c21
        tile[6] = c30
        tile[7] = c31
        tile[8] = c40
        tile[9] = c41
        tile[10] = c50
        tile[11] = c51
        tile[12] = c60
        tile[13] = c61
        tile[14] = c70
        tile[15] = c71
        tile[16] = c80
        tile[17] = c81
        tile[18] = c90
        tile[19] = c91
        tile[20] = ca0
        tile[21] = ca1
        tile[22] = cb0
        tile[23] = cb1
        writeBack(
          tile.baseAddress!, rows: 12, alpha: alpha, beta: beta, c: c, ldc: ldc, height: height,
          width: width)
      }
    }
  }
#endif
