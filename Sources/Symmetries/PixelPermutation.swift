/// One permutation π of the H W pixels; channels move with their pixel.
///
/// (g x)(p, c) = x(π(p), c), with pixels indexed p = y W + x in row-major order.
/// An element of the symmetric group S_{HW} acting on images of one shape. It destroys
/// locality: a learner invariant to it cannot use which pixels are neighbours.
public struct PixelPermutation: GroupAction {
  /// The shape this permutation acts on.
  public let shape: ImageShape
  /// source[p] = π(p): output pixel p is input pixel source[p].
  public let source: [Int]

  /// The permutation with output pixel p taken from input pixel `source[p]`.
  public init(shape: ImageShape, source: [Int]) throws(SymmetryError) {
    try validatePermutation(source, count: shape.pixelCount, of: "pixels")
    self.shape = shape
    self.source = source
  }

  public var familyName: String { PixelPermutationFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape == self.shape else { throw .shapeMismatch(expected: self.shape, actual: shape) }
  }

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    return batch.gatheringPixels(from: source)
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    return .pixelMap(motion: PixelMotion(kind: .permutation, source: source), channels: .none)
  }

  public var inverse: any GroupAction {
    // The inverse of a permutation is a permutation: this cannot fail.
    try! PixelPermutation(shape: shape, source: invertPermutation(source))
  }

  public var description: String { "pixel-permutation of \(shape.pixelCount) pixels" }
}

/// The catalogue family `pixel-permutation`: uniform over S_{HW}.
public struct PixelPermutationFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "pixel-permutation" }
  public var formula: String {
    "(g x)(p, c) = x(pi(p), c), pi a uniform permutation of the H*W pixels"
  }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    try PixelPermutation(
      shape: shape, source: randomNonIdentityPermutation(shape.pixelCount, using: &generator))
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    let pixels = shape.pixelCount
    var swapEnds = Array(0..<pixels)
    swapEnds.swapAt(0, pixels - 1)
    return [
      try PixelPermutation(shape: shape, source: swapEnds),
      try element(for: shape, seed: 11),
    ]
  }

  /// S_{HW}.
  public func groupOrder(for shape: ImageShape) -> Int? { Self.factorial(shape.pixelCount) }
}
