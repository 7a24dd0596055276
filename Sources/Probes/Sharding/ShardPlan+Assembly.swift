import Foundation
import Learners
import Symmetries

extension ShardPlan {
  /// Every block that is missing, corrupt, or computed from other inputs or settings.
  ///
  /// - Complexity: O(total size of the block files) time, O(one block) memory.
  public func problems() -> [BlockProblem] {
    blocks.compactMap { block in
      let url = url(of: block)
      if case .invalid(let kind) = BlockFile.read(
        url, expected: BlockFile.header(for: block, in: self))
      {
        return BlockProblem(block: block.index, path: url.path, kind: kind)
      }
      return nil
    }
  }

  /// Writes the full n1 x n2 NNGP and NTK matrices as float64 `.npy` files, after checking that
  /// every block is present, valid and from this plan's inputs and settings.
  ///
  /// In a symmetric plan the block below the diagonal is the transpose of its mirror, exactly
  /// as the single-process computation mirrors each entry. The matrices are written one band
  /// of `blockSize` rows at a time, each file under a temporary name renamed into place at the
  /// end, so nothing is written unless every block is good.
  ///
  /// - Throws: `ShardingError.invalidBlocks` naming every missing, corrupt or foreign block
  ///   (never filling one in), `.dataFile` when writing fails.
  /// - Complexity: O(n1 n2) time; O(blockSize * n2) memory.
  public func assemble(
    nngp nngpURL: URL, ntk ntkURL: URL, progress: (String) -> Void = { _ in }
  ) throws(ShardingError) {
    let planFiles =
      [directory.appendingPathComponent(Self.manifestName), inputs.first.url, inputs.second.url]
      + blocks.map(url(of:))
    try Self.wrap { () throws(DataFileError) in
      try OutputPath.check([nngpURL, ntkURL], inputs: planFiles)
    }
    let found = problems()
    guard found.isEmpty else { throw .invalidBlocks(found) }
    progress("all \(blocks.count) blocks present and valid; writing \(rowCount) x \(columnCount)")
    var byCorner: [BlockCorner: PlannedBlock] = [:]
    for block in blocks {
      byCorner[BlockCorner(row: block.rows.lowerBound, column: block.columns.lowerBound)] = block
    }
    let nngpWriter = try Self.wrap { () throws(DataFileError) in try AtomicFileWriter(nngpURL) }
    let ntkWriter: AtomicFileWriter
    do {
      ntkWriter = try Self.wrap { () throws(DataFileError) in try AtomicFileWriter(ntkURL) }
    } catch {
      nngpWriter.discard()
      throw error
    }
    do throws(ShardingError) {
      let header = Self.npyHeader(rows: rowCount, columns: columnCount)
      try Self.wrap { () throws(DataFileError) in
        try nngpWriter.write(header)
        try ntkWriter.write(header)
      }
      for rows in PlannedBlock.bands(rowCount, blockSize) {
        var nngpBand = [Double](repeating: 0, count: rows.count * columnCount)
        var ntkBand = nngpBand
        for columns in PlannedBlock.bands(columnCount, blockSize) {
          let mirrored = isSymmetric && rows.lowerBound > columns.lowerBound
          let corner =
            mirrored
            ? BlockCorner(row: columns.lowerBound, column: rows.lowerBound)
            : BlockCorner(row: rows.lowerBound, column: columns.lowerBound)
          // The tiling lists every corner of the upper triangle (or of the whole matrix).
          let block = byCorner[corner]!
          let url = url(of: block)
          let kernels: KernelMatrices
          switch BlockFile.read(url, expected: BlockFile.header(for: block, in: self)) {
          case .valid(let value): kernels = value
          case .invalid(let kind):
            throw .invalidBlocks([BlockProblem(block: block.index, path: url.path, kind: kind)])
          }
          for i in 0..<rows.count {
            for j in 0..<columns.count {
              let source = mirrored ? j * rows.count + i : i * columns.count + j
              let target = i * columnCount + columns.lowerBound + j
              nngpBand[target] = kernels.nngp.storage[source]
              ntkBand[target] = kernels.ntk.storage[source]
            }
          }
        }
        try Self.wrap { () throws(DataFileError) in
          try nngpWriter.write(Self.littleEndianBytes(nngpBand))
          try ntkWriter.write(Self.littleEndianBytes(ntkBand))
        }
      }
      try Self.wrap { () throws(DataFileError) in
        try AtomicFileWriter.commit([nngpWriter, ntkWriter])
      }
    } catch {
      nngpWriter.discard()
      ntkWriter.discard()
      throw error
    }
    progress("wrote \(nngpURL.path) and \(ntkURL.path)")
  }

  // MARK: - Helpers

  /// A block's top-left entry, which names it within a tiling.
  private struct BlockCorner: Hashable {
    let row: Int
    let column: Int
  }

  /// The `.npy` format 1.0 preamble and header of a rows x columns float64 C-order array,
  /// padded with spaces to a multiple of 64 bytes as NumPy writes it.
  static func npyHeader(rows: Int, columns: Int) -> Data {
    let dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
    let preamble = 10
    let total = (preamble + dictionary.utf8.count + 1 + 63) / 64 * 64
    let headerLength = total - preamble
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    bytes.append(UInt8(truncatingIfNeeded: headerLength))
    bytes.append(UInt8(truncatingIfNeeded: headerLength >> 8))
    bytes.append(contentsOf: dictionary.utf8)
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: total - bytes.count - 1))
    bytes.append(UInt8(ascii: "\n"))
    return Data(bytes)
  }

  /// The values as little-endian float64 bytes.
  static func littleEndianBytes(_ values: [Double]) -> Data {
    var data = Data(count: values.count * 8)
    data.withUnsafeMutableBytes { target in
      for (k, value) in values.enumerated() {
        target.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 8 * k, as: UInt64.self)
      }
    }
    return data
  }
}
