import Symmetries

/// This package's own action: the transpose of a square image, (g x)(y, x, c) = x(x, y, c).
///
/// An involution (g = g^-1) that moves pixels without touching channels. It declares itself a
/// pixel permutation (`structure(on:)`), which is all the symmetry rules need to predict every
/// architecture's verdict under it.
public struct Transpose: GroupAction {
  public init() {}
  public var familyName: String { TransposeFamily().name }
  public var description: String { "transpose" }
  public var inverse: any GroupAction { self }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape.height == shape.width else {
      throw .notSquare(action: "transpose", height: shape.height, width: shape.width)
    }
  }

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    let source = Self.source(batch.shape)
    let pixels = batch.shape.pixelCount
    let channels = batch.shape.channels
    var values = batch.values
    for image in 0..<batch.count {
      for p in 0..<pixels {
        for c in 0..<channels {
          values[(image * pixels + p) * channels + c] =
            batch.values[(image * pixels + source[p]) * channels + c]
        }
      }
    }
    return try ImageBatch(shape: batch.shape, values: values)
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    return .pixelMap(
      motion: PixelMotion(kind: .permutation, source: Self.source(shape)), channels: .none)
  }

  /// Output pixel (y, x) reads (x, y).
  private static func source(_ shape: ImageShape) -> [Int] {
    let n = shape.width
    return (0..<shape.pixelCount).map { p in (p % n) * n + p / n }
  }
}

/// The group {e, transpose}; draws the transpose.
public struct TransposeFamily: ActionFamily {
  public init() {}
  public var name: String { "transpose" }
  public var formula: String { "(g x)(y, x, c) = x(x, y, c) (square images)" }
  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction { Transpose() }
  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [Transpose()]
  }
  public func groupOrder(for shape: ImageShape) -> Int? { shape.width > 1 ? 2 : 1 }
}
