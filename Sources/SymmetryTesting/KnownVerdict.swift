/// A verdict other than "held", measured and recorded before the test was written, with the
/// numbers it was measured with: the claim's known issue.
public struct KnownVerdict: Sendable, Hashable {
  /// The verdict recorded.
  public let verdict: ClaimVerdict
  /// The effect measured when it was recorded.
  public let effect: Double
  /// The effect's 95% interval measured when it was recorded.
  public let interval: ClosedRange<Double>

  /// A recorded verdict; `held` is accepted here but reported as an issue by the expectation
  /// that receives it (a held claim needs no known verdict), so a slip fails one test instead of
  /// trapping the whole run.
  public init(_ verdict: ClaimVerdict, effect: Double, interval: ClosedRange<Double>) {
    self.verdict = verdict
    self.effect = effect
    self.interval = interval
  }
}
