/// One element g of a group acting linearly and orthogonally on images.
///
/// Every conformer must satisfy, for all batches x, y of a shape it accepts:
/// - **inverse**: g⁻¹(g x) = x and g(g⁻¹ x) = x;
/// - **orthogonality**: ⟨g x, g y⟩ = ⟨x, y⟩ image by image (so norms are preserved);
/// - **linearity**: g(a x + b y) = a g(x) + b g(y);
/// - **composition**: `first.then(second)` acts as x ↦ second(first(x)).
///
/// The law suite (`Tests/SymmetryTests/GroupActionLawTests.swift`) checks these for every
/// catalogue family's testing elements, so a new action is covered by adding it to the catalogue.
public protocol GroupAction: Sendable, CustomStringConvertible {
  /// The stable catalogue name of the family this element belongs to (e.g. `translation`).
  var familyName: String { get }

  /// Throws when this element cannot act on images of `shape` (wrong size, not square, ...).
  func validate(_ shape: ImageShape) throws(SymmetryError)

  /// The images g x_1, ..., g x_n.
  func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch

  /// The inverse element g⁻¹.
  var inverse: any GroupAction { get }

  /// What this element does on images of `shape`, in the terms of the layers' symmetry rules:
  /// a pixel-mixing orthogonal map, or a pixel map of a named kind with a channel map. It must
  /// agree with `apply(to:)` (the law suite compares it with `matrix(for:)`); declare the finest
  /// true structure, e.g. `.none` channels for a rotation that happens to be the identity.
  /// Throws when the element cannot act on `shape`.
  func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure
}

extension GroupAction {
  /// The composition "self, then `next`": x ↦ next(self(x)).
  public func then(_ next: any GroupAction) -> any GroupAction {
    ComposedAction(first: self, second: next)
  }

  /// The d x d matrix of this action on flattened images of `shape` (column j = g e_j).
  ///
  /// - Complexity: applies the action to d basis images; meant for small shapes and tests.
  public func matrix(for shape: ImageShape) throws(SymmetryError) -> Matrix {
    let d = shape.dimension
    let basis = ImageBatch(uncheckedShape: shape, values: Matrix.uncheckedIdentity(d).storage)
    // Row j of the result holds g e_j, so the matrix is its transpose.
    let images = try apply(to: basis)
    return images.flattened.transposed
  }

  /// Whether this element acts as the identity on images of `shape` (exactly, on a basis).
  ///
  /// Such cells are trivially invariant (e.g. a channel permutation of a one-channel image).
  public func isIdentity(on shape: ImageShape) throws(SymmetryError) -> Bool {
    try matrix(for: shape) == Matrix.uncheckedIdentity(shape.dimension)
  }
}
