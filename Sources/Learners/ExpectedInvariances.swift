/// The group actions (by catalogue name) under which a learner's infinite-width kernels are
/// expected to be invariant, algorithmically (K(g x, g x') = K(x, x')) and functionally
/// (K(x, g x') = K(x, x')).
///
/// Expected *non*-invariance is the complement: every catalogue action not listed.
public struct ExpectedInvariances: Sendable, Hashable, Codable {
  /// Actions g with K(g x, g x') = K(x, x').
  public var algorithmic: Set<String>
  /// Actions g with K(x, g x') = K(x, x').
  public var functional: Set<String>

  public init(algorithmic: Set<String>, functional: Set<String>) {
    self.algorithmic = algorithmic
    self.functional = functional
  }
}
