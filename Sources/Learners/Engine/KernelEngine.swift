import Dispatch
import Symmetries

/// Computes infinite-width NNGP and NTK Gram matrices of a `KernelProgram` with a fused
/// per-pair recursion, vectorised and spread over threads.
///
/// Each pair's covariances stay in cache through all layers instead of streaming layer-sized
/// tensors: covariances are stored in relative coordinates (offset q - p), so a convolution is
/// a separable box filter over p for each offset (see `BoxFilter`), and activations are
/// element-wise with a vectorised arc-cosine (see `arcCosine`). A flatten readout needs only
/// offset 0; a pooled readout runs every offset, 8 per SIMD vector (see `PooledPairs`).
/// Pairs (or row x 8-column groups) are scheduled dynamically over `threads` threads; each
/// entry is computed by one thread in a fixed order, so the results are bit-identical for any
/// thread count, and a block equals the same entries of the whole matrix bit for bit.
///
/// In the one-batch (symmetric) forms each unordered pair is computed once, with the lower
/// index as the first argument, and mirrored.
///
/// Supported: dense input with 1 x 1 affine steps (FCN); spatial input with circular, zero
/// (`.same`) or `.valid` padding, any filter size, flatten (CNN-VEC, equal to LCN) or
/// global-average-pool readout; ReLU and Erf. Zero and valid padding follow neural-tangents
/// (`_conv_kernel_full_spatial` and `_conv_kernel_diagonal_spatial` in its stax): a window sum
/// in which a tap off the grid reads a covariance of zero, divided by the full filter size, on
/// each pixel-pair axis; valid padding shrinks the grid by filter - 1 per layer. In relative
/// coordinates that is a clipped box filter per offset, with the entries whose partner pixel
/// is off the grid held at zero (see `BoxFilter`, `OffsetMask`). A pooled readout over a mix
/// of circular and zero or valid layers throws `KernelEngineError.unsupported` (the two index
/// offsets differently).
///
/// Strided convolutions and window pooling (`.stridedAffine`, `.pool`) do not keep pixel
/// offsets; a program with them runs in stages (`StagedProgram`, `StagedPairs`): each stage's
/// offset fields are scattered into the pair tensor of its grid, resampled on whole tensors
/// (`PairResampling`) and gathered by the next stage; within a stage the paddings must not mix.
///
/// - Complexity: with n1 x n2 entries, P pixels, C channels and L layers: flatten readout
///   O(n1 n2 P (C + L)); pooled readout O(n1 n2 P^2 (C + L)) (about 4 times that under zero or
///   valid padding, whose offsets do not wrap), halved for one batch; dense input
///   O(n1 n2 (d + L)). Memory: the outputs, O((n1 + n2) P (C + L)) per-image tables, and
///   `workspaceBytes(for:)` per thread.
public struct KernelEngine: Sendable {
  /// The architecture.
  public let program: KernelProgram
  /// How many threads compute pairs (results do not depend on it).
  public let threads: Int

  /// An engine for `program` on `threads` threads; throws on negative or non-finite standard
  /// deviations, non-positive filters or thread counts.
  public init(program: KernelProgram, threads: Int = 2) throws(KernelEngineError) {
    guard threads >= 1 else { throw .invalidThreadCount(threads) }
    try KernelEngine.validate(program)
    self.program = program
    self.threads = threads
  }

  // MARK: - Public entry points

  /// The n x n kernels of a batch with itself (each unordered pair once, mirrored).
  public func kernels(_ x: ImageBatch) throws(KernelEngineError) -> KernelMatrices {
    try compute(x, rows: 0..<x.count, x, columns: 0..<x.count, symmetric: true)
  }

  /// The n1 x n2 kernels K(x_i, y_j).
  public func kernels(_ x: ImageBatch, _ y: ImageBatch) throws(KernelEngineError) -> KernelMatrices
  {
    try compute(x, rows: 0..<x.count, y, columns: 0..<y.count, symmetric: false)
  }

  /// Rows `rows`, columns `columns` of `kernels(x)`, bit-identical to those entries of it.
  public func kernels(
    _ x: ImageBatch, rows: Range<Int>, columns: Range<Int>
  ) throws(KernelEngineError) -> KernelMatrices {
    try compute(x, rows: rows, x, columns: columns, symmetric: true)
  }

  /// Rows `rows`, columns `columns` of `kernels(x, y)`, bit-identical to those entries of it.
  public func kernels(
    _ x: ImageBatch, _ y: ImageBatch, rows: Range<Int>, columns: Range<Int>
  ) throws(KernelEngineError) -> KernelMatrices {
    try compute(x, rows: rows, y, columns: columns, symmetric: false)
  }

  /// The scratch bytes each thread allocates for images of `shape`: three fields of P SIMD
  /// vectors (P = 1 for dense input), whatever the number of images.
  public func workspaceBytes(for shape: ImageShape) throws(KernelEngineError) -> Int {
    if StagedProgram.isStaged(program) {
      let staged = try StagedProgram(program, shape: shape)
      return EngineWorkspace.bytes(
        pixels: staged.largestField, taps: staged.taps.count, tensorCells: staged.largestCells)
    }
    let compiled = try CompiledProgram(program, shape: shape)
    return EngineWorkspace.bytes(pixels: compiled.pixelCount, taps: compiled.taps.count)
  }

  // MARK: - Validation

  /// Throws on what no engine could compute: bad standard deviations or filters.
  static func validate(_ program: KernelProgram) throws(KernelEngineError) {
    func check(_ value: Double, _ step: Int) throws(KernelEngineError) {
      guard value.isFinite, value >= 0 else {
        throw .invalidStandardDeviation(step: step, value: value)
      }
    }
    for (index, step) in program.steps.enumerated() {
      switch step {
      case .affine(let fh, let fw, _, let weightStd, let biasStd):
        guard fh > 0, fw > 0 else { throw .invalidFilter(step: index, height: fh, width: fw) }
        try check(weightStd, index)
        try check(biasStd, index)
      case .stridedAffine(let size, let stride, _, let weightStd, let biasStd):
        guard size > 0, stride > 0 else {
          throw .invalidWindow(step: index, size: size, stride: stride)
        }
        try check(weightStd, index)
        try check(biasStd, index)
      case .pool(let window, let stride, _, _):
        guard window > 0, stride > 0 else {
          throw .invalidWindow(step: index, size: window, stride: stride)
        }
      case .activation:
        break
      }
    }
    switch program.readout {
    case .flatten(let weightStd, let biasStd), .globalAveragePool(let weightStd, let biasStd):
      try check(weightStd, program.steps.count)
      try check(biasStd, program.steps.count)
    }
  }

  // MARK: - Assembly

  private func compute(
    _ x: ImageBatch, rows: Range<Int>, _ y: ImageBatch, columns: Range<Int>, symmetric: Bool
  ) throws(KernelEngineError) -> KernelMatrices {
    guard x.shape == y.shape else { throw .shapeMismatch(first: x.shape, second: y.shape) }
    guard rows.lowerBound >= 0, rows.upperBound <= x.count else {
      throw .blockOutOfRange(range: rows, count: x.count)
    }
    guard columns.lowerBound >= 0, columns.upperBound <= y.count else {
      throw .blockOutOfRange(range: columns, count: y.count)
    }
    if StagedProgram.isStaged(program) {
      let staged = try StagedProgram(program, shape: x.shape)
      return assemble(rows: rows, columns: columns) { output in
        computeStaged(staged, x, rows, y, columns, symmetric, output)
      }
    }
    let compiled = try CompiledProgram(program, shape: x.shape)
    return assemble(rows: rows, columns: columns) { output in
      if compiled.pools {
        computePooled(compiled, x, rows, y, columns, symmetric, output)
      } else {
        computeDiagonal(compiled, x, rows, y, columns, symmetric, output)
      }
    }
  }

  /// The two output matrices of a block, filled by `fill` (which writes every entry).
  private func assemble(
    rows: Range<Int>, columns: Range<Int>, _ fill: (OutputStorage) -> Void
  ) -> KernelMatrices {
    // Every entry of both blocks is written below (computed, or mirrored in the symmetric
    // case), so the storage is initialised by the computation itself: no single-threaded
    // zero-fill (and first touch of every page) of 2 n^2 doubles first.
    let count = rows.count * columns.count
    var ntkStorage: [Double] = []
    let nngpStorage = [Double](unsafeUninitializedCapacity: count) { nngpBuffer, nngpCount in
      ntkStorage = [Double](unsafeUninitializedCapacity: count) { ntkBuffer, ntkCount in
        if let nngpBase = nngpBuffer.baseAddress, let ntkBase = ntkBuffer.baseAddress, count > 0 {
          HugePages.advise(nngpBase, bytes: count * MemoryLayout<Double>.stride)
          HugePages.advise(ntkBase, bytes: count * MemoryLayout<Double>.stride)
          fill(OutputStorage(nngp: nngpBase, ntk: ntkBase, columns: columns.count))
        }
        ntkCount = count
      }
      nngpCount = count
    }
    let nngp = try! Matrix(rows: rows.count, columns: columns.count, storage: nngpStorage)
    let ntk = try! Matrix(rows: rows.count, columns: columns.count, storage: ntkStorage)
    return KernelMatrices(uncheckedNNGP: nngp, ntk: ntk)
  }

  /// Pooled readout: one item per block entry; in the symmetric case an entry whose mirror is
  /// also in the block is computed once (lower index first) and copied.
  private func computePooled(
    _ compiled: CompiledProgram, _ x: ImageBatch, _ rows: Range<Int>, _ y: ImageBatch,
    _ columns: Range<Int>, _ symmetric: Bool, _ output: OutputStorage
  ) {
    let rowRange: Range<Int>
    let columnRange: Range<Int>
    if symmetric {
      // The canonical orientation may put a column image first: one table covers both.
      let union =
        min(rows.lowerBound, columns.lowerBound)..<max(rows.upperBound, columns.upperBound)
      rowRange = union
      columnRange = union
    } else {
      rowRange = rows
      columnRange = columns
    }
    let rowTables = BatchTables(x, range: rowRange, program: compiled)
    let columnTables = symmetric ? rowTables : BatchTables(y, range: columnRange, program: compiled)
    let mirrored = { (i: Int, j: Int) -> Bool in
      symmetric && i > j && rows.contains(j) && columns.contains(i)
    }
    x.values.withUnsafeBufferPointer { rowValues in
      rowTables.rowFactors.withUnsafeBufferPointer { rowFactors in
        columnTables.columnData.withUnsafeBufferPointer { columnData in
          columnTables.columnFactors.withUnsafeBufferPointer { columnFactors in
            ParallelItems.run(
              count: rows.count * columns.count, threads: threads, pixels: compiled.pixelCount,
              taps: compiled.taps
            ) { workspace, item in
              let i = rows.lowerBound + item / columns.count
              let j = columns.lowerBound + item % columns.count
              if mirrored(i, j) { return }
              let (first, second) = symmetric && i > j ? (j, i) : (i, j)
              let value = PooledPairs.kernel(
                row: first, column: second, rowTables: rowTables, rowValues: rowValues.baseAddress!,
                columnTables: columnTables, columnData: columnData.baseAddress!,
                columnFactors: columnFactors.baseAddress!, rowFactors: rowFactors.baseAddress!,
                workspace: workspace)
              output.store(
                row: i - rows.lowerBound, column: j - columns.lowerBound, nngp: value.nngp,
                ntk: value.ntk)
            }
          }
        }
      }
    }
    if symmetric { mirrorLowerTriangle(output, rows, columns) }
  }

  /// A program with strided or pooling steps: one item per block entry, as `computePooled`
  /// (each entry in its canonical orientation, lower index first, so a block has the bits of
  /// the whole matrix), through the stages and resamplings (`StagedPairs`).
  private func computeStaged(
    _ staged: StagedProgram, _ x: ImageBatch, _ rows: Range<Int>, _ y: ImageBatch,
    _ columns: Range<Int>, _ symmetric: Bool, _ output: OutputStorage
  ) {
    let rowRange: Range<Int>
    let columnRange: Range<Int>
    if symmetric {
      let union =
        min(rows.lowerBound, columns.lowerBound)..<max(rows.upperBound, columns.upperBound)
      rowRange = union
      columnRange = union
    } else {
      rowRange = rows
      columnRange = columns
    }
    let rowTables = StagedPairs.tables(staged, x, range: rowRange, threads: threads)
    let columnTables =
      symmetric ? rowTables : StagedPairs.tables(staged, y, range: columnRange, threads: threads)
    let mirrored = { (i: Int, j: Int) -> Bool in
      symmetric && i > j && rows.contains(j) && columns.contains(i)
    }
    x.values.withUnsafeBufferPointer { rowValues in
      ParallelItems.run(
        count: rows.count * columns.count, threads: threads, pixels: staged.largestField,
        taps: staged.taps, tensorCells: staged.largestCells
      ) { workspace, item in
        let i = rows.lowerBound + item / columns.count
        let j = columns.lowerBound + item % columns.count
        if mirrored(i, j) { return }
        let (first, second) = symmetric && i > j ? (j, i) : (i, j)
        let value = StagedPairs.kernel(
          staged, row: first, column: second, rowTables: rowTables,
          rowValues: rowValues.baseAddress!, columnTables: columnTables, workspace: workspace)
        output.store(
          row: i - rows.lowerBound, column: j - columns.lowerBound, nngp: value.nngp, ntk: value.ntk
        )
      }
    }
    if symmetric { mirrorLowerTriangle(output, rows, columns) }
  }

  /// Copies (j, i) into (i, j) for i > j wherever both are in the block: the entries the
  /// symmetric forms skip. Tiled, so the strided reads of the transpose stay in cache; tile
  /// rows are independent copies spread over the engine's threads (bits cannot depend on it).
  private func mirrorLowerTriangle(
    _ output: OutputStorage, _ rows: Range<Int>, _ columns: Range<Int>
  ) {
    let lower = max(rows.lowerBound, columns.lowerBound)
    let upper = min(rows.upperBound, columns.upperBound)
    guard upper - lower > 1 else { return }
    let shared = lower..<upper
    let tile = 32
    let tileRows = (shared.count + tile - 1) / tile
    let copy = { @Sendable (block: Int) in
      let i0 = shared.lowerBound + block * tile
      for j0 in stride(from: shared.lowerBound, through: i0, by: tile) {
        for i in i0..<min(i0 + tile, shared.upperBound) {
          for j in j0..<max(j0, min(j0 + tile, i)) {
            let source = (j - rows.lowerBound) * output.columns + (i - columns.lowerBound)
            output.store(
              row: i - rows.lowerBound, column: j - columns.lowerBound,
              nngp: output.nngp[source], ntk: output.ntk[source])
          }
        }
      }
    }
    if threads > 1 && shared.count >= 256 {
      DispatchQueue.concurrentPerform(iterations: tileRows, execute: copy)
    } else {
      for block in 0..<tileRows { copy(block) }
    }
  }

  /// Flatten readout or dense input: one item per row and 8-column group (a dense diagonal
  /// block goes to `DenseSymmetricPairs`, which fuses the Gram into the recursion). The diagonal
  /// recursion (and the Gram entry) is symmetric in its two images bit for bit (factor products
  /// are formed before they meet a covariance), so in the symmetric case a group lying wholly
  /// below the diagonal, with its mirror in the block, is skipped and mirrored.
  private func computeDiagonal(
    _ compiled: CompiledProgram, _ x: ImageBatch, _ rows: Range<Int>, _ y: ImageBatch,
    _ columns: Range<Int>, _ symmetric: Bool, _ output: OutputStorage
  ) {
    if compiled.isDense && symmetric && rows == columns {
      DenseSymmetricPairs.compute(compiled, x, rows: rows, threads: threads, output: output)
      return
    }
    let rowTables = BatchTables(x, range: rows, program: compiled, threads: threads)
    // One batch over one range: both sides read the same tables (building them twice was about
    // a sixth of vec16's CPU time, most of it on one thread).
    let columnTables =
      symmetric && rows == columns
      ? rowTables : BatchTables(y, range: columns, program: compiled, threads: threads)
    let gram: [Double] =
      compiled.isDense
      ? InnerProducts.gram(
        x, rows: rows, y, columns: columns, upperTriangle: symmetric && rows == columns,
        threads: threads) : []
    let groups = (columns.count + laneCount - 1) / laneCount
    x.values.withUnsafeBufferPointer { rowValues in
      rowTables.rowFactors.withUnsafeBufferPointer { rowFactors in
        columnTables.columnData.withUnsafeBufferPointer { columnData in
          columnTables.columnFactors.withUnsafeBufferPointer { columnFactors in
            gram.withUnsafeBufferPointer { gram in
              ParallelItems.run(
                count: rows.count * groups, threads: threads, pixels: compiled.pixelCount,
                taps: compiled.taps
              ) { workspace, item in
                // Column group major: consecutive items (on both threads, which share one
                // core's caches) read the same column group's tables, 144 KB at 16x16x3.
                let i = item % rows.count
                let j0 = (item / rows.count) * laneCount
                let lastColumn = columns.lowerBound + min(columns.count, j0 + laneCount) - 1
                let row = rows.lowerBound + i
                if symmetric && lastColumn < row && columns.contains(row)
                  && rows.contains(columns.lowerBound + j0) && rows.contains(lastColumn)
                {
                  return
                }
                DiagonalGroups.kernels(
                  row: rows.lowerBound + i, firstColumn: columns.lowerBound + j0,
                  rowTables: rowTables, rowValues: rowValues.baseAddress!,
                  rowFactors: rowFactors.baseAddress!, columnTables: columnTables,
                  columnData: columnData.baseAddress, columnFactors: columnFactors.baseAddress!,
                  gramRow: compiled.isDense ? gram.baseAddress! + i * columns.count + j0 : nil,
                  workspace: workspace
                ) { nngp, ntk, valid in
                  output.store(row: i, firstColumn: j0, nngp: nngp, ntk: ntk, valid: valid)
                }
              }
            }
          }
        }
      }
    }
    if symmetric { mirrorLowerTriangle(output, rows, columns) }
  }
}
