/// The composition of two actions: (first, then second) x = second(first(x)).
///
/// Its inverse is (second⁻¹, then first⁻¹).
public struct ComposedAction: GroupAction {
  /// Applied first.
  public let first: any GroupAction
  /// Applied to the output of `first`.
  public let second: any GroupAction

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

  public var inverse: any GroupAction {
    ComposedAction(first: second.inverse, second: first.inverse)
  }

  public var description: String { "(\(first) then \(second))" }
}
