import Foundation
import Testing

// MARK: - Your own empirical claim

/// An empirical claim decided by the package's statistics: the paired effects' mean, its
/// Student-t 95% interval, and the verdict of the hypothesis fixed before measuring
/// (`ClaimHypothesis`: held, failed or inconclusive).
public struct EmpiricalVerdict: Sendable, Hashable {
  /// The claim as a sentence, for messages.
  public var statement: String
  /// The paired effects' mean and Student-t 95% interval.
  public var estimate: PairedEstimate
  /// The hypothesis fixed before measuring (direction and margin).
  public var hypothesis: ClaimHypothesis
  /// Held, failed or inconclusive: `hypothesis` applied to `estimate`.
  public var verdict: ClaimVerdict

  /// "+0.012 [+0.004, +0.020] over 10 paired repeats".
  public var summary: String {
    intervalText(
      estimate.mean, lower: estimate.lower, upper: estimate.upper, decimals: 4, signed: true)
      + " over \(estimate.repeats) paired repeats"
  }
}

/// Decides `statement` from per-repeat paired `effects` (each repeat's difference between two
/// arms that saw the same training subset) under `hypothesis`, and records an issue at the
/// caller unless it held; with `known`, asserts the recorded verdict instead and records the
/// failure of "held" as a known issue (see `expectHeld`).
///
/// The message gives the effect, its interval, the hypothesis (the threshold: 0, or the
/// equivalence margin), the verdict, the minimum detectable effect and `reproduce`.
/// - Throws: `ProbeError` for fewer than two effects or a non-finite one.
@discardableResult
public func expectClaim(
  _ statement: String, effects: [Double], hypothesis: ClaimHypothesis, known: KnownVerdict? = nil,
  reproduce: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> EmpiricalVerdict {
  let estimate = try PairedEstimate(effects)
  let verdict = EmpiricalVerdict(
    statement: statement, estimate: estimate, hypothesis: hypothesis,
    verdict: hypothesis.verdict(estimate))
  let measured =
    "\(statement): effect \(verdict.summary) (Student-t 95% interval), hypothesis \(hypothesis.summary), "
    + "verdict \(verdict.verdict); minimum detectable effect \(String(format: "%.4f", estimate.minimumDetectableEffect))"
    + (reproduce.map { "\n  reproduce: \($0)" } ?? "")
  expectHeld(
    verdict.verdict, measured: measured, effect: estimate.mean,
    interval: estimate.lower...estimate.upper,
    known: known, sourceLocation: sourceLocation)
  return verdict
}

// MARK: - The package's catalogue claims

/// Asserts that a catalogue claim held; where it is known not to, asserts the known verdict
/// and records the failure of "held" as a (non-intermittent) known issue with the measured
/// numbers.
///
/// Any change of verdict fails: a claim that starts to hold breaks the first expectation and
/// leaves the known issue unrecorded (which Swift Testing reports as a failure), and a move
/// between "failed" and "inconclusive" breaks the first expectation.
public func expectHeld(
  _ result: ClaimResult, known: KnownVerdict?, sourceLocation: SourceLocation = #_sourceLocation
) {
  let measured =
    "\(result.id) at \(result.scale) scale: \(result.effectDescription) = \(result.summary) over \(result.repeats) "
    + "repeats, margin \(result.margin), verdict \(result.verdict)\n"
    + "  reproduce: swift run -c release symmetry-probe claims --scale \(result.scale)"
  let interval =
    result.interval.count == 2
    ? result.interval[0]...max(result.interval[0], result.interval[1])
    : result.effect...result.effect
  expectHeld(
    result.verdict, measured: measured, effect: result.effect, interval: interval, known: known,
    sourceLocation: sourceLocation)
}

/// The rule both claim expectations share.
func expectHeld(
  _ verdict: ClaimVerdict, measured: String, effect: Double, interval: ClosedRange<Double>,
  known: KnownVerdict?,
  sourceLocation: SourceLocation
) {
  guard let known else {
    #expect(verdict == .held, "\(measured)", sourceLocation: sourceLocation)
    return
  }
  guard known.verdict != .held else {
    Issue.record(
      "a known verdict records a claim that did not hold, but this one says held: remove it\n\(measured)",
      sourceLocation: sourceLocation)
    return
  }
  #expect(
    verdict == known.verdict,
    "verdict changed from the recorded \(known.verdict) (effect \(known.effect), interval \(known.interval)): \(measured)",
    sourceLocation: sourceLocation)
  withKnownIssue(
    "\(known.verdict) when measured: effect \(known.effect), 95% interval \(known.interval)",
    sourceLocation: sourceLocation
  ) {
    #expect(verdict == .held, "\(measured)", sourceLocation: sourceLocation)
  }
}
