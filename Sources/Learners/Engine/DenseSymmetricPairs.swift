import Symmetries

/// The one-batch kernels of dense input (FCN) with the input Gram fused into the recursion:
/// the n x n Gram is never stored, and every output entry is written once.
///
/// The rows go in blocks of `blockRows`: one matrix product gives the block's Gram rows from
/// its first row's column on, G[r0 ..< r1, r0 ..< n] (a scratch of `blockRows` x n, which stays
/// in cache, instead of an n x n matrix written to memory and read back), and the recursion
/// runs on 8 x 8 tiles of that block on or above the diagonal: 8 rows, each against 8 column
/// images in one lane vector (`DiagonalGroups`). A tile is stored as its rows and, off the
/// diagonal, as its transpose in the mirrored place, so the lower triangle needs no second pass
/// over the 2 n^2 outputs (the strided reads of a mirror copy, and the Gram's own mirror and
/// its first touch of n^2 pages, were a tenth to a fifth of the FCN workload).
///
/// Bits: a Gram entry's product sums over the inner dimension in an order fixed by the product's
/// depth blocks, not by which rows or columns a call covers, so G[i][j] here equals the whole
/// product's entry; the recursion is symmetric in its two images bit for bit, so the mirrored
/// entry is the one the two-pass form copied. The results are those of the unfused path
/// (`KernelEngine.computeDiagonal`), for any thread count.
/// - Complexity: O(n^2 (d + L)) time as before; O(blockRows n) scratch instead of O(n^2).
enum DenseSymmetricPairs {
  /// Rows per Gram block: 128 x 2,048 doubles (2 MiB) at the FCN workload's n.
  static let blockRows = 16 * laneCount

  /// Tiles of one tile row per work item.
  static let tilesPerItem = 8

  /// Fills `output` (n x n, n = `rows.count`) with the kernels of images `rows` of `x` with
  /// themselves.
  static func compute(
    _ compiled: CompiledProgram, _ x: ImageBatch, rows: Range<Int>, threads: Int,
    output: OutputStorage
  ) {
    let n = rows.count
    guard n > 0 else { return }
    let depth = x.shape.dimension
    let tables = BatchTables(x, range: rows, program: compiled)
    let octets = (n + laneCount - 1) / laneCount
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * n)
    defer { scratch.deallocate() }
    let gram = SharedScratch(base: scratch)
    let programSteps = steps(compiled)
    // The tile loop is compiled once per activation (`tileReLU`, `tileErf`), so the ReLU
    // kernel is inlined into it; a program mixing activations takes the general loop.
    let relu: Bool? =
      compiled.operations.allSatisfy {
        if case .activation(let activation, _, _, _) = $0 { return activation == .relu }
        return true
      }
      ? true
      : compiled.operations.allSatisfy {
        if case .activation(let activation, _, _, _) = $0 { return activation == .erf }
        return true
      } ? false : nil
    programSteps.withUnsafeBufferPointer { steps in
      x.values.withUnsafeBufferPointer { values in
        tables.rowFactors.withUnsafeBufferPointer { rowFactors in
          tables.columnFactors.withUnsafeBufferPointer { columnFactors in
            let images = values.baseAddress! + rows.lowerBound * depth
            for r0 in stride(from: 0, to: n, by: blockRows) {
              let r1 = min(n, r0 + blockRows)
              let width = n - r0
              // G[r0 ..< r1, r0 ..< n]; with depth 0 the product writes zeros.
              GEMM.uncheckedMultiply(
                m: r1 - r0, n: width, k: depth, a: images + r0 * depth, lda: depth,
                b: images + r0 * depth, ldb: depth, transposeB: true, c: scratch, ldc: width,
                threads: threads)
              let firstOctet = r0 / laneCount
              let blockOctets = (r1 - r0 + laneCount - 1) / laneCount
              // An item is a run of `tilesPerItem` tiles of one tile row: a tile alone was so
              // little work that claiming it (an atomic add on a line both threads write) took
              // 7% of the FCN workload's samples.
              let runs = (octets + tilesPerItem - 1) / tilesPerItem
              ParallelItems.run(count: blockOctets * runs, threads: threads, pixels: 1) {
                _, item in
                let octet = firstOctet + item / runs
                let firstGroup = (item % runs) * tilesPerItem
                let i0 = octet * laneCount
                let factorBase =
                  rowFactors.baseAddress! + tables.rowFactorOffset(rows.lowerBound + i0)
                let lastGroup = min(octets, firstGroup + tilesPerItem)
                // Runs wholly below the diagonal are the mirrored tiles: nothing to do.
                guard lastGroup > octet else { return }
                for group in max(octet, firstGroup)..<lastGroup {
                  let j0 = group * laneCount
                  tile(
                    relu: relu, rows: min(laneCount, n - i0), columns: min(laneCount, n - j0),
                    gram: gram.base + (i0 - r0) * width + (j0 - r0), gramStride: width,
                    steps: steps, program: compiled, rowFactors: factorBase,
                    rowFactorStride: tables.factorCount * compiled.pixelCount,
                    columnFactors: columnFactors.baseAddress! + j0,
                    columnStride: tables.columnStride, output: output, at: (i0, j0),
                    mirrored: group > octet)
                }
              }
            }
          }
        }
      }
    }
  }

  /// One activation or affine step of a dense program, as the tile loop reads it: no filter
  /// tables (a dense layer's filter is 1 x 1, its window the entry itself).
  enum Step {
    /// S <- b^2 + W^2 S; T <- S (first) or S + W^2 T.
    case affine(weightVariance: Double, biasVariance: Double)
    /// (S, T) <- (K, Kdot T) with the activation's factors at `index`.
    case activation(relu: Bool, index: Int)
  }

  /// The program's operations as `Step`s (dense input: every filter 1 x 1 and circular).
  static func steps(_ compiled: CompiledProgram) -> [Step] {
    compiled.operations.map { operation in
      switch operation {
      case .affine(let filter), .clippedAffine(let filter):
        return .affine(weightVariance: filter.scale, biasVariance: filter.biasVariance)
      case .activation(let activation, let index, _, _):
        return .activation(relu: activation == .relu, index: index)
      }
    }
  }

  /// The kernels of tile rows i0 ..< i0 + rows with columns j0 ..< j0 + columns (`at`), one lane
  /// vector per row, the recursion in registers: the arithmetic of `DiagonalGroups` (and of
  /// `FieldOperations` and `BoxFilter` on a one-pixel field) in the same order, so the same
  /// bits, without a workspace or a call per step. Stored as rows, and with `mirrored` also as
  /// the transposed tile at (j0, i0).
  @inline(__always)
  private static func tile(
    relu: Bool?, rows: Int, columns: Int, gram: UnsafePointer<Double>, gramStride: Int,
    steps: UnsafeBufferPointer<Step>, program: CompiledProgram, rowFactors: UnsafePointer<Double>,
    rowFactorStride: Int, columnFactors: UnsafePointer<Double>, columnStride: Int,
    output: OutputStorage, at origin: (row: Int, column: Int), mirrored: Bool
  ) {
    let tile = Tile(
      rows: rows, columns: columns, gram: gram, gramStride: gramStride, steps: steps,
      program: program, rowFactors: rowFactors, rowFactorStride: rowFactorStride,
      columnFactors: columnFactors, columnStride: columnStride, output: output, origin: origin,
      mirrored: mirrored)
    switch relu {
    case true?: tileReLU(tile)
    case false?: tileErf(tile)
    case nil: tileMixed(tile)
    }
  }

  /// What one call of the tile loop reads and writes (the arguments of `tile`).
  private struct Tile {
    let rows: Int
    let columns: Int
    let gram: UnsafePointer<Double>
    let gramStride: Int
    let steps: UnsafeBufferPointer<Step>
    let program: CompiledProgram
    let rowFactors: UnsafePointer<Double>
    let rowFactorStride: Int
    let columnFactors: UnsafePointer<Double>
    let columnStride: Int
    let output: OutputStorage
    let origin: (row: Int, column: Int)
    let mirrored: Bool
  }

  // One non-inlined copy of the loop per activation, so each has its kernel inlined.

  @inline(never)
  private static func tileReLU(_ tile: Tile) {
    tileBody(tile) { _, s, uu, vv in reluKernels(s, uu, vv) }
  }

  @inline(never)
  private static func tileErf(_ tile: Tile) {
    tileBody(tile) { _, s, uu, vv in erfKernels(s, uu, vv) }
  }

  @inline(never)
  private static func tileMixed(_ tile: Tile) {
    tileBody(tile) { relu, s, uu, vv in relu ? reluKernels(s, uu, vv) : erfKernels(s, uu, vv) }
  }

  @inline(__always)
  private static func tileBody(
    _ tile: Tile, _ kernels: (Bool, Lanes, Lanes, Lanes) -> (k: Lanes, kdot: Lanes)
  ) {
    let (rows, columns, gram, gramStride) = (tile.rows, tile.columns, tile.gram, tile.gramStride)
    let (steps, program, origin, mirrored) = (tile.steps, tile.program, tile.origin, tile.mirrored)
    let (rowFactors, rowFactorStride) = (tile.rowFactors, tile.rowFactorStride)
    let (columnFactors, columnStride, output) = (tile.columnFactors, tile.columnStride, tile.output)
    var nngpTile = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
    var ntkTile = nngpTile
    let divisor = Double(program.channels)
    let activations = program.activationCount
    let count = Lanes(repeating: Double(program.finalPixelCount))
    withUnsafeMutableBytes(of: &nngpTile) { nngpBytes in
      withUnsafeMutableBytes(of: &ntkTile) { ntkBytes in
        let nngpRows = nngpBytes.baseAddress!.assumingMemoryBound(to: Lanes.self)
        let ntkRows = ntkBytes.baseAddress!.assumingMemoryBound(to: Lanes.self)
        for r in 0..<rows {
          let gramRow = gram + r * gramStride
          var covariance = Lanes(repeating: 0)
          if columns == laneCount {
            covariance = gramRow.loadLanes()
          } else {
            for lane in 0..<columns { covariance[lane] = gramRow[lane] }
          }
          var s = covariance / divisor
          var t = Lanes(repeating: 0)
          var hasTangent = false
          let factors = rowFactors + r * rowFactorStride
          for step in steps {
            switch step {
            case .affine(let scale, let bias):
              let sum = s
              s = bias + scale * sum
              t = hasTangent ? s + scale * t : s
              hasTangent = true
            case .activation(let relu, let index):
              let uu =
                Lanes(repeating: factors[index])
                * (columnFactors + index * columnStride).loadLanes()
              let vv =
                Lanes(repeating: factors[activations + index])
                * (columnFactors + (activations + index) * columnStride).loadLanes()
              let (k, kdot) = kernels(relu, s, uu, vv)
              s = k
              t = kdot * t
            }
          }
          var sumK = Lanes(repeating: 0)
          var sumT = Lanes(repeating: 0)
          sumK += s
          sumT += t
          let nngp = program.readoutBiasVariance + program.readoutWeightVariance * (sumK / count)
          let ntk = nngp + program.readoutWeightVariance * (sumT / count)
          output.store(
            row: origin.row + r, firstColumn: origin.column, nngp: nngp, ntk: ntk, valid: columns)
          nngpRows[r] = nngp
          ntkRows[r] = ntk
        }
        // Off the diagonal, the tile's transpose is the mirrored tile below it.
        if mirrored {
          storeTransposed(
            nngpRows, ntkRows, rows: rows, columns: columns, at: origin.row,
            firstRow: origin.column, output: output)
        }
      }
    }
  }

  /// Writes entry (r, c) of a tile held as `rows` lane vectors to output (firstRow + c, at + r),
  /// one vector store per output row when the tile has all 8 rows.
  @inline(__always)
  private static func storeTransposed(
    _ nngp: UnsafeMutablePointer<Lanes>, _ ntk: UnsafeMutablePointer<Lanes>, rows: Int,
    columns: Int, at column: Int, firstRow: Int, output: OutputStorage
  ) {
    for c in 0..<columns {
      var nngpColumn = Lanes()
      var ntkColumn = Lanes()
      for r in 0..<laneCount {
        nngpColumn[r] = nngp[r][c]
        ntkColumn[r] = ntk[r][c]
      }
      output.store(
        row: firstRow + c, firstColumn: column, nngp: nngpColumn, ntk: ntkColumn, valid: rows)
    }
  }
}

/// The block's Gram rows, read by every worker thread (written before they start).
private struct SharedScratch: @unchecked Sendable {
  let base: UnsafeMutablePointer<Double>
}
