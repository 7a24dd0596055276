import Learners
import Symmetries

/// A group action as a learning-curve condition: a catalogue family with fixed parameters
/// (e.g. 4 x 4 patches), or `none`.
///
/// Written `name` or `name:K` for a patch side (`patch-shuffle:4`); the label in reports is the
/// family name with the patch side appended (`patch-shuffle-4x4`).
public struct CurveAction: Sendable, CustomStringConvertible {
  /// The family, nil for `none`.
  public let family: (any ActionFamily)?
  /// The parameters of the family's elements (e.g. the patch side).
  public let parameters: ActionParameters

  /// No action.
  public static let none = CurveAction(family: nil, parameters: ActionParameters())

  /// The action `family` with `parameters`; nil `family` is `none`.
  public init(family: (any ActionFamily)?, parameters: ActionParameters) {
    self.family = family
    self.parameters = parameters
  }

  /// Parses `none`, `name` or `name:K`.
  public init(parsing text: String) throws {
    if text == "none" {
      self = .none
      return
    }
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    let family = try ActionCatalogue.family(named: parts[0])
    var parameters = ActionParameters()
    if parts.count == 2 {
      guard let k = Int(parts[1]), k > 0 else {
        throw ProbeError.invalidOption(
          "'\(text)': the part after ':' must be a positive patch side")
      }
      parameters.patch = k
    }
    self.init(family: family, parameters: parameters)
  }

  /// The label in reports.
  public var description: String {
    guard let family else { return "none" }
    if let patch = parameters.patch
      ?? (family.name == "patch-shuffle" ? PatchShuffleFamily.defaultPatch : nil)
    {
      return "\(family.name)-\(patch)x\(patch)"
    }
    return family.name
  }
}

/// How a learner is changed when an action acts on the model rather than on the data.
public enum ModelAction: String, Sendable, CaseIterable, CustomStringConvertible {
  /// K_T(x, x') = mean over all circular translations t of K(x, t x'): exact, and for CNN-VEC
  /// equal to CNN-GAP ("pooling is translation augmentation").
  case translationAverage = "translation-average"
  /// K_O(x, x') = mean over D Haar-random g in O(d) of K(g x, g x'): a Monte Carlo estimate of
  /// the learner made algorithmically O(d)-invariant, the model-side twin of rotating the data.
  case orthogonalSymmetrisation = "orthogonal-symmetrisation"

  public var description: String { rawValue }

  /// The architectures this change is run on, chosen for what it shows and what it costs:
  /// translation averaging makes FCN translation-invariant without giving it locality (for
  /// LCN and CNN-VEC it gives the CNN-GAP kernel exactly, a claim `swift test` checks directly,
  /// so their curves would only repeat CNN-GAP's at 64 times the cost); O(d) symmetrisation is
  /// the model-side twin of rotating CNN-GAP's data (docs/design.md's fourth claim).
  public var architectures: Set<NamedArchitecture> {
    switch self {
    case .translationAverage: return [.fcn]
    case .orthogonalSymmetrisation: return [.cnnGap]
    }
  }

  /// The catalogue name reported as the curve's `action`.
  public var actionName: String {
    switch self {
    case .translationAverage: return "translation"
    case .orthogonalSymmetrisation: return "orthogonal"
    }
  }
}
