/// The identity element: e x = x for every image.
public struct IdentityAction: GroupAction {
  /// The identity (it has no parameters).
  public init() {}
  public var familyName: String { "identity" }
  public func validate(_ shape: ImageShape) throws(SymmetryError) {}
  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch { batch }
  public var inverse: any GroupAction { self }
  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    .pixelMap(motion: .none(pixels: shape.pixelCount), channels: .none)
  }
  public var description: String { "identity" }
}
