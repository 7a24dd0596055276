import Foundation
import Learners
import Symmetries

/// A kernel computation cut into blocks that separate processes compute alone, recorded in a
/// folder: the manifest `plan.json`, the inputs `x1.npy` (and `x2.npy`), and `blocks/`.
///
/// The n x n Gram matrices of one batch are cut into bands of `blockSize` rows and columns and
/// only the upper triangle of blocks (band r <= band c) is planned, the rest being mirrors; an
/// n1 x n2 plan lists every block. Shard I of N computes the blocks b with b % N == I (see
/// `runShard(_:of:progress:)`), and `assemble(nngp:ntk:)` writes the full matrices.
public struct ShardPlan: Sendable {
  /// The plan folder.
  public let directory: URL
  /// The architecture whose NNGP and NTK kernels are planned.
  public let architecture: Architecture
  /// The shape of every input image.
  public let imageShape: ImageShape
  /// n1: the number of rows (images of the first batch).
  public let rowCount: Int
  /// n2: the number of columns (n1 when symmetric).
  public let columnCount: Int
  /// Whether the plan is one batch against itself.
  public let isSymmetric: Bool
  /// The side of a block, in images.
  public let blockSize: Int
  /// Every block, in manifest order.
  public let blocks: [PlannedBlock]
  /// The SHA-256 of each input copy (one when symmetric, two otherwise).
  public let inputChecksums: [String]
  /// The SHA-256 of every setting that changes a block's values or layout.
  public let settingsHash: String
  /// The input copies' names inside the folder.
  let inputFiles: [String]

  /// The manifest format this code writes and reads.
  public static let formatVersion: Int = 1

  // MARK: - Creating

  /// Plans the Gram matrices of `x1` with itself (`x2` nil) or with `x2` in `directory`,
  /// copying the inputs there as float64 `.npy`; returns the existing plan when the folder
  /// already holds this very plan, so planning twice keeps the blocks computed so far.
  ///
  /// - Throws: `ShardingError.invalidBlockSize`, `.emptyInput`, `.shapeMismatch`,
  ///   `.planExists` for a folder holding a different plan, `.dataFile` when writing fails.
  /// - Complexity: O((n1 + n2) d) time and memory for the copies, plus O(number of blocks).
  public static func create(
    in directory: URL, architecture: Architecture, x1: ImageBatch, x2: ImageBatch?,
    blockSize: Int
  ) throws(ShardingError) -> ShardPlan {
    guard blockSize >= 1 else { throw .invalidBlockSize(blockSize) }
    guard x1.count >= 1 else { throw .emptyInput(which: "first") }
    if let x2 {
      guard x2.count >= 1 else { throw .emptyInput(which: "second") }
      guard x2.shape == x1.shape else { throw .shapeMismatch(first: x1.shape, second: x2.shape) }
    }
    var inputs: [(name: String, data: Data, count: Int)] = []
    for (name, batch) in [("x1.npy", x1), ("x2.npy", x2)] {
      guard let batch else { continue }
      let data: Data
      do {
        data = try batch.numPyArray.npyData()
      } catch {
        throw .dataFile(error)
      }
      inputs.append((name, data, batch.count))
    }
    let manifest = makeManifest(
      architecture: architecture, shape: x1.shape, rowCount: x1.count,
      columnCount: x2?.count ?? x1.count, symmetric: x2 == nil, blockSize: blockSize,
      inputs: inputs.map { input in
        PlanManifest.Input(
          file: input.name, sha256: input.data.withUnsafeBytes { SHA256.hexDigest(of: $0) },
          count: input.count)
      })

    let manifestURL = directory.appendingPathComponent(manifestName)
    if FileManager.default.fileExists(atPath: manifestURL.path) {
      let existing = try ShardPlan(directory: directory)
      guard existing.settingsHash == manifest.settingsHash,
        existing.inputChecksums == manifest.inputs.map(\.sha256)
      else {
        let reason = existing.differences(
          from: manifest, architecture: architecture, shape: x1.shape)
        throw .planExists(directory: directory.path, reason: reason)
      }
      return existing
    }
    try wrap { () throws(DataFileError) in
      try OutputPath.createFolder(directory.appendingPathComponent(blocksFolder))
    }
    for input in inputs {
      try wrap { () throws(DataFileError) in
        try DataFile.write(input.data, to: directory.appendingPathComponent(input.name))
      }
    }
    // The manifest goes last: a folder without one is an interrupted plan, never a valid one.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json: Data
    do {
      json = try encoder.encode(manifest)
    } catch {
      throw .manifestMalformed(path: manifestURL.path, reason: "cannot encode: \(error)")
    }
    try wrap { () throws(DataFileError) in try DataFile.write(json, to: manifestURL) }
    return try ShardPlan(directory: directory)
  }

  // MARK: - Loading

  /// The plan recorded in `directory`, checked for consistency: the architecture parses back
  /// to its description, and the block list and settings hash are what the settings give.
  ///
  /// - Throws: `ShardingError.manifestMissing` or `.manifestMalformed`.
  /// - Complexity: O(manifest size).
  public init(directory: URL) throws(ShardingError) {
    let url = directory.appendingPathComponent(Self.manifestName)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw .manifestMissing(path: url.path)
    }
    let manifest: PlanManifest
    do {
      manifest = try JSONDecoder().decode(PlanManifest.self, from: try DataFile.read(url))
    } catch let error as DataFileError {
      throw .manifestMalformed(path: url.path, reason: "\(error)")
    } catch {
      throw .manifestMalformed(path: url.path, reason: JSONReason.describe(error))
    }
    func malformed(_ reason: String) -> ShardingError {
      .manifestMalformed(path: url.path, reason: reason)
    }
    guard manifest.format == PlanManifest.formatName else {
      throw malformed("its format is '\(manifest.format)', not '\(PlanManifest.formatName)'")
    }
    guard manifest.formatVersion == Self.formatVersion else {
      throw malformed(
        "format version \(manifest.formatVersion); this tool reads version \(Self.formatVersion)")
    }
    let architecture: Architecture
    do {
      architecture = try Architecture(parsing: manifest.architecture)
    } catch {
      throw malformed("the architecture does not parse: \(error)")
    }
    guard manifest.imageShape.count == 3,
      let shape = try? ImageShape(
        height: manifest.imageShape[0], width: manifest.imageShape[1],
        channels: manifest.imageShape[2])
    else {
      throw malformed("imageShape \(manifest.imageShape) is not [H, W, C] with positive entries")
    }
    guard manifest.blockSize >= 1, manifest.rowCount >= 1, manifest.columnCount >= 1,
      manifest.inputs.count == (manifest.symmetric ? 1 : 2),
      manifest.inputs[0].count == manifest.rowCount,
      manifest.inputs.last!.count == manifest.columnCount
    else {
      throw malformed("the counts, block size and inputs do not fit together")
    }
    let expected = Self.makeManifest(
      architecture: architecture, shape: shape, rowCount: manifest.rowCount,
      columnCount: manifest.columnCount, symmetric: manifest.symmetric,
      blockSize: manifest.blockSize, inputs: manifest.inputs)
    guard expected == manifest else {
      throw malformed(
        "its settings hash or block list is not what its settings give (was it edited?)")
    }
    self.directory = directory
    self.architecture = architecture
    imageShape = shape
    rowCount = manifest.rowCount
    columnCount = manifest.columnCount
    isSymmetric = manifest.symmetric
    blockSize = manifest.blockSize
    blocks = manifest.blocks.map { block in
      PlannedBlock(
        index: block.index, rows: block.rows[0]..<block.rows[1],
        columns: block.columns[0]..<block.columns[1])
    }
    inputChecksums = manifest.inputs.map(\.sha256)
    settingsHash = manifest.settingsHash
    inputFiles = manifest.inputs.map(\.file)
  }

  // MARK: - Shards and files

  /// The blocks of shard `index` of `count`: those whose index b has b % count == index.
  ///
  /// - Throws: `ShardingError.invalidShard` unless 0 <= index < count.
  /// - Complexity: O(number of blocks / count).
  public func blocks(ofShard index: Int, of count: Int) throws(ShardingError) -> [PlannedBlock] {
    guard count >= 1, index >= 0, index < count else {
      throw .invalidShard(index: index, count: count)
    }
    return Array(stride(from: index, to: blocks.count, by: count).map { blocks[$0] })
  }

  /// Where `block`'s file lives.
  public func url(of block: PlannedBlock) -> URL {
    directory.appendingPathComponent(Self.blocksFolder).appendingPathComponent(block.fileName)
  }

  static let manifestName = "plan.json"
  static let blocksFolder = "blocks"

  // MARK: - Helpers

  /// The manifest these settings give; its settings hash and block list are functions of them.
  private static func makeManifest(
    architecture: Architecture, shape: ImageShape, rowCount: Int, columnCount: Int,
    symmetric: Bool, blockSize: Int, inputs: [PlanManifest.Input]
  ) -> PlanManifest {
    let settings = """
      \(PlanManifest.formatName) \(formatVersion)
      architecture \(architecture.description)
      image \(shape.height) \(shape.width) \(shape.channels)
      rows \(rowCount) columns \(columnCount) symmetric \(symmetric)
      block \(blockSize)
      kernels nngp ntk float64

      """
    let tiling = PlannedBlock.tiling(
      rowCount: rowCount, columnCount: columnCount, size: blockSize, symmetric: symmetric)
    return PlanManifest(
      format: PlanManifest.formatName, formatVersion: formatVersion,
      architecture: architecture.description,
      imageShape: [shape.height, shape.width, shape.channels], rowCount: rowCount,
      columnCount: columnCount, symmetric: symmetric, blockSize: blockSize,
      settingsHash: Array(settings.utf8).withUnsafeBytes { SHA256.hexDigest(of: $0) },
      shardRule: PlanManifest.shardRuleText, inputs: inputs,
      blocks: tiling.map { block in
        PlanManifest.Block(
          index: block.index, rows: [block.rows.lowerBound, block.rows.upperBound],
          columns: [block.columns.lowerBound, block.columns.upperBound],
          file: blocksFolder + "/" + block.fileName)
      })
  }

  /// What differs between this plan and `manifest`, in words.
  private func differences(
    from manifest: PlanManifest, architecture other: Architecture, shape: ImageShape
  ) -> String {
    var found: [String] = []
    func compare(_ name: String, _ mine: String, _ theirs: String) {
      if mine != theirs { found.append("\(name) \(mine) there, \(theirs) now") }
    }
    compare("architecture", architecture.description, other.description)
    compare("image shape", "\(imageShape)", "\(shape)")
    compare(
      "size", "\(rowCount) x \(columnCount)", "\(manifest.rowCount) x \(manifest.columnCount)")
    compare("symmetric", "\(isSymmetric)", "\(manifest.symmetric)")
    compare("block size", "\(blockSize)", "\(manifest.blockSize)")
    compare(
      "input SHA-256", inputChecksums.joined(separator: ", "),
      manifest.inputs.map(\.sha256).joined(separator: ", "))
    return found.joined(separator: "; ")
  }

  /// Runs `body`, turning its `DataFileError` into a `ShardingError`.
  static func wrap<T>(_ body: () throws(DataFileError) -> T) throws(ShardingError) -> T {
    do {
      return try body()
    } catch {
      throw .dataFile(error)
    }
  }
}
