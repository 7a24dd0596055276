/// The shape of one image: height H, width W and channels C (NHWC layout without the N).
public struct ImageShape: Hashable, Sendable, Codable, CustomStringConvertible {
  /// Rows of pixels.
  public let height: Int
  /// Columns of pixels.
  public let width: Int
  /// Values per pixel.
  public let channels: Int

  /// A shape with positive dimensions.
  public init(height: Int, width: Int, channels: Int) throws(SymmetryError) {
    guard height > 0, width > 0, channels > 0 else {
      throw .invalidShape(
        "an image needs positive height, width and channels, got \(height) x \(width) x \(channels)"
      )
    }
    self.height = height
    self.width = width
    self.channels = channels
  }

  /// P = H * W, the number of pixels.
  public var pixelCount: Int { height * width }
  /// d = H * W * C, the dimension of a flattened image.
  public var dimension: Int { height * width * channels }

  public var description: String { "\(height)x\(width)x\(channels)" }
}
