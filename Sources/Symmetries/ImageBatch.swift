/// A batch of n images of one shape H x W x C, float64, in contiguous NHWC order.
///
/// Value (i, y, x, c) lives at `values[((i * H + y) * W + x) * C + c]`. Every value is finite:
/// the initialisers reject NaN and infinities, so downstream code never meets them.
public struct ImageBatch: Sendable, Equatable {
  /// The shape of each image.
  public let shape: ImageShape
  /// The number of images n.
  public let count: Int
  /// All values, image by image, row by row, pixel by pixel, channel by channel.
  public private(set) var values: [Double]

  /// A batch from NHWC values; throws on a count that does not fill whole images or on
  /// non-finite values.
  public init(shape: ImageShape, values: [Double]) throws(SymmetryError) {
    guard values.count % shape.dimension == 0 else {
      throw .invalidShape(
        "\(values.count) values do not fill whole \(shape) images "
          + "(each needs \(shape.dimension)); pass n * \(shape.dimension) values in NHWC order")
    }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteValue(index: index, value: values[index])
    }
    self.shape = shape
    self.count = values.count / shape.dimension
    self.values = values
  }

  /// A batch of `count` images of H x W x C from NHWC values.
  public init(count: Int, height: Int, width: Int, channels: Int, values: [Double])
    throws(SymmetryError)
  {
    let shape = try ImageShape(height: height, width: width, channels: channels)
    guard count >= 0, values.count == count * shape.dimension else {
      throw .invalidShape(
        "\(count) images of \(shape) need \(max(0, count) * shape.dimension) values, got \(values.count)"
      )
    }
    try self.init(shape: shape, values: values)
  }

  /// Internal: values already known to be finite and of the right count.
  init(uncheckedShape shape: ImageShape, values: [Double]) {
    precondition(values.count % shape.dimension == 0, "internal: values must fill whole images")
    self.shape = shape
    self.count = values.count / shape.dimension
    self.values = values
  }

  /// Value (image, y, x, channel).
  public subscript(image: Int, y: Int, x: Int, channel: Int) -> Double {
    values[((image * shape.height + y) * shape.width + x) * shape.channels + channel]
  }

  /// The flattened image i (length d = H * W * C); throws when i is not in 0..<count.
  public func image(at i: Int) throws(SymmetryError) -> ArraySlice<Double> {
    try requireIndex(i)
    return image(i)
  }

  /// `image(at:)` for the package's own hot loops, whose index is in range by construction.
  package func image(_ i: Int) -> ArraySlice<Double> {
    values[(i * shape.dimension)..<((i + 1) * shape.dimension)]
  }

  /// The images at the given indices, in that order (repeats allowed); throws, naming the
  /// first bad index, when one is not in 0..<count.
  public func selecting(_ indices: some Sequence<Int>) throws(SymmetryError) -> ImageBatch {
    let indices = Array(indices)
    for i in indices { try requireIndex(i) }
    return selecting(uncheckedIndices: indices)
  }

  /// `selecting(_:)` for the package's own callers, whose indices come from validated counts.
  package func selecting(uncheckedIndices indices: some Sequence<Int>) -> ImageBatch {
    var result: [Double] = []
    for i in indices { result.append(contentsOf: image(i)) }
    return ImageBatch(uncheckedShape: shape, values: result)
  }

  /// Throws unless `i` indexes an image of this batch.
  private func requireIndex(_ i: Int) throws(SymmetryError) {
    guard i >= 0, i < count else {
      throw .invalidParameter(
        "image index \(i) is outside 0..<\(count) of this batch of \(count) images; pass an index below \(count)"
      )
    }
  }

  /// The batch as an n x d matrix, one flattened image per row.
  public var flattened: Matrix {
    // The storage is exactly row-major n x d, so this cannot fail.
    try! Matrix(rows: count, columns: shape.dimension, storage: values)
  }

  /// A batch of the same shape with values produced by `body` from this batch's values.
  ///
  /// For actions: `body` receives the source values and a zeroed output of the same size.
  func mapValues(
    _ body: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void
  ) -> ImageBatch {
    var output = [Double](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in body(source, target) }
    }
    return ImageBatch(uncheckedShape: shape, values: output)
  }

  /// Throws unless this batch's images have `expected` shape.
  func require(shape expected: ImageShape) throws(SymmetryError) {
    guard shape == expected else { throw .shapeMismatch(expected: expected, actual: shape) }
  }
}
