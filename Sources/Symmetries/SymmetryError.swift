/// Bad input to a group action or an image batch, with what was wrong and how to fix it.
///
/// The library throws these instead of trapping, so one bad case fails alone.
public enum SymmetryError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A dimension is zero or negative, or values do not fill the stated shape.
  case invalidShape(String)
  /// A pixel value is NaN or infinite.
  case nonFiniteValue(index: Int, value: Double)
  /// An action built for one image shape was applied to another.
  case shapeMismatch(expected: ImageShape, actual: ImageShape)
  /// A patch size that does not divide the image.
  case patchDoesNotDivide(patch: Int, height: Int, width: Int)
  /// An action that needs a square image (`action` names it, e.g. "a quarter turn") was given
  /// a non-square one.
  case notSquare(action: String, height: Int, width: Int)
  /// A matrix given as a rotation is not orthogonal.
  case notOrthogonal(deviation: Double)
  /// An array given as a permutation is not one.
  case notAPermutation(String)
  /// A name not in the action catalogue.
  case unknownAction(name: String, known: [String])
  /// A parameter of an action is out of range or missing.
  case invalidParameter(String)

  public var description: String {
    switch self {
    case .invalidShape(let message):
      return "invalid shape: \(message)"
    case .nonFiniteValue(let index, let value):
      return "value \(value) at flat index \(index) is not finite; "
        + "remove or impute NaN and infinite pixels before building a batch"
    case .shapeMismatch(let expected, let actual):
      return "this action was built for \(expected) images but was given \(actual) images; "
        + "draw the action again for the batch's shape"
    case .patchDoesNotDivide(let patch, let height, let width):
      return "patch size \(patch) does not divide the \(height) x \(width) image; "
        + "choose a k that divides both \(height) and \(width)"
    case .notSquare(let action, let height, let width):
      return "\(action) needs a square image, but this one is \(height) x \(width); "
        + "crop to a square, or use an action that accepts any shape (a flip, a translation)"
    case .notOrthogonal(let deviation):
      return "the matrix is not orthogonal: max |Q^T Q - I| = \(deviation); "
        + "pass an orthogonal matrix (e.g. from Matrix.haarOrthogonal)"
    case .notAPermutation(let message):
      return "not a permutation: \(message)"
    case .unknownAction(let name, let known):
      return "unknown action '\(name)'; known actions: \(known.joined(separator: ", "))"
    case .invalidParameter(let message):
      return "invalid parameter: \(message)"
    }
  }
}
