/// An independent rotation R_p in O(C) at every pixel: the group O(C)^(H W).
///
/// (g x)(p) = R_p x(p). Colour is scrambled differently at each location, so only per-pixel
/// channel norms and inner products survive. LCN and CNN-VEC kernels are invariant to it;
/// CNN-GAP kernels and finite CNN-VEC networks (weight sharing) are not.
public struct PixelwiseChannelRotation: GroupAction {
  /// The shape this action acts on.
  public let shape: ImageShape
  /// R_p for p = 0..<H W, each C x C row-major, stored back to back.
  public let rotations: [Double]

  /// Throws unless there is one orthogonal C x C matrix per pixel.
  public init(shape: ImageShape, rotations: [Matrix]) throws(SymmetryError) {
    guard rotations.count == shape.pixelCount else {
      throw .invalidShape(
        "need one rotation per pixel (\(shape.pixelCount)), got \(rotations.count)")
    }
    for rotation in rotations { try validateOrthogonal(rotation, dimension: shape.channels) }
    self.init(uncheckedShape: shape, rotations: rotations.flatMap(\.storage))
  }

  init(uncheckedShape shape: ImageShape, rotations: [Double]) {
    self.shape = shape
    self.rotations = rotations
  }

  public var familyName: String { PixelwiseChannelRotationFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape == self.shape else { throw .shapeMismatch(expected: self.shape, actual: shape) }
  }

  /// - Complexity: O(n H W C^2).
  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    return batch.rotatingChannels(by: rotations, period: shape.pixelCount)
  }

  /// Declared per-pixel unless every R_p is the same matrix.
  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    let block = shape.channels * shape.channels
    let first = Array(rotations[0..<block])
    let channels: ChannelMap
    if first == Matrix.uncheckedIdentity(shape.channels).storage
      && rotations.indices.allSatisfy({ rotations[$0] == first[$0 % block] })
    {
      channels = .none
    } else if rotations.indices.allSatisfy({ rotations[$0] == first[$0 % block] }) {
      channels = .rotation
    } else {
      channels = .pixelwiseRotation
    }
    return .pixelMap(motion: .none(pixels: shape.pixelCount), channels: channels)
  }

  public var inverse: any GroupAction {
    let c = shape.channels
    var transposed = rotations
    for p in 0..<shape.pixelCount {
      for i in 0..<c {
        for j in 0..<c { transposed[p * c * c + j * c + i] = rotations[p * c * c + i * c + j] }
      }
    }
    return PixelwiseChannelRotation(uncheckedShape: shape, rotations: transposed)
  }

  public var description: String {
    "pixelwise channel rotation in O(\(shape.channels))^\(shape.pixelCount)"
  }
}

/// The catalogue family `pixelwise-channel-rotation`: independent Haar R_p at every pixel.
public struct PixelwiseChannelRotationFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "pixelwise-channel-rotation" }
  public var formula: String {
    "(g x)(p) = R_p x(p), an independent Haar R_p in O(C) at every pixel"
  }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    var rotations: [Double] = []
    rotations.reserveCapacity(shape.pixelCount * shape.channels * shape.channels)
    for _ in 0..<shape.pixelCount {
      rotations +=
        Matrix.haarOrthogonal(uncheckedDimension: shape.channels, using: &generator).storage
    }
    return PixelwiseChannelRotation(uncheckedShape: shape, rotations: rotations)
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [try element(for: shape, seed: 4)]
  }

  /// A sign per pixel for C = 1, 2^(H W); continuous otherwise.
  public func groupOrder(for shape: ImageShape) -> Int? {
    shape.channels == 1 && shape.pixelCount < 62 ? 1 << shape.pixelCount : nil
  }
}
