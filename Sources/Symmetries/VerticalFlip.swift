/// The mirror image top to bottom.
///
/// (g x)(y, x, c) = x(H - 1 - y, x, c). An involution: g = g⁻¹.
public struct VerticalFlip: GroupAction {
  public init() {}
  public var familyName: String { VerticalFlipFamily().name }
  public func validate(_ shape: ImageShape) throws(SymmetryError) {}

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    let (h, w) = (batch.shape.height, batch.shape.width)
    let source = (0..<(h * w)).map { p in (h - 1 - p / w) * w + p % w }
    return batch.gatheringPixels(from: source)
  }

  public var inverse: any GroupAction { self }
  public var description: String { "vertical flip" }
}

/// The catalogue family `vertical-flip`: the group {e, flip}; draws the flip.
public struct VerticalFlipFamily: ActionFamily {
  public init() {}
  public var name: String { "vertical-flip" }
  public var formula: String { "(g x)(y, x, c) = x(H - 1 - y, x, c)" }
  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction { VerticalFlip() }
  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [VerticalFlip()]
  }
}
