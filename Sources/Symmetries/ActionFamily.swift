/// A family of group actions sharing one stable catalogue name, e.g. all circular translations.
///
/// A family draws random elements from a seed (Haar measure for continuous groups, uniform for
/// finite ones) and lists a few fixed testing elements for a shape, which the law suite checks.
/// Finite families draw among non-identity elements: a probe by the identity is vacuous.
public protocol ActionFamily: Sendable, CustomStringConvertible {
  /// The stable name used by the command-line tool, the JSON reports and the claims.
  var name: String { get }

  /// The action's formula in one line, shown by `symmetry-probe actions`.
  var formula: String { get }

  /// A random element for images of `shape`, drawn with `generator` unless `parameters` fix it.
  func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction

  /// A few fixed elements for images of `shape`, covering the family's distinct cases.
  func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction]

  /// The number of elements of the group acting on images of `shape` (identity included), nil
  /// when it is infinite (a continuous group) or too large to count in an `Int`. The law suite
  /// asks a group with more than two elements to draw different elements from different
  /// seeds; a two-element group ({e, flip}) has only one element to draw.
  func groupOrder(for shape: ImageShape) -> Int?

  /// The fields of `ActionParameters` that fix part of this family's element; the others
  /// would be ignored, so the tool refuses them rather than drop them silently.
  var fixableParameters: Set<ActionParameters.Field> { get }
}

extension ActionFamily {
  public var description: String { name }

  /// None: a family whose elements no parameter fixes.
  public var fixableParameters: Set<ActionParameters.Field> { [] }

  /// n!, nil when it does not fit in an `Int`: the order of a symmetric group.
  public static func factorial(_ n: Int) -> Int? {
    var product = 1
    for k in stride(from: 2, through: n, by: 1) {
      let (next, overflow) = product.multipliedReportingOverflow(by: k)
      guard !overflow else { return nil }
      product = next
    }
    return product
  }

  /// A random element drawn from a fresh generator seeded with `seed`.
  public func element(
    for shape: ImageShape, parameters: ActionParameters = ActionParameters(), seed: UInt64
  ) throws(SymmetryError) -> any GroupAction {
    var generator = SeededGenerator(seed: seed)
    return try element(for: shape, parameters: parameters, using: &generator)
  }
}

/// Optional parameters that fix part of a random element (the tool's `--shift`, `--patch`,
/// `--turns`); a family ignores those that do not apply to it.
public struct ActionParameters: Sendable, Hashable {
  /// A circular shift (dy, dx) for `translation`.
  public var shift: PixelShift?
  /// The patch side k for `patch-shuffle`.
  public var patch: Int?
  /// The number of counter-clockwise quarter turns for `quarter-turn`.
  public var turns: Int?

  /// The parameters given; nil fields take the family's defaults.
  public init(shift: PixelShift? = nil, patch: Int? = nil, turns: Int? = nil) {
    self.shift = shift
    self.patch = patch
    self.turns = turns
  }

  /// A parameter, named as the tool's option.
  public enum Field: String, Sendable, Hashable, CaseIterable {
    /// `--shift`, `--patch` and `--turns`.
    case shift, patch, turns
  }

  /// The parameters that are set.
  public var given: [Field] {
    Field.allCases.filter { field in
      switch field {
      case .shift: shift != nil
      case .patch: patch != nil
      case .turns: turns != nil
      }
    }
  }
}

/// A displacement of dy rows and dx columns.
public struct PixelShift: Sendable, Hashable, CustomStringConvertible {
  /// Rows to move down (taken mod H by the action).
  public var dy: Int
  /// Columns to move right (taken mod W by the action).
  public var dx: Int
  /// The displacement of `dy` rows and `dx` columns.
  public init(dy: Int, dx: Int) {
    self.dy = dy
    self.dx = dx
  }
  public var description: String { "(\(dy), \(dx))" }
}
