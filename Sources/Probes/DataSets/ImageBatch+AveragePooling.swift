import Symmetries

extension ImageBatch {
  /// Downsampling by averaging each k x k block of pixels, channel by channel.
  ///
  /// y_{i, r, s, c} = (1 / k^2) sum_{a, b < k} x_{i, k r + a, k s + b, c}, giving H/k x W/k x C
  /// images (32 -> 16 -> 8 for CIFAR-10 with k = 2, or 32 -> 8 with k = 4). Each image keeps
  /// its mean.
  ///
  /// - Throws: `SymmetryError.invalidParameter` for k < 1 and `.patchDoesNotDivide` when k does
  ///   not divide both H and W.
  /// - Complexity: O(n * d).
  public func averagePooled(by factor: Int) throws(SymmetryError) -> ImageBatch {
    guard factor >= 1 else {
      throw .invalidParameter("the pooling factor must be at least 1, got \(factor)")
    }
    let (height, width, channels) = (shape.height, shape.width, shape.channels)
    guard height % factor == 0, width % factor == 0 else {
      throw .patchDoesNotDivide(patch: factor, height: height, width: width)
    }
    let (outHeight, outWidth) = (height / factor, width / factor)
    let outShape = try ImageShape(height: outHeight, width: outWidth, channels: channels)
    let weight = 1 / Double(factor * factor)
    var result = [Double](repeating: 0, count: count * outShape.dimension)
    values.withUnsafeBufferPointer { x in
      result.withUnsafeMutableBufferPointer { y in
        for i in 0..<count {
          for row in 0..<height {
            for column in 0..<width {
              let source = ((i * height + row) * width + column) * channels
              let target = ((i * outHeight + row / factor) * outWidth + column / factor) * channels
              for c in 0..<channels { y[target + c] += x[source + c] }
            }
          }
        }
        for j in y.indices { y[j] *= weight }
      }
    }
    return try ImageBatch(shape: outShape, values: result)
  }
}
