/// One rotation R in O(C) applied to the channel vector at every pixel.
///
/// (g x)(p) = R x(p) for every pixel p. It mixes colours the same way everywhere, so it keeps
/// spatial structure; CNN-GAP kernels are invariant to it, and so are channel permutations.
public struct ChannelRotation: GroupAction {
  /// R, C x C.
  public let rotation: Matrix

  /// Throws unless `rotation` is square and orthogonal within `orthogonalityTolerance`.
  public init(rotation: Matrix) throws(SymmetryError) {
    try validateOrthogonal(rotation, dimension: rotation.rows)
    self.rotation = rotation
  }

  init(uncheckedRotation rotation: Matrix) {
    self.rotation = rotation
  }

  public var familyName: String { ChannelRotationFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape.channels == rotation.rows else {
      throw .invalidShape(
        "this channel rotation acts on \(rotation.rows) channels but the images have "
          + "\(shape.channels); draw it for the batch's shape")
    }
  }

  /// - Complexity: O(n H W C^2).
  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    return batch.rotatingChannels(by: rotation.storage, period: 1)
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    let identity = rotation == Matrix.uncheckedIdentity(rotation.rows)
    return .pixelMap(
      motion: .none(pixels: shape.pixelCount), channels: identity ? .none : .rotation)
  }

  public var inverse: any GroupAction { ChannelRotation(uncheckedRotation: rotation.transposed) }
  public var description: String { "channel rotation in O(\(rotation.rows))" }
}

/// The catalogue family `channel-rotation`: R Haar in O(C).
public struct ChannelRotationFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "channel-rotation" }
  public var formula: String { "(g x)(p) = R x(p) at every pixel p, one R Haar-random in O(C)" }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    ChannelRotation(
      uncheckedRotation: Matrix.haarOrthogonal(
        uncheckedDimension: shape.channels, using: &generator))
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [try element(for: shape, seed: 3)]
  }

  /// O(1) = {1, -1}; O(C) for C > 1 is continuous.
  public func groupOrder(for shape: ImageShape) -> Int? { shape.channels == 1 ? 2 : nil }
}
