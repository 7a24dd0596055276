import Learners
import Symmetries

/// One measured cell of the invariance table: a learner's kernel under one action.
public struct InvarianceCell: Sendable, Hashable, Codable {
  /// The row's name, e.g. `CNN-GAP` or a user's layer list.
  public var architecture: String
  /// `relu`, `erf`, or `custom` for a user's layer list.
  public var activation: String
  /// The catalogue name of the action.
  public var action: String
  /// `nngp` or `ntk`.
  public var kernel: KernelKind
  /// max |K(gA, gX) - K(A, X)| / max |K(A, X)|.
  public var algorithmicDeviation: Double
  /// max |K(A, gX) - K(A, X)| / max |K(A, X)|.
  public var functionalDeviation: Double
  /// The verdicts from `VerdictThresholds.kernel`.
  public var algorithmic: Verdict
  public var functional: Verdict
  /// What DESIGN.md's table says, when the row has expectations (nil for custom rows).
  public var expectedAlgorithmic: Verdict?
  public var expectedFunctional: Verdict?
  /// Whether the drawn element is the identity on these images (e.g. a channel permutation
  /// of one-channel images), so invariance is trivial.
  public var trivial: Bool

  /// The verdict, expectation and deviation of one kind of invariance.
  func reading(algorithmic isAlgorithmic: Bool) -> (verdict: Verdict, expected: Verdict?, deviation: Double) {
    isAlgorithmic
      ? (algorithmic, expectedAlgorithmic, algorithmicDeviation)
      : (functional, expectedFunctional, functionalDeviation)
  }

  /// Whether every expectation this cell carries is met.
  public var meetsExpectation: Bool {
    (expectedAlgorithmic.map { $0 == algorithmic } ?? true)
      && (expectedFunctional.map { $0 == functional } ?? true)
  }

  enum CodingKeys: String, CodingKey {
    case architecture, activation, action, kernel, trivial
    case algorithmicDeviation = "algorithmic_deviation"
    case functionalDeviation = "functional_deviation"
    case algorithmic, functional
    case expectedAlgorithmic = "expected_algorithmic"
    case expectedFunctional = "expected_functional"
  }
}
