/// The composition of two actions: (first, then second) x = second(first(x)).
///
/// Its inverse is (second⁻¹, then first⁻¹).
public struct ComposedAction: GroupAction {
  /// Applied first.
  public let first: any GroupAction
  /// Applied to the output of `first`.
  public let second: any GroupAction

  /// The composite g = second ∘ first: `first` acts, then `second`.
  public init(first: any GroupAction, second: any GroupAction) {
    self.first = first
    self.second = second
  }

  public var familyName: String { "\(first.familyName)+\(second.familyName)" }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    try first.validate(shape)
    try second.validate(shape)
  }

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try second.apply(to: first.apply(to: batch))
  }

  /// The composed structures (`ActionStructure.then`), or the identity when the composition
  /// is one (a swap of two channels done twice), which the structures alone cannot see.
  /// - Complexity: O(d^2) to compare the matrix with the identity.
  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    let composed = try first.structure(on: shape).then(second.structure(on: shape))
    guard !composed.isIdentity, try isIdentity(on: shape) else { return composed }
    return .pixelMap(motion: .none(pixels: shape.pixelCount), channels: .none)
  }

  public var inverse: any GroupAction {
    ComposedAction(first: second.inverse, second: first.inverse)
  }

  public var description: String { "(\(first) then \(second))" }
}
