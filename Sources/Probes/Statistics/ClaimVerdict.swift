/// What a claim's measurement concludes: one of three, never rounded to two.
///
/// "Inconclusive" is an answer: the interval straddles the claim's boundary, and the minimum
/// detectable effect says how many more repeats might decide it.
public enum ClaimVerdict: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible
{
  /// The interval lies on the claim's side (inside the margin for an equivalence claim).
  case held
  /// The interval lies on the other side (outside the margin for an equivalence claim).
  case failed
  /// The interval reaches both sides.
  case inconclusive

  public var description: String { rawValue }
}
