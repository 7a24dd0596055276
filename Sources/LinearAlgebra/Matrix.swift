/// A dense real matrix in row-major order on contiguous storage.
///
/// Entry (i, j) lives at `storage[i * columns + j]`. Value semantics: copies share storage until
/// one is written (copy-on-write of the underlying array).
public struct Matrix: Sendable, Equatable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The entries, row by row.
  ///
  /// Read-only outside the package: a caller who replaced the array with one of another
  /// length would make every later subscript trap. Build a new matrix with
  /// `init(rows:columns:storage:)` (which checks the count), or write entries through the
  /// subscript; the package's own routines borrow the buffer in their hot loops (`_modify`
  /// yields the stored array itself, so a mutation never copies it).
  public package(set) var storage: [Double] {
    get { entries }
    _modify { yield &entries }
    set { entries = newValue }
  }

  /// The stored entries behind `storage`: `@usableFromInline` so that the subscript's setter,
  /// inlined into other modules' loops, can write them (a package setter cannot be).
  @usableFromInline package var entries: [Double]

  /// A matrix with every entry equal to `value`; throws when a dimension is negative or the
  /// entry count rows * columns overflows `Int`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) throws(LinearAlgebraError) {
    guard rows >= 0, columns >= 0 else {
      throw .invalidArgument(
        "a \(rows) x \(columns) matrix has a negative dimension; pass rows >= 0 and columns >= 0")
    }
    guard !rows.multipliedReportingOverflow(by: columns).overflow else {
      throw .invalidArgument(
        "a \(rows) x \(columns) matrix has more entries than an Int can count; pass smaller dimensions"
      )
    }
    self.init(uncheckedRows: rows, columns: columns, repeating: value)
  }

  /// A matrix with every entry equal to `value`, for the package's own callers, whose
  /// dimensions come from validated shapes (a negative dimension here is a bug, so it traps).
  package init(uncheckedRows rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "internal: a matrix has non-negative dimensions")
    self.rows = rows
    self.columns = columns
    entries = Array(repeating: value, count: rows * columns)
  }

  /// A matrix whose entries `fill` writes, every one of them, into uninitialised storage, for
  /// the package's routines that overwrite a whole result (the product): zero-filling it first
  /// would be one more pass over the matrix, and at n = 2048 its 32 MB of fresh pages are then
  /// touched by the fill instead of by the routine's own threads.
  package init(
    uncheckedRows rows: Int, columns: Int,
    writingEvery fill: (UnsafeMutableBufferPointer<Double>) -> Void
  ) {
    precondition(rows >= 0 && columns >= 0, "internal: a matrix has non-negative dimensions")
    self.rows = rows
    self.columns = columns
    entries = Array(unsafeUninitializedCapacity: rows * columns) { buffer, count in
      if let base = buffer.baseAddress {
        HugePages.advise(base, bytes: buffer.count * MemoryLayout<Double>.stride)
      }
      fill(buffer)
      count = rows * columns
    }
  }

  /// A matrix from row-major entries; throws when the count does not match the dimensions.
  public init(rows: Int, columns: Int, storage: [Double]) throws(LinearAlgebraError) {
    guard rows >= 0, columns >= 0, storage.count == rows * columns else {
      throw .dimensionMismatch(
        "\(storage.count) entries cannot fill a \(rows) x \(columns) matrix; "
          + "pass rows * columns = \(max(0, rows) * max(0, columns)) values in row-major order")
    }
    self.rows = rows
    self.columns = columns
    entries = storage
  }

  /// A matrix from an array of equally long rows.
  public init(_ rowArrays: [[Double]]) throws(LinearAlgebraError) {
    let columns = rowArrays.first?.count ?? 0
    guard rowArrays.allSatisfy({ $0.count == columns }) else {
      throw .dimensionMismatch("rows have different lengths; every row needs \(columns) entries")
    }
    try self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
  }

  /// The n x n identity; throws when n is negative.
  public static func identity(_ n: Int) throws(LinearAlgebraError) -> Matrix {
    guard n >= 0 else {
      throw .invalidArgument("an identity of dimension \(n) does not exist; pass n >= 0")
    }
    return uncheckedIdentity(n)
  }

  /// The n x n identity, for the package's own callers (n >= 0 by construction).
  package static func uncheckedIdentity(_ n: Int) -> Matrix {
    var result = Matrix(uncheckedRows: n, columns: n)
    for i in 0..<n { result.storage[i * n + i] = 1 }
    return result
  }

  /// Entry (i, j).
  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { entries[row * columns + column] }
    set { entries[row * columns + column] = newValue }
  }

  /// The transpose.
  public var transposed: Matrix {
    var result = Matrix(uncheckedRows: columns, columns: rows)
    storage.withUnsafeBufferPointer { source in
      result.storage.withUnsafeMutableBufferPointer { target in
        // Tiles keep both the read and the write streams in cache.
        let tile = 32
        for i0 in stride(from: 0, to: rows, by: tile) {
          for j0 in stride(from: 0, to: columns, by: tile) {
            for i in i0..<min(i0 + tile, rows) {
              for j in j0..<min(j0 + tile, columns) {
                target[j * rows + i] = source[i * columns + j]
              }
            }
          }
        }
      }
    }
    return result
  }

  /// Whether the matrix is square.
  public var isSquare: Bool { rows == columns }

  /// The sum of the diagonal entries.
  public var trace: Double {
    var sum = 0.0
    for i in 0..<min(rows, columns) { sum += storage[i * columns + i] }
    return sum
  }

  /// The largest absolute entry (0 for an empty matrix).
  public var maxAbsoluteEntry: Double {
    storage.reduce(0) { max($0, abs($1)) }
  }
}
