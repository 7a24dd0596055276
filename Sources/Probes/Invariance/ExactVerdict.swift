/// What weight transport says about a cell, run by run: the network trained on g.S from theta
/// against the one trained on S from the transported theta'.
public enum ExactVerdict: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// Every element lifts and the two runs agree to round-off: algorithmically invariant (in
  /// distribution, since theta' has theta's law).
  case invariant = "exactly invariant"
  /// Some element lifts and the runs part: the optimiser or the architecture breaks the
  /// symmetry run by run, whatever the ensembles' laws do.
  case notInvariant = "not exactly invariant"
  /// No transport exists in the architecture's own parameters (or the deviation sits between
  /// round-off and the floor): no exact evidence either way.
  case unknown = "unknown"

  public var description: String { rawValue }

  /// Round-off and floor for the relative deviation of two transported training runs. 100 to
  /// 400 steps of float64 training on O(1) values keep an exact symmetry at 1e-15 to 1e-13
  /// (measured: 8.5e-16 to 3.7e-15 over the grid), so 1e-9 leaves four orders of magnitude;
  /// the smallest break measured (Adam under O(d), rate 0.001, 100 steps) is 0.15, far above the
  /// floor 1e-6.
  public static let thresholds = VerdictThresholds(uncheckedRoundOff: 1e-9, effectFloor: 1e-6)

  /// The verdict over a cell's elements: the deviation of each transport (nil: does not lift).
  public init(deviations: [Double?]) {
    let verdicts = deviations.map { deviation in
      deviation.map { Verdict(deviation: $0, thresholds: Self.thresholds) }
    }
    if verdicts.contains(.notInvariant) {
      self = .notInvariant
    } else if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == .invariant }) {
      self = .invariant
    } else {
      self = .unknown
    }
  }
}
