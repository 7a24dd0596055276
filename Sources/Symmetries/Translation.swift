/// A circular translation by (dy, dx).
///
/// (g x)(y, x, c) = x((y - dy) mod H, (x - dx) mod W, c): the content moves down by dy and
/// right by dx, wrapping around. Translations form the group Z_H x Z_W; they compose by adding
/// shifts, and a shift by a full period is the identity.
public struct Translation: GroupAction {
  /// Rows to move down (any integer; taken mod H).
  public let dy: Int
  /// Columns to move right (any integer; taken mod W).
  public let dx: Int

  /// The circular shift by `dy` rows down and `dx` columns right (any integers).
  public init(dy: Int, dx: Int) {
    self.dy = dy
    self.dx = dx
  }

  public var familyName: String { TranslationFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {}

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    batch.gatheringPixels(from: source(batch.shape))
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    .pixelMap(
      motion: PixelMotion(kind: .translation(dy: dy, dx: dx), source: source(shape)),
      channels: .none)
  }

  /// Output pixel (y, x) reads ((y - dy) mod H, (x - dx) mod W).
  private func source(_ shape: ImageShape) -> [Int] {
    let (h, w) = (shape.height, shape.width)
    var source = [Int](repeating: 0, count: h * w)
    for y in 0..<h {
      for x in 0..<w {
        source[y * w + x] = positiveModulo(y - dy, h) * w + positiveModulo(x - dx, w)
      }
    }
    return source
  }

  public var inverse: any GroupAction { Translation(dy: -dy, dx: -dx) }

  /// The translation by the summed shifts: translations compose to translations.
  public func composed(with other: Translation) -> Translation {
    Translation(dy: dy + other.dy, dx: dx + other.dx)
  }

  public var description: String { "translation by (\(dy), \(dx))" }
}

/// The catalogue family `translation`: uniform over non-zero shifts of Z_H x Z_W.
public struct TranslationFamily: ActionFamily {
  /// The family (its shift comes from the parameters, else a uniform draw).
  public init() {}
  public var name: String { "translation" }
  public var fixableParameters: Set<ActionParameters.Field> { [.shift] }
  public var formula: String { "(g x)(y, x, c) = x((y - dy) mod H, (x - dx) mod W, c)" }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    if let shift = parameters.shift { return Translation(dy: shift.dy, dx: shift.dx) }
    let pixels = shape.pixelCount
    guard pixels > 1 else { return Translation(dy: 0, dx: 0) }
    // Index 0 is the zero shift; draw among the others.
    let index = 1 + Int(generator.bounded(uncheckedBound: UInt64(pixels - 1)))
    return Translation(dy: index / shape.width, dx: index % shape.width)
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [
      Translation(dy: 1, dx: 0), Translation(dy: 0, dx: 1), Translation(dy: 1, dx: 2),
      Translation(dy: -1, dx: shape.width + 1),
    ]
  }

  /// Z_H x Z_W.
  public func groupOrder(for shape: ImageShape) -> Int? { shape.pixelCount }
}

/// x mod m in 0..<m for any integer x.
@inline(__always)
func positiveModulo(_ x: Int, _ m: Int) -> Int {
  let r = x % m
  return r < 0 ? r + m : r
}
