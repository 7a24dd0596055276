import Symmetries

/// How `ImageBatch.grayscale(_:)` combines channels into one.
public enum GrayscaleConversion: Sendable {
  /// The plain mean of the C channels: g = (1 / C) sum_c x_c. Works for any C.
  case channelMean
  /// ITU-R BT.601 luma of RGB images: g = 0.299 R + 0.587 G + 0.114 B. Needs C = 3.
  case luminance
}

extension ImageBatch {
  /// The batch with its channels combined into one (see `GrayscaleConversion`).
  ///
  /// - Throws: `SymmetryError.invalidParameter` for `.luminance` on images without 3 channels.
  /// - Complexity: O(n * d).
  public func grayscale(_ conversion: GrayscaleConversion = .channelMean) throws(SymmetryError)
    -> ImageBatch
  {
    let channels = shape.channels
    let weights: [Double]
    switch conversion {
    case .channelMean:
      weights = [Double](repeating: 1 / Double(channels), count: channels)
    case .luminance:
      guard channels == 3 else {
        throw .invalidParameter(
          "luminance weights need RGB images (3 channels), these have \(channels); "
            + "use .channelMean")
      }
      weights = [0.299, 0.587, 0.114]
    }
    let pixels = values.count / channels
    let gray = values.withUnsafeBufferPointer { x in
      [Double](unsafeUninitializedCapacity: pixels) { output, initialized in
        for p in 0..<pixels {
          var sum = 0.0
          for c in 0..<channels { sum += weights[c] * x[p * channels + c] }
          output[p] = sum
        }
        initialized = pixels
      }
    }
    return try ImageBatch(
      shape: ImageShape(height: shape.height, width: shape.width, channels: 1), values: gray)
  }
}
