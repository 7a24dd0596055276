/// An orthogonal map Q of the flattened image: the group O(d), d = H W C.
///
/// (g x) = Q x with x the image flattened in HWC order. A Haar-random Q has no preferred
/// direction, so it destroys every spatial and channel structure: a learner invariant to all of
/// O(d) (the FCN kernel) sees only inner products between images.
public struct OrthogonalAction: GroupAction {
  /// The shape this map acts on.
  public let shape: ImageShape
  /// Q, d x d.
  public let matrix: Matrix

  /// The action of the orthogonal `matrix` on images of `shape`; throws if it is not d x d and
  /// orthogonal within `orthogonalityTolerance`.
  /// - Complexity: O(d^3) for the check.
  public init(shape: ImageShape, matrix: Matrix) throws(SymmetryError) {
    try validateOrthogonal(matrix, dimension: shape.dimension)
    self.init(uncheckedShape: shape, matrix: matrix)
  }

  /// A matrix already known to be orthogonal (sampled, or a transpose of a checked one).
  init(uncheckedShape shape: ImageShape, matrix: Matrix) {
    self.shape = shape
    self.matrix = matrix
  }

  public var familyName: String { OrthogonalFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape == self.shape else { throw .shapeMismatch(expected: self.shape, actual: shape) }
  }

  /// - Complexity: O(n d^2), one matrix product.
  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    // Images are rows: (Q x)^T = x^T Q^T, so the batch is X Q^T.
    let rotated = try! Matrix.product(batch.flattened, matrix, transposeB: true)
    return ImageBatch(uncheckedShape: shape, values: rotated.storage)
  }

  /// Declared as pixel-mixing whatever Q is: a Haar Q mixes pixels with probability one, and
  /// a rule that keeps pixel-mixing maps keeps every finer one too.
  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    return .flattenedOrthogonal
  }

  public var inverse: any GroupAction {
    OrthogonalAction(uncheckedShape: shape, matrix: matrix.transposed)
  }

  public var description: String { "orthogonal map of dimension \(shape.dimension)" }
}

/// The catalogue family `orthogonal`: Haar measure on O(d).
public struct OrthogonalFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "orthogonal" }
  public var formula: String { "g x = Q x, Q Haar-random in O(d), d = H*W*C (flattened image)" }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    OrthogonalAction(
      uncheckedShape: shape,
      matrix: Matrix.haarOrthogonal(uncheckedDimension: shape.dimension, using: &generator))
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [try element(for: shape, seed: 1), try element(for: shape, seed: 2)]
  }

  /// O(d) is continuous.
  public func groupOrder(for shape: ImageShape) -> Int? { nil }
}
