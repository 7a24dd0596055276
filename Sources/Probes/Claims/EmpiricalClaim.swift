import Learners

/// One of docs/design.md's empirical claims as a hypothesis fixed in code: the sentence, the
/// per-repeat effect it is about, and the direction (and equivalence margin) it asserts.
///
/// The effect is paired: each repeat's value is a difference between two arms that trained on
/// the same subset with the same group element, so subset-to-subset variation cancels. The
/// margins are set here, before any run: 0.01 test accuracy for "about equal" (one point: a
/// difference a reader would not call a change of rank), float64 round-off for exact claims.
public struct EmpiricalClaim: Sendable, Identifiable {
  /// A short stable identifier, e.g. `1a-nngp` (docs/design.md's claim number, a letter, the kernel).
  public let id: String
  /// The claim as a sentence.
  public let statement: String
  /// What is measured, in words (e.g. "accuracy(CNN-GAP) - accuracy(FCN) at m = 512").
  public let effectDescription: String
  /// The hypothesis fixed before any run: its direction and margin.
  public let hypothesis: ClaimHypothesis
  /// Each repeat's effect; nil when the curves lack a learner the claim needs.
  let effect: @Sendable (LearningCurves) -> [Double]?
  /// For an exact claim: the effect is a bound computed from all repeats (its interval is the
  /// single value), not a sample mean.
  let isExact: Bool

  /// The equivalence margin for "about equal" accuracy claims.
  public static let accuracyMargin = 0.01
  /// The margin for exact claims on test MSE: kernel round-off (1e-15 relative) amplified by
  /// the solve up to the condition number (about 1e8 at ridge 1e-6) is at most about 1e-7.
  public static let exactMargin = 1e-6
}

/// The result of one claim at one scale.
public struct ClaimResult: Sendable, Codable {
  /// The claim as a sentence.
  public var claim: String
  /// The claim's identifier, e.g. `1a-nngp`.
  public var id: String
  /// The scale it was measured at.
  public var scale: ClaimScale
  /// What the effect measures, in words.
  public var effectDescription: String
  /// The mean paired effect over the repeats (for an exact claim, the bound over all repeats).
  public var effect: Double
  /// The Student-t 95% interval of the effect, [lower, upper].
  public var interval: [Double]
  /// The number of paired repeats n.
  public var repeats: Int
  /// The equivalence margin (used by "about equal" and exact claims).
  public var margin: Double
  /// Whether the claim is that the effect is positive, within the margin, or exactly zero.
  public var direction: ClaimHypothesis.Direction
  /// Held, failed or inconclusive.
  public var verdict: ClaimVerdict
  /// The effect the design detects with 80% power, (t_0.975 + t_0.8) SE; nil for exact claims.
  @NullIfAbsent public var minimumDetectableEffect: Double?

  /// A result, field by field.
  public init(
    claim: String, id: String, scale: ClaimScale, effectDescription: String, effect: Double,
    interval: [Double],
    repeats: Int, margin: Double, direction: ClaimHypothesis.Direction, verdict: ClaimVerdict,
    minimumDetectableEffect: Double?
  ) {
    self.claim = claim
    self.id = id
    self.scale = scale
    self.effectDescription = effectDescription
    self.effect = effect
    self.interval = interval
    self.repeats = repeats
    self.margin = margin
    self.direction = direction
    self.verdict = verdict
    self.minimumDetectableEffect = minimumDetectableEffect
  }

  enum CodingKeys: String, CodingKey {
    case claim, id, scale, effect, interval, repeats, margin, direction, verdict
    case effectDescription = "effect_description"
    case minimumDetectableEffect = "minimum_detectable_effect"
  }

  /// "+0.0120 [+0.0040, +0.0200]": signed, four decimals or as many more as it takes for an
  /// interval of nonzero width not to print as a point, or an exact claim's nonzero bound (a
  /// point interval) as zero ("+1.20e-14 [+1.20e-14, +1.20e-14]").
  public var summary: String {
    intervalText(effect, lower: interval[0], upper: interval[1], decimals: 4, signed: true)
  }
}

extension EmpiricalClaim {
  /// Measures the claim on `curves`; nil when the curves lack what it needs.
  ///
  /// - Throws: `ProbeError` when there are fewer than two repeats.
  public func evaluate(_ curves: LearningCurves, scale: ClaimScale) throws -> ClaimResult? {
    guard let values = effect(curves), !values.isEmpty else { return nil }
    if isExact {
      let bound = values.max()!
      return ClaimResult(
        claim: statement, id: id, scale: scale, effectDescription: effectDescription, effect: bound,
        interval: [bound, bound], repeats: values.count, margin: hypothesis.margin,
        direction: hypothesis.direction, verdict: hypothesis.verdict(lower: bound, upper: bound),
        minimumDetectableEffect: nil)
    }
    let estimate = try PairedEstimate(values)
    return ClaimResult(
      claim: statement, id: id, scale: scale, effectDescription: effectDescription,
      effect: estimate.mean,
      interval: [estimate.lower, estimate.upper], repeats: estimate.repeats,
      margin: hypothesis.margin,
      direction: hypothesis.direction, verdict: hypothesis.verdict(estimate),
      minimumDetectableEffect: estimate.minimumDetectableEffect)
  }
}
