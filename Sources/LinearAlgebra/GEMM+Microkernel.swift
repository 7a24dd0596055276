#if !SYMMETRY_PROBES_AVX2
  extension GEMM {
    /// The 6 x 4 register tile: C_tile <- alpha (A_panel B_panel) + beta C_tile.
    ///
    /// The portable kernel, for builds without SYMMETRY_PROBES_AVX2 (a CPU without AVX2 + FMA, or
    /// SYMMETRY_PROBES_PORTABLE=1; see Package.swift). Twelve `SIMD2<Double>` accumulators hold the
    /// tile, two per row. The baseline x86-64 target has sixteen 128-bit registers, so
    /// `SIMD2<Double>` is exactly one register: twelve accumulators, two for a row of B and one
    /// for A fill them.
    /// A is packed pre-broadcast (each entry twice), so a row's multiplier is one aligned load
    /// rather than a load and a shuffle. Each step p multiplies the packed row p of B by each row's
    /// entry of A and adds. Every entry of the tile is the sum over p in increasing order, then
    /// scaled and added to C, so the result does not depend on where the tile sits or which thread
    /// computes it. Multiply and add stay separate: without the FMA target feature a fused
    /// multiply-add would be a libm call per lane (the AVX2 kernel fuses, so its bits differ).
    ///
    /// Edge tiles (height < 6 or width < 4) compute the full tile on zero-padded panels and store
    /// only the valid part. With `beta == 0`, C is not read.
    ///
    /// - Complexity: O(24 depth).
    @inline(__always)
    static func microkernel(
      depth: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, alpha: Double,
      beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, height: Int, width: Int
    ) {
      var c00 = SIMD2<Double>()
      var c01 = SIMD2<Double>()
      var c10 = SIMD2<Double>()
      var c11 = SIMD2<Double>()
      var c20 = SIMD2<Double>()
      var c21 = SIMD2<Double>()
      var c30 = SIMD2<Double>()
      var c31 = SIMD2<Double>()
      var c40 = SIMD2<Double>()
      var c41 = SIMD2<Double>()
      var c50 = SIMD2<Double>()
      var c51 = SIMD2<Double>()
      let rawA = UnsafeRawPointer(a)
      let rawB = UnsafeRawPointer(b)
      var offsetA = 0
      var offsetB = 0
      for _ in 0..<depth {
        let b0 = rawB.load(fromByteOffset: offsetB, as: SIMD2<Double>.self)
        let b1 = rawB.load(fromByteOffset: offsetB + 16, as: SIMD2<Double>.self)
        var x = rawA.load(fromByteOffset: offsetA, as: SIMD2<Double>.self)
        c00 = c00 + x * b0
        c01 = c01 + x * b1
        x = rawA.load(fromByteOffset: offsetA + 16, as: SIMD2<Double>.self)
        c10 = c10 + x * b0
        c11 = c11 + x * b1
        x = rawA.load(fromByteOffset: offsetA + 32, as: SIMD2<Double>.self)
        c20 = c20 + x * b0
        c21 = c21 + x * b1
        x = rawA.load(fromByteOffset: offsetA + 48, as: SIMD2<Double>.self)
        c30 = c30 + x * b0
        c31 = c31 + x * b1
        x = rawA.load(fromByteOffset: offsetA + 64, as: SIMD2<Double>.self)
        c40 = c40 + x * b0
        c41 = c41 + x * b1
        x = rawA.load(fromByteOffset: offsetA + 80, as: SIMD2<Double>.self)
        c50 = c50 + x * b0
        c51 = c51 + x * b1
        offsetA += 96
        offsetB += 32
      }
      writeBack(
        (c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51), alpha: alpha, beta: beta,
        c: c, ldc: ldc, height: height, width: width)
    }
  }
#endif
