/// A claim as a statistical hypothesis, fixed in code before anything is measured: which
/// effect, which direction, and for "about equal" claims the equivalence margin.
///
/// The decision rule compares the effect's confidence interval [l, u] with the claim:
///
/// | direction | held | failed | otherwise |
/// |---|---|---|---|
/// | positive (effect > 0) | l > 0 | u < 0 | inconclusive |
/// | negative (effect < 0) | u < 0 | l > 0 | inconclusive |
/// | equivalent (abs(effect) <= margin) | -margin <= l and u <= margin | u < -margin or l > margin | inconclusive |
///
/// A directional claim therefore fails only when the data show the opposite effect, and an
/// equivalence claim holds only when the interval is narrow enough to fit inside the margin: a
/// noisier measurement makes both harder to hold, never easier (the defect of "within 3 standard
/// errors", which noisier data pass more easily).
public struct ClaimHypothesis: Sendable, Hashable, Codable {
  /// The sign or size of effect the claim asserts.
  public enum Direction: String, Sendable, Hashable, Codable {
    /// The effect is greater than zero.
    case positive
    /// The effect is less than zero.
    case negative
    /// The effect lies within ± margin.
    case equivalent
  }

  /// Which way the effect is claimed to go.
  public var direction: Direction
  /// The equivalence margin (in the effect's units); 0 for a directional claim.
  public var margin: Double

  /// A claim that the effect is greater than zero.
  public static let positive = ClaimHypothesis(direction: .positive, margin: 0)
  /// A claim that the effect is less than zero.
  public static let negative = ClaimHypothesis(direction: .negative, margin: 0)

  /// A claim that |effect| <= margin; throws when the margin is negative, NaN or infinite
  /// (no interval could then be decided against it).
  public static func equivalent(within margin: Double) throws(ProbeError) -> ClaimHypothesis {
    guard margin >= 0, margin.isFinite else {
      throw .invalidOption(
        "an equivalence margin of \(margin) cannot decide a claim; pass a finite margin >= 0 in the effect's units"
      )
    }
    return equivalent(fixedMargin: margin)
  }

  /// `equivalent(within:)` for the package's catalogue, whose margins are named constants.
  package static func equivalent(fixedMargin margin: Double) -> ClaimHypothesis {
    precondition(
      margin >= 0 && margin.isFinite,
      "internal: an equivalence margin is a finite non-negative number")
    return ClaimHypothesis(direction: .equivalent, margin: margin)
  }

  /// The verdict for an effect whose interval is [lower, upper].
  public func verdict(lower: Double, upper: Double) -> ClaimVerdict {
    guard lower.isFinite, upper.isFinite, lower <= upper else { return .inconclusive }
    switch direction {
    case .positive:
      if lower > 0 { return .held }
      if upper < 0 { return .failed }
    case .negative:
      if upper < 0 { return .held }
      if lower > 0 { return .failed }
    case .equivalent:
      if lower >= -margin && upper <= margin { return .held }
      if upper < -margin || lower > margin { return .failed }
    }
    return .inconclusive
  }

  /// The verdict for a paired estimate.
  public func verdict(_ estimate: PairedEstimate) -> ClaimVerdict {
    verdict(lower: estimate.lower, upper: estimate.upper)
  }

  /// The claim in words, e.g. "effect > 0" or "|effect| <= 0.01".
  public var summary: String {
    switch direction {
    case .positive: return "effect > 0"
    case .negative: return "effect < 0"
    case .equivalent: return "|effect| <= \(margin)"
    }
  }
}
