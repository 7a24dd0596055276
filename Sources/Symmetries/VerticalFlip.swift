/// The mirror image top to bottom.
///
/// (g x)(y, x, c) = x(H - 1 - y, x, c). An involution: g = g⁻¹.
public struct VerticalFlip: GroupAction {
  /// The flip (it has no parameters).
  public init() {}
  public var familyName: String { VerticalFlipFamily().name }
  public func validate(_ shape: ImageShape) throws(SymmetryError) {}

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    batch.gatheringPixels(from: Self.source(batch.shape))
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    .pixelMap(motion: PixelMotion(kind: .verticalFlip, source: Self.source(shape)), channels: .none)
  }

  /// Output pixel (y, x) reads (H - 1 - y, x).
  private static func source(_ shape: ImageShape) -> [Int] {
    let (h, w) = (shape.height, shape.width)
    return (0..<(h * w)).map { p in (h - 1 - p / w) * w + p % w }
  }

  public var inverse: any GroupAction { self }
  public var description: String { "vertical flip" }
}

/// The catalogue family `vertical-flip`: the group {e, flip}; draws the flip.
public struct VerticalFlipFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "vertical-flip" }
  public var formula: String { "(g x)(y, x, c) = x(H - 1 - y, x, c)" }
  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction { VerticalFlip() }
  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [VerticalFlip()]
  }

  /// {e, flip}.
  public func groupOrder(for shape: ImageShape) -> Int? { shape.height > 1 ? 2 : 1 }
}
