import Symmetries

extension ActionParameters {
  /// Refuses a parameter that none of `families` uses: `--shift` with only a flip would be
  /// silently ignored, and the user would believe the element was fixed.
  func requireApplicable(to families: [any ActionFamily]) throws(CommandLineError) {
    for field in given where !families.contains(where: { $0.fixableParameters.contains(field) }) {
      throw .notApplicable(
        option: "--\(field.rawValue)", actions: families.map(\.name),
        appliesTo: ActionCatalogue.families.filter { $0.fixableParameters.contains(field) }.map(
          \.name))
    }
  }
}
