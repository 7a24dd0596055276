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
  /// The verdict on functional invariance, from `VerdictThresholds.kernel`.
  public var functional: Verdict
  /// What the architecture's layers predict (nil for a kernel that is not an architecture),
  /// with the reason: the first layer that breaks the symmetry, or "kept by every layer".
  public var expectedAlgorithmic: Verdict?
  /// What the layers predict for functional invariance (nil without layers).
  public var expectedFunctional: Verdict?
  /// The layer that breaks algorithmic invariance, or "kept by every layer".
  public var algorithmicReason: String?
  /// The layer that breaks functional invariance, or "kept by every layer".
  public var functionalReason: String?
  /// Whether the drawn element is the identity on these images (e.g. a channel permutation
  /// of one-channel images), so invariance is trivial.
  public var trivial: Bool

  /// A measured cell with the layers' `prediction`, if any.
  public init(
    architecture: String, activation: String, action: String, kernel: KernelKind,
    algorithmicDeviation: Double, functionalDeviation: Double, algorithmic: Verdict,
    functional: Verdict, prediction: InvariancePrediction?, trivial: Bool
  ) {
    self.architecture = architecture
    self.activation = activation
    self.action = action
    self.kernel = kernel
    self.algorithmicDeviation = algorithmicDeviation
    self.functionalDeviation = functionalDeviation
    self.algorithmic = algorithmic
    self.functional = functional
    self.expectedAlgorithmic = prediction.map {
      $0.algorithmic.invariant ? .invariant : .notInvariant
    }
    self.expectedFunctional = prediction.map {
      $0.functional.invariant ? .invariant : .notInvariant
    }
    self.algorithmicReason = prediction?.algorithmic.reason
    self.functionalReason = prediction?.functional.reason
    self.trivial = trivial || (prediction?.trivial ?? false)
  }

  /// The verdict, prediction, its reason and the deviation of one kind of invariance.
  func reading(algorithmic isAlgorithmic: Bool)
    -> (verdict: Verdict, expected: Verdict?, reason: String?, deviation: Double)
  {
    isAlgorithmic
      ? (algorithmic, expectedAlgorithmic, algorithmicReason, algorithmicDeviation)
      : (functional, expectedFunctional, functionalReason, functionalDeviation)
  }

  /// Whether every prediction this cell carries is met.
  public var meetsPrediction: Bool {
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
    case algorithmicReason = "algorithmic_reason"
    case functionalReason = "functional_reason"
  }
}
