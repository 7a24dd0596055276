/// The named group actions: the tool's `--action` names, the JSON reports' `action` keys and
/// the law suites' arguments all come from this list.
///
/// Adding an action is one file conforming to `GroupAction` and `ActionFamily`, and one line
/// here; every parameterised claim then covers it.
public enum ActionCatalogue {
  /// Every family, in the order tables list them.
  public static let families: [any ActionFamily] = [
    OrthogonalFamily(),
    PixelPermutationFamily(),
    PixelwiseChannelRotationFamily(),
    ChannelRotationFamily(),
    ChannelPermutationFamily(),
    TranslationFamily(),
    HorizontalFlipFamily(),
    VerticalFlipFamily(),
    QuarterTurnFamily(),
    PatchShuffleFamily(),
  ]

  /// The stable names, in catalogue order.
  public static var names: [String] { families.map(\.name) }

  /// The family called `name` (in any letter case); throws `unknownAction` listing the known
  /// names otherwise.
  public static func family(named name: String) throws(SymmetryError) -> any ActionFamily {
    guard let family = families.first(where: { $0.name == name.lowercased() }) else {
      throw .unknownAction(name: name, known: names)
    }
    return family
  }
}
