import Probes
import Testing

/// A verdict other than "held", measured and recorded before the test was written, with the
/// numbers it was measured with.
public struct KnownVerdict: Sendable {
  public let verdict: ClaimVerdict
  public let effect: Double
  public let interval: ClosedRange<Double>

  public init(_ verdict: ClaimVerdict, effect: Double, interval: ClosedRange<Double>) {
    precondition(verdict != .held, "a known verdict records a claim that did not hold")
    self.verdict = verdict
    self.effect = effect
    self.interval = interval
  }
}

/// Asserts that a claim held; where it is known not to, asserts the known verdict and records
/// the failure of "held" as a (non-intermittent) known issue with the measured numbers.
///
/// Any change of verdict fails: a claim that starts to hold breaks the first expectation and
/// leaves the known issue unrecorded (which Swift Testing reports as a failure), and a move
/// between "failed" and "inconclusive" breaks the first expectation.
public func expectHeld(
  _ result: ClaimResult, known: KnownVerdict?, sourceLocation: SourceLocation = #_sourceLocation
) {
  let measured =
    "\(result.id) at \(result.scale) scale: \(result.effectDescription) = \(result.summary) over \(result.repeats) "
    + "repeats, margin \(result.margin), verdict \(result.verdict)"
  guard let known else {
    #expect(result.verdict == .held, "\(measured)", sourceLocation: sourceLocation)
    return
  }
  #expect(
    result.verdict == known.verdict,
    "verdict changed from the recorded \(known.verdict) (effect \(known.effect), interval \(known.interval)): \(measured)",
    sourceLocation: sourceLocation)
  withKnownIssue(
    "\(known.verdict) when measured at \(result.scale) scale: effect \(known.effect), 95% interval \(known.interval)"
  ) {
    #expect(result.verdict == .held, "\(measured)", sourceLocation: sourceLocation)
  }
}
