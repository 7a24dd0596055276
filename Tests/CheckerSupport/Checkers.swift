import Symmetries
import Testing

// MARK: - Data

/// A seeded batch of standard-normal images.
public func randomBatch(_ shape: ImageShape, count: Int, seed: UInt64) -> ImageBatch {
  var generator = SeededGenerator(seed: seed)
  return try! ImageBatch(shape: shape, values: generator.gaussians(count * shape.dimension))
}

/// Shape shorthand for tests (dimensions known to be positive).
public func shape(_ height: Int, _ width: Int, _ channels: Int) -> ImageShape {
  try! ImageShape(height: height, width: width, channels: channels)
}
