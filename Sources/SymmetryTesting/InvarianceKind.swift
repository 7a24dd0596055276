/// Which of the two invariances of a learner an expectation is about (docs/design.md).
///
/// - algorithmic under g: f_{g.S}(g x) = f_S(x) for every training set S and input x (for a
///   random learner, equal in distribution); for a kernel, K(g x, g x') = K(x, x');
/// - functional under g: f_S(g x) = f_S(x) for every S; for a kernel, K(x, g x') = K(x, x').
public enum InvarianceKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// f_{g.S}(g x) = f_S(x); for a kernel, K(g x, g x') = K(x, x').
  case algorithmic
  /// f_S(g x) = f_S(x); for a kernel, K(x, g x') = K(x, x').
  case functional

  public var description: String { rawValue }

  /// "algorithmically" or "functionally", for messages.
  var adverb: String { self == .algorithmic ? "algorithmically" : "functionally" }
}
