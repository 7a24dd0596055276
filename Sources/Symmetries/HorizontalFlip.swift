/// The mirror image left to right.
///
/// (g x)(y, x, c) = x(y, W - 1 - x, c). An involution: g = g⁻¹.
public struct HorizontalFlip: GroupAction {
  /// The flip (it has no parameters).
  public init() {}
  public var familyName: String { HorizontalFlipFamily().name }
  public func validate(_ shape: ImageShape) throws(SymmetryError) {}

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    batch.gatheringPixels(from: Self.source(batch.shape))
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    .pixelMap(
      motion: PixelMotion(kind: .horizontalFlip, source: Self.source(shape)), channels: .none)
  }

  /// Output pixel (y, x) reads (y, W - 1 - x).
  private static func source(_ shape: ImageShape) -> [Int] {
    let w = shape.width
    return (0..<shape.pixelCount).map { p in (p / w) * w + (w - 1 - p % w) }
  }

  public var inverse: any GroupAction { self }
  public var description: String { "horizontal flip" }
}

/// The catalogue family `horizontal-flip`: the group {e, flip}; draws the flip.
public struct HorizontalFlipFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "horizontal-flip" }
  public var formula: String { "(g x)(y, x, c) = x(y, W - 1 - x, c)" }
  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction { HorizontalFlip() }
  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [HorizontalFlip()]
  }

  /// {e, flip}.
  public func groupOrder(for shape: ImageShape) -> Int? { shape.width > 1 ? 2 : 1 }
}
