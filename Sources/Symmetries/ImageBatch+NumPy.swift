import Foundation

extension ImageBatch {
  /// Reads an image batch from a `.npy` file of shape (n, H, W, C), or (n, H, W) read as C = 1.
  ///
  /// Any readable element type is accepted and widened to float64 (uint8 pixels keep their
  /// 0...255 values; scale them afterwards). H, W and C must be positive; n may be zero.
  ///
  /// - Throws: every `NumPyArray(npyAt:)` error, `DataFileError.wrongShape` for another rank or
  ///   a zero image dimension, and `.nonFiniteValue` for NaN or infinite values.
  /// - Complexity: O(n * H * W * C).
  public init(npyAt url: URL) throws(DataFileError) {
    try self.init(try NumPyArray(npyAt: url))
  }

  /// An image batch from a NumPy array of shape (n, H, W, C) or (n, H, W).
  ///
  /// - Throws: `DataFileError.wrongShape` or `.nonFiniteValue`.
  /// - Complexity: O(n * H * W * C).
  public init(_ array: NumPyArray) throws(DataFileError) {
    let expected = "(n, H, W, C) or (n, H, W) with H, W, C > 0; reshape with x.reshape(n, H, W, C)"
    let dims = array.shape
    guard dims.count == 4 || dims.count == 3 else {
      throw .wrongShape(expected: expected, actual: dims)
    }
    let channels = dims.count == 4 ? dims[3] : 1
    guard let shape = try? ImageShape(height: dims[1], width: dims[2], channels: channels) else {
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
  /// - Complexity: O(n * H * W * C).
  public func write(npyTo url: URL) throws(DataFileError) {
    try numPyArray.write(npyTo: url)
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
