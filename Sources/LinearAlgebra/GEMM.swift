import Foundation

/// General matrix multiplication on raw row-major buffers: C <- alpha op(A) op(B) + beta C.
///
/// op(A) is m x k and op(B) is k x n; op(X) is X or its transpose. Entry (i, p) of a row-major
/// operand X with leading dimension `ldx` lives at `x[i * ldx + p]`; a transposed operand is
/// read as X^T without copying it.
///
/// The product is blocked for the cache hierarchy (GotoBLAS style: panels of B of KC x NC, blocks
/// of A of MC x KC, both packed into contiguous micro-panels) and computed by a register tile of
/// accumulators (see `microkernel`: 12 x 16 in `SIMD8<Double>` with fused multiply-add when
/// built for AVX-512, 6 x 8 in `SIMD4<Double>` for AVX2 + FMA, 6 x 4 in `SIMD2<Double>` for
/// baseline x86-64). Threads share out the MC x NC
/// output blocks only; the k dimension is never split, so every entry of C is summed in the
/// same order whatever the thread count, and results are bit-identical for any `threads`.
///
/// Reference: K. Goto and R. van de Geijn, "Anatomy of high-performance matrix multiplication",
/// ACM TOMS 34 (2008).
public enum GEMM {
  #if SYMMETRY_PROBES_AVX512
    /// Rows of the register tile.
    static let mr = 12
    /// Columns of the register tile (two `SIMD8<Double>`).
    static let nr = 16
    /// Copies of each entry of A in its packed micro-panel (broadcast from memory).
    static let aCopies = 1
    /// Depth of a packed panel. Deeper than the L1 rule of thumb (a KC x NR micro-panel of B,
    /// 64 KiB, no longer fits a 48 KiB L1 and streams from L2 with the A micro-panels): every
    /// pass over k reads and writes each tile of C once, and C (32 MiB at n = 2048) lives in L3,
    /// so halving the passes saves more than L2 streaming costs. Measured on a Xeon with 48 KiB
    /// L1 and 2 MiB L2 (docs/benchmarks.md, session 11): KC 512 ran at 68-73 GFLOP/s on one
    /// core where KC 256 ran at 64-69.
    static let kc = 512
    /// Rows of a packed block of A: MC x KC (576 KiB) stays in a 2 MiB L2 beside the
    /// streaming B micro-panels. On two threads (5 rounds alternated with OpenBLAS, session 11)
    /// MC 144 ran at 79-103% of OpenBLAS, MC 96 at 75-91%, MC 72 at 51-101%.
    static let mc = 144
    /// Columns of a packed panel of B: KC x NC (8 MiB) stays in the shared L3.
    static let nc = 2048
  #elseif SYMMETRY_PROBES_AVX2
    /// Rows of the register tile.
    static let mr = 6
    /// Columns of the register tile (two `SIMD4<Double>`).
    static let nr = 8
    /// Copies of each entry of A in its packed micro-panel (AVX2 broadcasts from memory).
    static let aCopies = 1
    /// Depth of a packed panel: a KC x NR micro-panel of B (16 KiB) and a MR x KC micro-panel
    /// of A (12 KiB) stay in the 32 KiB L1.
    static let kc = 256
    /// Rows of a packed block of A: MC x KC (240 KiB) stays in the 512 KiB L2.
    static let mc = 120
    /// Columns of a packed panel of B: KC x NC (4 MiB) stays in the shared L3.
    static let nc = 2048
  #else
    /// Rows of the register tile.
    static let mr = 6
    /// Columns of the register tile (two `SIMD2<Double>`).
    static let nr = 4
    /// Copies of each entry of A in its packed micro-panel (pre-broadcast for SSE2).
    static let aCopies = 2
    /// Depth of a packed panel: a KC x NR micro-panel of B (8 KiB) stays in L1.
    static let kc = 256
    /// Rows of a packed block of A: MC x KC, pre-broadcast (288 KiB), stays in L2.
    static let mc = 72
    /// Columns of a packed panel of B: KC x NC (2 MiB) stays in L3.
    static let nc = 1024
  #endif

  /// The number of threads used when a caller does not say: the active processor count.
  public static var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// Computes C <- alpha op(A) op(B) + beta C on raw row-major buffers.
  ///
  /// When `beta == 0`, C is write-only (its previous contents, even NaN, are ignored).
  /// The caller guarantees that the buffers hold the addressed entries and that C does not
  /// overlap A or B.
  ///
  /// - Parameters:
  ///   - m: Rows of op(A) and of C.
  ///   - n: Columns of op(B) and of C.
  ///   - k: Columns of op(A), rows of op(B).
  ///   - alpha: The scale of the product op(A) op(B).
  ///   - a: A, row-major: m x k (`transposeA == false`) or k x m.
  ///   - lda: The row stride of A as stored.
  ///   - transposeA: Whether op(A) is A transposed (A stored k x m).
  ///   - b: B, row-major: k x n (`transposeB == false`) or n x k.
  ///   - ldb: The row stride of B as stored.
  ///   - transposeB: Whether op(B) is B transposed (B stored n x k).
  ///   - beta: The scale of C's previous contents (0: C is write-only).
  ///   - c: C, row-major m x n.
  ///   - ldc: The row stride of C.
  ///   - threads: Worker threads (at least 1); the result does not depend on it.
  /// Throws, before touching any buffer, when a dimension is negative or a row stride is
  /// shorter than the row it must skip (which would read or write outside the operands).
  ///
  /// - Complexity: O(m n k) time, O(KC (NC + threads MC)) scratch memory.
  public static func multiply(
    m: Int, n: Int, k: Int,
    alpha: Double = 1,
    a: UnsafePointer<Double>, lda: Int, transposeA: Bool = false,
    b: UnsafePointer<Double>, ldb: Int, transposeB: Bool = false,
    beta: Double = 0,
    c: UnsafeMutablePointer<Double>, ldc: Int,
    threads: Int = defaultThreadCount
  ) throws(LinearAlgebraError) {
    try validateDimensions(m: m, n: n, k: k)
    try validateStride(
      "lda", lda, rows: transposeA ? k : m, rowLength: transposeA ? m : k, operand: "A")
    try validateStride(
      "ldb", ldb, rows: transposeB ? n : k, rowLength: transposeB ? k : n, operand: "B")
    try validateStride("ldc", ldc, rows: m, rowLength: n, operand: "C")
    uncheckedMultiply(
      m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb,
      transposeB: transposeB, beta: beta, c: c, ldc: ldc, threads: threads)
  }

  /// `multiply` without argument checks, for the package's own callers, whose dimensions and
  /// strides come from matrices they own (a negative dimension here is a bug, so it traps).
  package static func uncheckedMultiply(
    m: Int, n: Int, k: Int,
    alpha: Double = 1,
    a: UnsafePointer<Double>, lda: Int, transposeA: Bool = false,
    b: UnsafePointer<Double>, ldb: Int, transposeB: Bool = false,
    beta: Double = 0,
    c: UnsafeMutablePointer<Double>, ldc: Int,
    threads: Int = defaultThreadCount
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "internal: GEMM dimensions must be non-negative")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
      scale(m: m, n: n, c: c, ldc: ldc, by: beta)
      return
    }
    let aOperand = Operand(
      base: a, rowStride: transposeA ? 1 : lda, columnStride: transposeA ? lda : 1)
    let bOperand = Operand(
      base: b, rowStride: transposeB ? 1 : ldb, columnStride: transposeB ? ldb : 1)
    let output = Output(base: c, ldc: ldc)
    // Small products are not worth a thread hand-off.
    let workers = m * n * k < 64 * 64 * 64 ? 1 : max(1, threads)

    run(
      m: m, n: n, k: k, alpha: alpha, a: aOperand, b: bOperand, beta: beta, output: output,
      lowerOnly: false, workers: workers)
  }

  /// Throws when a dimension is negative.
  static func validateDimensions(m: Int = 0, n: Int, k: Int) throws(LinearAlgebraError) {
    guard m >= 0, n >= 0, k >= 0 else {
      throw .invalidArgument(
        "GEMM dimensions m = \(m), n = \(n), k = \(k) include a negative one; pass counts >= 0")
    }
  }

  /// Throws when the row stride `name` of a stored operand is shorter than its rows (a stride
  /// is never used to step past an operand's only row, so it is free there, as for k = 0).
  static func validateStride(
    _ name: String, _ stride: Int, rows: Int, rowLength: Int, operand: String
  ) throws(LinearAlgebraError) {
    guard rows <= 1 || stride >= rowLength else {
      throw .invalidArgument(
        "\(name) = \(stride) is shorter than a stored row of \(operand) (\(rowLength) entries), "
          + "so rows would overlap; pass the row length of \(operand) as stored, at least \(rowLength)"
      )
    }
  }

  /// The blocked product behind `multiply` and `symmetricRankK`. With `lowerOnly`, only the
  /// register tiles that hold an entry on or below the diagonal (i >= j) are computed; each
  /// computed entry gets the same bits as in the full product, because a tile's entries do not
  /// depend on which tiles are computed.
  static func run(
    m: Int, n: Int, k: Int, alpha: Double, a aOperand: Operand, b bOperand: Operand,
    beta: Double, output: Output, lowerOnly: Bool, workers: Int
  ) {
    let panelB = allocatePacked(kc * (nc + nr))
    defer { UnsafeMutableRawPointer(panelB).deallocate() }

    for jc in stride(from: 0, to: n, by: nc) {
      let ncBlock = min(nc, n - jc)
      let bPanels = (ncBlock + nr - 1) / nr
      for pc in stride(from: 0, to: k, by: kc) {
        let kcBlock = min(kc, k - pc)
        let first = pc == 0
        let packedB = SharedPointer(panelB)
        Parallel.forEach(bPanels, workers: workers) { panel in
          let j = panel * nr
          packB(
            bOperand, row: pc, column: jc + j, depth: kcBlock, width: min(nr, ncBlock - j),
            into: packedB.base + panel * nr * kcBlock)
        }
        let mBlocks = (m + mc - 1) / mc
        // Split the columns too when there are fewer row blocks than workers, so that short,
        // wide products still use every thread; the split depends only on the shape.
        let columnGroups = mBlocks >= 2 * workers ? 1 : min(bPanels, 4 * workers)
        let panelsPerGroup = (bPanels + columnGroups - 1) / columnGroups
        Parallel.forEach(mBlocks * columnGroups, workers: workers) { item in
          // Lower-triangle row blocks grow with the row: hand out the largest first.
          let block = lowerOnly ? mBlocks - 1 - item / columnGroups : item / columnGroups
          let ic = block * mc
          let group = item % columnGroups
          // Lower only: the panels whose first column is at most the block's last row.
          let lastRow = ic + min(mc, m - ic) - 1
          let lastPanel =
            !lowerOnly ? bPanels : lastRow < jc ? 0 : min(bPanels, (lastRow - jc) / nr + 1)
          let panelRange =
            min(lastPanel, group * panelsPerGroup)..<min(lastPanel, (group + 1) * panelsPerGroup)
          if panelRange.isEmpty { return }
          computeBlock(
            a: aOperand, rowStart: ic, rows: min(mc, m - ic), depthStart: pc, depth: kcBlock,
            packedB: UnsafePointer(packedB.base), panels: panelRange, columnStart: jc,
            columns: ncBlock, alpha: alpha, beta: first ? beta : 1, output: output,
            lowerOnly: lowerOnly)
        }
      }
    }
  }

  /// A packing buffer of `count` doubles on a 64-byte boundary. The micro-kernels load B's
  /// packed rows as whole vectors; from `allocate(capacity:)`'s 16-byte alignment every 64-byte
  /// load would straddle two cache lines, which cost the AVX-512 kernel about a tenth of its
  /// rate with its panels in L1 (82-84 against 87-92 GFLOP/s on one core, session 11).
  static func allocatePacked(_ count: Int) -> UnsafeMutablePointer<Double> {
    UnsafeMutableRawPointer.allocate(
      byteCount: count * MemoryLayout<Double>.stride, alignment: 64
    ).bindMemory(to: Double.self, capacity: count)
  }

  /// C <- beta C, with beta == 0 meaning "overwrite with zeros".
  static func scale(m: Int, n: Int, c: UnsafeMutablePointer<Double>, ldc: Int, by beta: Double) {
    for i in 0..<m {
      let row = c + i * ldc
      if beta == 0 {
        row.update(repeating: 0, count: n)
      } else if beta != 1 {
        for j in 0..<n { row[j] *= beta }
      }
    }
  }

  /// One MC x KC block of A times the packed KC x NC panel of B, accumulated into C.
  static func computeBlock(
    a: Operand, rowStart: Int, rows: Int, depthStart: Int, depth: Int,
    packedB: UnsafePointer<Double>, panels: Range<Int>, columnStart: Int, columns: Int,
    alpha: Double, beta: Double, output: Output, lowerOnly: Bool = false
  ) {
    let rowPanels = (rows + mr - 1) / mr
    let panelSize = aCopies * mr * depth
    let packedA = allocatePacked(rowPanels * panelSize)
    defer { UnsafeMutableRawPointer(packedA).deallocate() }
    for panel in 0..<rowPanels {
      let i = panel * mr
      packA(
        a, row: rowStart + i, column: depthStart, height: min(mr, rows - i), depth: depth,
        into: packedA + panel * panelSize)
    }
    for jPanel in panels {
      let j = jPanel * nr
      let width = min(nr, columns - j)
      let bMicro = packedB + jPanel * nr * depth
      // Lower only: skip the row panels that lie wholly above this column panel (the last row
      // of panel q, rowStart + q MR + MR - 1, is below the first column iff q >= offset / MR).
      let firstPanel = lowerOnly ? max(0, min(rowPanels, (columnStart + j - rowStart) / mr)) : 0
      for panel in firstPanel..<rowPanels {
        let i = panel * mr
        let height = min(mr, rows - i)
        let cTile = output.base + (rowStart + i) * output.ldc + columnStart + j
        microkernel(
          depth: depth, a: packedA + panel * panelSize, b: bMicro, alpha: alpha, beta: beta,
          c: cTile, ldc: output.ldc, height: height, width: width)
      }
    }
  }
}

extension GEMM {
  /// A read-only operand addressed by strides, so transposition costs nothing.
  struct Operand {
    let base: UnsafePointer<Double>
    let rowStride: Int
    let columnStride: Int
  }

  /// The output buffer and its row stride.
  struct Output: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    let ldc: Int
  }
}

extension GEMM.Operand: @unchecked Sendable {}
