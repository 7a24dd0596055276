#if SYMMETRY_PROBES_AVX2 && !SYMMETRY_PROBES_AVX512
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
      writeBack(
        (c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51), alpha: alpha, beta: beta,
        c: c, ldc: ldc, height: height, width: width)
    }
  }
#endif
