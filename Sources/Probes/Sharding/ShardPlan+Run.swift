import Foundation
import Learners
import Symmetries

/// What one shard run did, block by block, and the most it held in memory at once.
public struct ShardReport: Sendable, Equatable {
  /// Blocks computed because their file was missing.
  public var computed: [Int] = []
  /// Blocks whose valid file was already there, left untouched.
  public var skipped: [Int] = []
  /// Blocks whose file was corrupt or from another plan, recomputed, with what was wrong.
  public var recomputed: [BlockProblem] = []
  /// Temporary files of killed runs that were removed.
  public var removedTemporaries: [String] = []
  /// The most input images held at once: at most 2 * blockSize, whatever n is.
  public var largestImageCount: Int = 0
  /// The most kernel entries (per matrix) held at once: at most blockSize^2, whatever n is.
  public var largestEntryCount: Int = 0
}

extension ShardPlan {
  /// Computes the blocks of shard `index` of `count` (block b belongs to shard b % count),
  /// writing each atomically; a block whose valid file exists is skipped, and a missing,
  /// corrupt or foreign one is (re)computed and reported.
  ///
  /// The inputs' checksums are verified first. Each block reads only its own rows and columns
  /// of the inputs, so a shard holds at most 2 * blockSize images and one block's matrices, plus
  /// the kernel engine's workspace for them, whatever n is. Every block goes through
  /// `computeBlock`, the one place that calls the kernel engine.
  ///
  /// - Parameter index: the shard to compute, 0 ..< `count`.
  /// - Parameter count: the number of shards N the blocks are dealt into.
  /// - Parameter progress: receives one line per block (the tool prints them on stderr).
  /// - Throws: `ShardingError.invalidShard`, `.inputChanged`, `.kernelFailed`, `.dataFile`.
  /// - Complexity: O(inputs' size) to verify them, plus the kernel cost of the shard's blocks.
  @discardableResult
  public func runShard(
    _ index: Int, of count: Int, progress: (String) -> Void = { _ in }
  ) throws(ShardingError) -> ShardReport {
    let mine = try blocks(ofShard: index, of: count)
    let inputs = self.inputs
    try inputs.first.verify()
    if !isSymmetric { try inputs.second.verify() }
    let temporaries = AtomicFileWriter.foreignTemporaries(
      in: directory.appendingPathComponent(Self.blocksFolder))
    var report = ShardReport()
    progress("shard \(index) of \(count): \(mine.count) of \(blocks.count) blocks")
    for (position, block) in mine.enumerated() {
      let start = Date()
      let url = url(of: block)
      let header = BlockFile.header(for: block, in: self)
      let problem: BlockProblem.Kind
      switch BlockFile.read(url, expected: header) {
      case .valid:
        report.skipped.append(block.index)
        progress("[\(position + 1)/\(mine.count)] \(block): present and valid, skipped")
        continue
      case .invalid(let kind):
        problem = kind
      }
      for stale in temporaries[block.fileName] ?? [] {
        if (try? FileManager.default.removeItem(at: stale)) != nil {
          report.removedTemporaries.append(stale.path)
          progress("removed \(stale.lastPathComponent), left by an interrupted run")
        }
      }
      let kernels = try computeBlock(block, inputs: inputs, report: &report)
      try Self.wrap { () throws(DataFileError) in
        try AtomicFileWriter.write(BlockFile.encode(kernels, header: header), to: url)
      }
      let seconds = String(format: "%.2f s", Date().timeIntervalSince(start))
      if problem == .missing {
        report.computed.append(block.index)
        progress("[\(position + 1)/\(mine.count)] \(block): computed in \(seconds)")
      } else {
        let found = BlockProblem(block: block.index, path: url.path, kind: problem)
        report.recomputed.append(found)
        progress("[\(position + 1)/\(mine.count)] \(found); recomputed in \(seconds)")
      }
    }
    return report
  }

  /// The NNGP and NTK values of `block`, from its rows and columns of the inputs alone.
  ///
  /// The images are gathered into a local batch and handed to the engine's block API with the
  /// same symmetry the full computation has (`x2` nil for a symmetric plan), so each entry is
  /// computed exactly as in the single-process Gram matrix: entry (i, j) depends only on
  /// images i and j (a `KernelFunction` law).
  /// - Complexity: the engine's cost on at most 2 * blockSize images.
  private func computeBlock(
    _ block: PlannedBlock, inputs: (first: PlanInput, second: PlanInput),
    report: inout ShardReport
  ) throws(ShardingError) -> KernelMatrices {
    let rowImages = try inputs.first.images(block.rows)
    let local: (x1: ImageBatch, x2: ImageBatch?, rows: Range<Int>, columns: Range<Int>)
    if isSymmetric && block.rows == block.columns {
      local = (rowImages, nil, 0..<block.rows.count, 0..<block.rows.count)
    } else {
      let columnImages = try inputs.second.images(block.columns)
      if isSymmetric {
        // One batch holding both ranges, so the engine sees the symmetric plan's x2 = nil.
        let both: ImageBatch
        do {
          both = try ImageBatch(shape: imageShape, values: rowImages.values + columnImages.values)
        } catch {
          throw .kernelFailed(block: block.index, reason: "\(error)")
        }
        local = (
          both, nil, 0..<block.rows.count,
          block.rows.count..<(block.rows.count + block.columns.count)
        )
      } else {
        local = (rowImages, columnImages, 0..<block.rows.count, 0..<block.columns.count)
      }
    }
    report.largestImageCount = max(
      report.largestImageCount, local.x1.count + (local.x2?.count ?? 0))
    report.largestEntryCount = max(report.largestEntryCount, block.rows.count * block.columns.count)
    do {
      return try architecture.kernels(local.x1, local.x2, rows: local.rows, columns: local.columns)
    } catch {
      throw .kernelFailed(block: block.index, reason: "\(error)")
    }
  }
}
