import Foundation

extension ImageBatch {
  /// Reads an image batch from a `.npy` file of shape (n, H, W, C).
  ///
  /// Any readable element type is accepted and widened to float64 (uint8 pixels keep their
  /// 0...255 values; scale them afterwards). H, W and C must be positive; n may be zero.
  ///
  /// - Throws: every `NumPyArray(npyAt:)` error, `DataFileError.wrongShape` for another rank
  ///   (rank 3 included, see `init(_:)`) or a zero image dimension, and `.nonFiniteValue` for
  ///   NaN or infinite values.
  /// - Complexity: O(n * H * W * C).
  public init(npyAt url: URL) throws(DataFileError) {
    try self.init(try NumPyArray(npyAt: url))
  }

  /// An image batch from a NumPy array of shape (n, H, W, C).
  ///
  /// A rank-3 array is refused rather than guessed at: (8, 8, 3) may be one 8 x 8 RGB image or
  /// eight 8 x 3 grey ones, and reading it the wrong way silently computes something else.
  ///
  /// - Throws: `DataFileError.wrongShape` (saying how to reshape) or `.nonFiniteValue`.
  /// - Complexity: O(n * H * W * C).
  public init(_ array: NumPyArray) throws(DataFileError) {
    let dims = array.shape
    guard dims.count == 4 else {
      let expected =
        dims.count == 3
        ? "(n, H, W, C): a rank-3 array is ambiguous (one H x W x C image, or n grey H x W "
          + "images); save x[None] for one image or x[..., None] for grey images"
        : "(n, H, W, C) with H, W, C > 0; reshape with x.reshape(n, H, W, C)"
      throw .wrongShape(expected: expected, actual: dims)
    }
    let expected = "(n, H, W, C) with H, W, C > 0"
    guard let shape = try? ImageShape(height: dims[1], width: dims[2], channels: dims[3]) else {
      throw .wrongShape(expected: expected, actual: dims)
    }
    if let index = ImageBatch.firstNonFiniteIndex(array.values) {
      throw .nonFiniteValue(index: index, value: array.values[index])
    }
    self.init(uncheckedShape: shape, values: array.values)
  }

  /// The batch as a float64 NumPy array of shape (n, H, W, C).
  public var numPyArray: NumPyArray {
    NumPyArray(
      uncheckedShape: [count, shape.height, shape.width, shape.channels], values: values,
      elementType: .float64)
  }

  /// Writes the batch to `url` as a float64 `.npy` file of shape (n, H, W, C), atomically.
  ///
  /// - Throws: `DataFileError.nonFiniteOutput` when a value is NaN or infinite (the reader
  ///   would reject the file), the errors of `DataFile.write`.
  /// - Complexity: O(n * H * W * C).
  public func write(npyTo url: URL) throws(DataFileError) {
    try DataFile.write(try npyData(for: url), to: url)
  }

  /// The batch as the bytes of a float64 `.npy` file destined for `url` (named in errors).
  ///
  /// - Throws: `DataFileError.nonFiniteOutput` when a value is NaN or infinite.
  /// - Complexity: O(values.count).
  public func npyData(for url: URL) throws(DataFileError) -> Data {
    if let index = ImageBatch.firstNonFiniteIndex(values) {
      throw .nonFiniteOutput(path: url.path, index: index, value: values[index])
    }
    return try numPyArray.npyData()
  }

  /// The index of the first NaN or infinite value, or nil.
  ///
  /// - Complexity: O(values.count).
  static func firstNonFiniteIndex(_ values: [Double]) -> Int? {
    values.withUnsafeBufferPointer { buffer in
      for i in buffer.indices where !buffer[i].isFinite { return i }
      return nil
    }
  }
}
