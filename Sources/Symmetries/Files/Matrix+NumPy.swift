import Foundation

extension Matrix {
  /// Reads a matrix (e.g. a kernel) from a 2-D `.npy` file; row i of the array is row i.
  ///
  /// - Throws: every `NumPyArray(npyAt:)` error, `DataFileError.wrongShape` unless the array is
  ///   2-D, and `.nonFiniteValue` for NaN or infinite entries.
  /// - Complexity: O(rows * columns).
  public init(npyAt url: URL) throws(DataFileError) {
    try self.init(try NumPyArray(npyAt: url))
  }

  /// A matrix from a 2-D NumPy array.
  ///
  /// - Throws: `DataFileError.wrongShape` or `.nonFiniteValue`.
  public init(_ array: NumPyArray) throws(DataFileError) {
    guard array.shape.count == 2 else {
      throw .wrongShape(
        expected: "(rows, columns): a 2-D array; reshape with x.reshape(rows, columns)",
        actual: array.shape)
    }
    if let index = ImageBatch.firstNonFiniteIndex(array.values) {
      throw .nonFiniteValue(index: index, value: array.values[index])
    }
    // NumPyArray guarantees rows * columns == values.count.
    self = try! Matrix(rows: array.shape[0], columns: array.shape[1], storage: array.values)
  }

  /// The matrix as a float64 NumPy array of shape (rows, columns).
  public var numPyArray: NumPyArray {
    NumPyArray(uncheckedShape: [rows, columns], values: storage, elementType: .float64)
  }

  /// Writes the matrix to `url` as a 2-D float64 `.npy` file, atomically.
  ///
  /// - Throws: `DataFileError.nonFiniteOutput` when an entry is NaN or infinite (the reader
  ///   would reject the file), the errors of `DataFile.write`.
  /// - Complexity: O(rows * columns).
  public func write(npyTo url: URL) throws(DataFileError) {
    try DataFile.write(try npyData(for: url), to: url)
  }

  /// The matrix as the bytes of a float64 `.npy` file destined for `url` (named in errors).
  ///
  /// - Throws: `DataFileError.nonFiniteOutput` when a value is NaN or infinite.
  /// - Complexity: O(storage.count).
  public func npyData(for url: URL) throws(DataFileError) -> Data {
    if let index = ImageBatch.firstNonFiniteIndex(storage) {
      throw .nonFiniteOutput(path: url.path, index: index, value: storage[index])
    }
    return try numPyArray.npyData()
  }
}
