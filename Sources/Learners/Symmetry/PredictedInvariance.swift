import Symmetries

/// Which learner a predicted verdict is about: the infinite-width kernels, or a finite network
/// trained from i.i.d. Gaussian initialisation by an optimiser of one kind.
public enum LearnerRegime: String, Sendable, Hashable, CaseIterable, Codable,
  CustomStringConvertible
{
  /// The NNGP and NTK kernels (their rules coincide: both recursions act on the same pixel pairs).
  case kernel
  /// A finite network trained by gradient descent or SGD, which commute with every orthogonal
  /// map of the parameters.
  case gradientDescent = "gd"
  /// A finite network trained by Adam, which commutes only with coordinate permutations.
  case adam

  /// The regime of a finite network trained by `optimizer`.
  public init(_ optimizer: Optimizer) {
    switch optimizer {
    case .gradientDescent, .sgd: self = .gradientDescent
    case .adam: self = .adam
    }
  }

  public var description: String {
    switch self {
    case .kernel: return "NNGP/NTK"
    case .gradientDescent: return "finite, GD/SGD"
    case .adam: return "finite, Adam"
    }
  }
}

/// A predicted verdict with its reason: "kept by every layer", or the first layer that breaks
/// the symmetry and why.
public struct PredictedVerdict: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Whether the symmetry is predicted to hold exactly.
  public var invariant: Bool
  /// The 1-based position of the layer that breaks it, nil when it holds.
  public var layer: Int?
  /// Why, in a sentence.
  public var reason: String

  /// A symmetry every layer keeps.
  static let kept = PredictedVerdict(invariant: true, layer: nil, reason: "kept by every layer")
  /// The identity element: nothing to break.
  static let trivial = PredictedVerdict(
    invariant: true, layer: nil, reason: "trivial: the action is the identity on these images")

  /// A symmetry broken by the layer at `position`.
  static func broken(at position: Int, _ name: String, _ why: String) -> PredictedVerdict {
    PredictedVerdict(
      invariant: false, layer: position, reason: "layer \(position) (\(name)): \(why)")
  }

  public var description: String { (invariant ? "invariant" : "not invariant") + ", " + reason }
}

/// The predicted verdicts of one learner under one group element.
public struct InvariancePrediction: Sendable, Hashable, Codable {
  /// Whether the element is the identity on the images (both verdicts then hold trivially).
  public var trivial: Bool
  /// Algorithmic invariance: K(g x, g x') = K(x, x') for the kernels; for a finite network,
  /// f_{g.S}(g x) = f_S(x) in distribution over initialisations.
  public var algorithmic: PredictedVerdict
  /// Functional invariance: K(x, g x') = K(x, x'); for a finite network, f(g x) = f(x) for
  /// every parameter value.
  public var functional: PredictedVerdict
}
