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
            ParallelItems.run(
              count: blockOctets * octets, threads: threads, pixels: compiled.pixelCount,
              taps: compiled.taps
            ) { workspace, item in
              let octet = firstOctet + item / octets
              let group = item % octets
              if group < octet { return }
              let i0 = octet * laneCount
              let j0 = group * laneCount
              let tileRows = min(laneCount, n - i0)
              var nngpTile = (
                Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes()
              )
              var ntkTile = nngpTile
              var valid = laneCount
              withUnsafeMutableBytes(of: &nngpTile) { nngpBytes in
                withUnsafeMutableBytes(of: &ntkTile) { ntkBytes in
                  let nngpRows = nngpBytes.baseAddress!.assumingMemoryBound(to: Lanes.self)
                  let ntkRows = ntkBytes.baseAddress!.assumingMemoryBound(to: Lanes.self)
                  for r in 0..<tileRows {
                    let i = i0 + r
                    DiagonalGroups.kernels(
                      row: rows.lowerBound + i, firstColumn: rows.lowerBound + j0,
                      rowTables: tables, rowValues: values.baseAddress!,
                      rowFactors: rowFactors.baseAddress!, columnTables: tables,
                      columnData: nil, columnFactors: columnFactors.baseAddress!,
                      gramRow: gram.base + (i - r0) * width + (j0 - r0), workspace: workspace
                    ) { nngp, ntk, count in
                      output.store(row: i, firstColumn: j0, nngp: nngp, ntk: ntk, valid: count)
                      nngpRows[r] = nngp
                      ntkRows[r] = ntk
                      valid = count
                    }
                  }
                  // Off the diagonal, the tile's transpose is the mirrored tile below it.
                  if group > octet {
                    storeTransposed(
                      nngpRows, ntkRows, rows: tileRows, columns: valid, at: i0, firstRow: j0,
                      output: output)
                  }
                }
              }
            }
          }
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
