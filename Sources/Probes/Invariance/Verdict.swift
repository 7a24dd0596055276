/// What a probe concludes from a measured deviation.
///
/// Three outcomes, never rounded to two: a deviation at round-off level is `invariant`, one
/// above an effect-size floor is `notInvariant`, and anything between is `inconclusive`
/// (a symmetry that almost holds, or a probe too weak to tell). A fourth says the probe had
/// nothing to measure: when every output it compares is zero (an untrained centred network, a
/// kernel of zeros), equal outputs are no evidence of invariance, so it is `noSignal`.
public enum Verdict: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// The deviation is at round-off level.
  case invariant = "invariant"
  /// The deviation is above the effect-size floor.
  case notInvariant = "not invariant"
  /// The deviation lies between round-off and the effect-size floor.
  case inconclusive = "inconclusive"
  /// Every output compared is zero, so equality is no evidence.
  case noSignal = "no signal"

  public var description: String { rawValue }

  /// The verdict for `deviation` under `thresholds`; NaN (zero change relative to a zero
  /// scale, see `deviation(_:from:)`) is `noSignal`.
  public init(deviation: Double, thresholds: VerdictThresholds) {
    if deviation.isNaN {
      self = .noSignal
    } else if !deviation.isFinite || deviation > thresholds.effectFloor {
      self = .notInvariant
    } else if deviation <= thresholds.roundOff {
      self = .invariant
    } else {
      self = .inconclusive
    }
  }
}

/// The two thresholds a verdict compares a relative deviation with.
public struct VerdictThresholds: Sendable, Hashable, Codable {
  /// At or below this, the deviation is float64 round-off: invariant.
  public let roundOff: Double
  /// Above this, the deviation is a real effect: not invariant.
  public let effectFloor: Double

  /// Throws unless 0 <= roundOff < effectFloor < infinity: a verdict needs a round-off band
  /// below the effect floor, or `inconclusive` would be empty or the order reversed.
  public init(roundOff: Double, effectFloor: Double) throws(ProbeError) {
    guard roundOff >= 0, effectFloor.isFinite, roundOff < effectFloor else {
      throw .invalidOption(
        "verdict thresholds need 0 <= round-off < effect floor < infinity, got round-off "
          + "\(roundOff) and effect floor \(effectFloor); pass a round-off threshold below the floor"
      )
    }
    self.init(uncheckedRoundOff: roundOff, effectFloor: effectFloor)
  }

  /// The package's own thresholds, fixed constants that satisfy the order above.
  init(uncheckedRoundOff roundOff: Double, effectFloor: Double) {
    precondition(
      roundOff < effectFloor, "internal: the round-off threshold must lie below the effect floor")
    self.roundOff = roundOff
    self.effectFloor = effectFloor
  }

  private enum CodingKeys: String, CodingKey { case roundOff, effectFloor }

  /// Decoded thresholds are checked like constructed ones (a file is caller input too).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      roundOff: container.decode(Double.self, forKey: .roundOff),
      effectFloor: container.decode(Double.self, forKey: .effectFloor))
  }

  /// For kernel-level probes. A kernel entry is a few hundred float64 operations per layer on
  /// O(1) values (sums over at most H W C terms and 3 x 3 filters), so an exact symmetry shows as
  /// a relative deviation of about 1e-15 to 1e-13; 1e-10 leaves three orders of magnitude. The
  /// smallest genuine break measured by the main job (8 x 8 CIFAR-10, depth 2) is 2e-3 (CNN-GAP
  /// ReLU NNGP, functional, horizontal flip), so a floor of 1e-4 sits more than an order of
  /// magnitude below it and six above round-off.
  public static let kernel = VerdictThresholds(uncheckedRoundOff: 1e-10, effectFloor: 1e-4)

  /// For prediction-level probes: the kernel's round-off is amplified by the linear solve up to
  /// the condition number of the (ridged) train kernel, about 1e4 to 1e6 for the small training
  /// sets of the probes, hence 1e-7; real breaks change predictions by 1e-2 or more.
  public static let prediction = VerdictThresholds(uncheckedRoundOff: 1e-7, effectFloor: 1e-3)
}
