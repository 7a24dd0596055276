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
    let s = SIMD2(repeating: alpha)
    withUnsafeTemporaryAllocation(of: SIMD2<Double>.self, capacity: 2 * mr) { tile in
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
          store(tile[2 * i + 1], to: c + i * ldc + 2, beta: beta)
        }
        return
      }
      for i in 0..<height {
        let row = c + i * ldc
        for j in 0..<width {
          let value = tile[2 * i + j / 2][j % 2]
          row[j] = beta == 0 ? value : value + beta * row[j]
        }
      }
    }
  }

  /// Two entries of a row <- value + beta row (written without being read when beta == 0).
  @inline(__always)
  static func store(_ value: SIMD2<Double>, to row: UnsafeMutablePointer<Double>, beta: Double) {
    let raw = UnsafeMutableRawPointer(row)
    if beta == 0 {
      raw.storeBytes(of: value, as: SIMD2<Double>.self)
    } else {
      let old = raw.loadUnaligned(as: SIMD2<Double>.self)
      raw.storeBytes(of: value + SIMD2(repeating: beta) * old, as: SIMD2<Double>.self)
    }
  }
}
#endif
