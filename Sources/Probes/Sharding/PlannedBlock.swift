/// One block of a planned Gram matrix: a range of rows against a range of columns, computed
/// alone and stored in its own file.
public struct PlannedBlock: Sendable, Hashable, CustomStringConvertible {
  /// The block's position in the manifest's block list; block b belongs to shard b % N.
  public let index: Int
  /// The rows (images of the first batch) the block covers.
  public let rows: Range<Int>
  /// The columns (images of the second batch, or of the first when symmetric) it covers.
  public let columns: Range<Int>

  /// The block at this manifest index covering `rows` x `columns`.
  public init(index: Int, rows: Range<Int>, columns: Range<Int>) {
    self.index = index
    self.rows = rows
    self.columns = columns
  }

  /// The block file's name inside the plan's `blocks` folder.
  public var fileName: String {
    let digits = String(index)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".block"
  }

  public var description: String {
    "block \(index) (rows \(rows.lowerBound)..<\(rows.upperBound), columns "
      + "\(columns.lowerBound)..<\(columns.upperBound))"
  }

  /// The blocks of an n1 x n2 Gram matrix cut into bands of `size`: the upper triangle (band
  /// r <= band c) when symmetric, every block otherwise, row band by row band.
  ///
  /// - Complexity: O(number of blocks).
  static func tiling(rowCount: Int, columnCount: Int, size: Int, symmetric: Bool)
    -> [PlannedBlock]
  {
    let rowBands = bands(rowCount, size)
    let columnBands = bands(columnCount, size)
    var blocks: [PlannedBlock] = []
    for (r, rows) in rowBands.enumerated() {
      for (c, columns) in columnBands.enumerated() where !symmetric || r <= c {
        blocks.append(PlannedBlock(index: blocks.count, rows: rows, columns: columns))
      }
    }
    return blocks
  }

  /// 0..<count cut into consecutive ranges of `size`, the last one possibly shorter.
  static func bands(_ count: Int, _ size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
  }
}
