/// A rotation of a square image by k quarter turns counter-clockwise.
///
/// One turn: (g x)(y, x, c) = x(x, N - 1 - y, c) for an N x N image, as NumPy's
/// `np.rot90(image, 1, axes=(0, 1))`. The group is Z_4: four turns are the identity.
public struct QuarterTurn: GroupAction {
  /// Counter-clockwise quarter turns, reduced mod 4 to 0...3.
  public let turns: Int

  /// The rotation by `turns` counter-clockwise quarter turns (any integer; reduced mod 4).
  public init(turns: Int) {
    self.turns = positiveModulo(turns, 4)
  }

  public var familyName: String { QuarterTurnFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape.height == shape.width else {
      throw .notSquare(action: "a quarter turn", height: shape.height, width: shape.width)
    }
  }

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    return batch.gatheringPixels(from: source(side: batch.shape.width))
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    return .pixelMap(
      motion: PixelMotion(kind: .quarterTurn(turns: turns), source: source(side: shape.width)),
      channels: .none)
  }

  /// The source of every output pixel of an n x n image after `turns` turns.
  private func source(side n: Int) -> [Int] {
    var source = Array(0..<(n * n))
    for _ in 0..<turns {
      // Compose one more turn: new output (y, x) reads the previous map at (x, n - 1 - y).
      let previous = source
      for y in 0..<n {
        for x in 0..<n { source[y * n + x] = previous[x * n + (n - 1 - y)] }
      }
    }
    return source
  }

  public var inverse: any GroupAction { QuarterTurn(turns: 4 - turns) }
  public var description: String { "quarter turn x\(turns)" }
}

/// The catalogue family `quarter-turn`: uniform over the three non-identity turns of Z_4.
public struct QuarterTurnFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "quarter-turn" }
  public var fixableParameters: Set<ActionParameters.Field> { [.turns] }
  public var formula: String { "(g x)(y, x, c) = x(x, N - 1 - y, c), k times (square images)" }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    let action = QuarterTurn(
      turns: parameters.turns ?? 1 + Int(generator.bounded(uncheckedBound: 3)))
    try action.validate(shape)
    return action
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    try QuarterTurn(turns: 1).validate(shape)
    return [QuarterTurn(turns: 1), QuarterTurn(turns: 2), QuarterTurn(turns: 3)]
  }

  /// Z_4.
  public func groupOrder(for shape: ImageShape) -> Int? { 4 }
}
