extension GEMM {
  /// Packs rows `row ..< row + height` (height <= MR) and columns `column ..< column + depth` of
  /// op(A) as one pre-broadcast micro-panel: for each p, the MR entries of column p, each written
  /// twice (the micro-kernel loads a row's multiplier as one `SIMD2`), zero past `height` so the
  /// micro-kernel never branches.
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
    if height == mr {
      for p in 0..<depth {
        let s = source + p * cs
        let t = UnsafeMutableRawPointer(target + p * 2 * mr)
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
      let t = target + p * 2 * mr
      for i in 0..<mr {
        let value = i < height ? s[i * rs] : 0
        t[2 * i] = value
        t[2 * i + 1] = value
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
    if width == nr {
      if b.columnStride == 1 {
        for p in 0..<depth {
          let s = source + p * b.rowStride
          let t = target + p * nr
          t[0] = s[0]
          t[1] = s[1]
          t[2] = s[2]
          t[3] = s[3]
        }
      } else {
        let cs = b.columnStride
        for p in 0..<depth {
          let s = source + p * b.rowStride
          let t = target + p * nr
          t[0] = s[0]
          t[1] = s[cs]
          t[2] = s[2 * cs]
          t[3] = s[3 * cs]
        }
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
