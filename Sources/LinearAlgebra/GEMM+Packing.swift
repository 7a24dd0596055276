extension GEMM {
  /// Packs rows `row ..< row + height` (height <= MR) and columns `column ..< column + depth` of
  /// op(A) as one micro-panel: for each p, the MR entries of column p, zero past `height` so the
  /// micro-kernel never branches. Each entry is written `aCopies` times: twice for the SSE2
  /// micro-kernel (a row's multiplier is then one aligned `SIMD2` load), once for AVX2 and
  /// AVX-512, which broadcast from memory.
  ///
  /// - Complexity: O(MR depth).
  @inline(__always)
  static func packA(
    _ a: Operand, row: Int, column: Int, height: Int, depth: Int,
    into target: UnsafeMutablePointer<Double>
  ) {
    let source = a.base + row * a.rowStride + column * a.columnStride
    let rs = a.rowStride
    let cs = a.columnStride
    let step = aCopies * mr
    if height == mr && aCopies == 1 && mr == 6 {
      for p in 0..<depth {
        let s = source + p * cs
        let t = target + p * step
        t[0] = s[0]
        t[1] = s[rs]
        t[2] = s[2 * rs]
        t[3] = s[3 * rs]
        t[4] = s[4 * rs]
        t[5] = s[5 * rs]
      }
      return
    }
    if height == mr && aCopies == 1 {
      for p in 0..<depth {
        let s = source + p * cs
        let t = target + p * step
        for i in 0..<mr { t[i] = s[i * rs] }
      }
      return
    }
    if height == mr && aCopies == 2 && mr == 6 {
      for p in 0..<depth {
        let s = source + p * cs
        let t = UnsafeMutableRawPointer(target + p * step)
        t.storeBytes(of: SIMD2(repeating: s[0]), toByteOffset: 0, as: SIMD2<Double>.self)
        t.storeBytes(of: SIMD2(repeating: s[rs]), toByteOffset: 16, as: SIMD2<Double>.self)
        t.storeBytes(of: SIMD2(repeating: s[2 * rs]), toByteOffset: 32, as: SIMD2<Double>.self)
        t.storeBytes(of: SIMD2(repeating: s[3 * rs]), toByteOffset: 48, as: SIMD2<Double>.self)
        t.storeBytes(of: SIMD2(repeating: s[4 * rs]), toByteOffset: 64, as: SIMD2<Double>.self)
        t.storeBytes(of: SIMD2(repeating: s[5 * rs]), toByteOffset: 80, as: SIMD2<Double>.self)
      }
      return
    }
    for p in 0..<depth {
      let s = source + p * cs
      let t = target + p * step
      for i in 0..<mr {
        let value = i < height ? s[i * rs] : 0
        for copy in 0..<aCopies { t[aCopies * i + copy] = value }
      }
    }
  }

  /// Packs rows `row ..< row + depth` and columns `column ..< column + width` (width <= NR) of
  /// op(B) as one micro-panel: for each p, the NR entries of row p, zero-padded past `width`.
  ///
  /// - Complexity: O(NR depth).
  @inline(__always)
  static func packB(
    _ b: Operand, row: Int, column: Int, depth: Int, width: Int,
    into target: UnsafeMutablePointer<Double>
  ) {
    let source = b.base + row * b.rowStride + column * b.columnStride
    if width == nr && b.columnStride == 1 {
      for p in 0..<depth {
        (target + p * nr).update(from: source + p * b.rowStride, count: nr)
      }
      return
    }
    let cs = b.columnStride
    if width == nr {
      for p in 0..<depth {
        let s = source + p * b.rowStride
        let t = target + p * nr
        for j in 0..<nr { t[j] = s[j * cs] }
      }
      return
    }
    for p in 0..<depth {
      let s = source + p * b.rowStride
      let t = target + p * nr
      for j in 0..<width { t[j] = s[j * b.columnStride] }
      for j in width..<nr { t[j] = 0 }
    }
  }
}
