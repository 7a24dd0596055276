extension ActionCatalogue {
  /// The catalogue's families followed by yours, for `@Test(arguments:)`: a user-defined action
  /// joins every claim parameterised over the catalogue in that suite.
  ///
  /// A family whose name is already taken would make two columns indistinguishable, so it is
  /// left out here and `expectActionFamilyLaws` reports the clash.
  public static func families(adding extra: [any ActionFamily]) -> [any ActionFamily] {
    var names = Set(names)
    var result = families
    for family in extra where names.insert(family.name).inserted {
      result.append(family)
    }
    return result
  }
}
