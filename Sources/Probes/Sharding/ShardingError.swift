import Symmetries

/// A sharded kernel computation that cannot go on, with what was wrong and how to fix it.
public enum ShardingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The block size is not a positive integer.
  case invalidBlockSize(Int)
  /// A batch holds no images.
  case emptyInput(which: String)
  /// The two batches hold images of different shapes.
  case shapeMismatch(first: ImageShape, second: ImageShape)
  /// The shard index or count is out of range.
  case invalidShard(index: Int, count: Int)
  /// The folder already holds a plan for other inputs or settings.
  case planExists(directory: String, reason: String)
  /// The folder holds no manifest.
  case manifestMissing(path: String)
  /// The manifest cannot be read, or contradicts itself.
  case manifestMalformed(path: String, reason: String)
  /// An input copy in the plan folder no longer has the checksum the manifest records.
  case inputChanged(path: String, expected: String, actual: String)
  /// The kernel engine failed on a block.
  case kernelFailed(block: Int, reason: String)
  /// Blocks that are missing, corrupt, or from another plan, each named.
  case invalidBlocks([BlockProblem])
  /// A file could not be read or written.
  case dataFile(DataFileError)

  public var description: String {
    switch self {
    case .invalidBlockSize(let size):
      return "block size \(size) is not valid; pass a positive number of images per block side "
        + "(e.g. --block-size 256)"
    case .emptyInput(let which):
      return "the \(which) batch holds no images; a kernel plan needs at least one image per batch"
    case .shapeMismatch(let first, let second):
      return "the batches hold \(first) and \(second) images; a kernel compares images of one "
        + "shape, so resize or crop one batch"
    case .invalidShard(let index, let count):
      return "shard \(index) of \(count) does not exist; pass --of N with N >= 1 and --shard I "
        + "with 0 <= I < N (a job array's task index, counted from 0)"
    case .planExists(let directory, let reason):
      return "\(directory) already holds a kernel plan for other inputs or settings (\(reason)); "
        + "choose a new folder, or delete this one to start over"
    case .manifestMissing(let path):
      return "no kernel plan at \(path); create one with 'symmetry-probe kernel ... --plan DIR "
        + "--block-size B' and pass the same DIR"
    case .manifestMalformed(let path, let reason):
      return "the kernel plan manifest \(path) cannot be used: \(reason); create the plan again "
        + "in a new folder"
    case .inputChanged(let path, let expected, let actual):
      return "the plan's input \(path) has SHA-256 \(actual) but the manifest records "
        + "\(expected); the copy was altered, so create the plan again in a new folder"
    case .kernelFailed(let block, let reason):
      return "block \(block) could not be computed: \(reason)"
    case .invalidBlocks(let problems):
      let shown = problems.prefix(20).map { "  " + $0.description }
      let more = problems.count > 20 ? ["  ... and \(problems.count - 20) more"] : []
      return "\(problems.count) block(s) cannot be assembled:\n"
        + (shown + more).joined(separator: "\n")
        + "\nrun their shards again ('symmetry-probe kernel --plan DIR --shard I --of N'; block "
        + "b belongs to shard b % N): missing, corrupt and foreign blocks are recomputed"
    case .dataFile(let error):
      return error.description
    }
  }
}

/// What is wrong with one block of a plan.
public struct BlockProblem: Equatable, Sendable, CustomStringConvertible {
  /// How a block file fails.
  public enum Kind: Equatable, Sendable {
    /// No file at the block's path.
    case missing
    /// The file is truncated, altered, or not a block file.
    case corrupt(reason: String)
    /// A valid block file computed from other inputs or settings (another plan's block).
    case foreign(field: String, expected: String, found: String)
  }

  /// The block's index in the manifest.
  public let block: Int
  /// The block file's path.
  public let path: String
  /// What is wrong.
  public let kind: Kind

  /// A problem with the block of this index, whose file is at `path`.
  public init(block: Int, path: String, kind: Kind) {
    self.block = block
    self.path = path
    self.kind = kind
  }

  public var description: String {
    switch kind {
    case .missing:
      return "block \(block) (\(path)): missing"
    case .corrupt(let reason):
      return "block \(block) (\(path)): corrupt, \(reason)"
    case .foreign(let field, let expected, let found):
      return "block \(block) (\(path)): computed from other \(field) (\(found), this plan has "
        + "\(expected)); it belongs to another plan"
    }
  }
}
