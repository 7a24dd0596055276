import Foundation
import Testing

/// Runs `body` as a plain claim, or as a known issue at a scale where it was measured not to
/// hold. The empirical claims run at a small scale in `swift test` and at full scale with
/// `SYMMETRY_PROBES_FULL_CLAIMS=1`; `small` and `full` are the notes (with the measured
/// numbers) for the two, nil where the claim holds. A known issue that stops occurring fails
/// the test, so a note cannot outlive the result it records.
public func claim(
  atFullScale isFull: Bool, knownAtSmallScale small: Comment? = nil,
  knownAtFullScale full: Comment? = nil, _ body: () throws -> Void
) rethrows {
  if let note = isFull ? full : small {
    withKnownIssue(note) { try body() }
  } else {
    try body()
  }
}

/// Whether this run states the empirical claims at full scale (`SYMMETRY_PROBES_FULL_CLAIMS=1`,
/// meant for `swift test -c release`).
public let isFullScaleRun =
  ProcessInfo.processInfo.environment["SYMMETRY_PROBES_FULL_CLAIMS"] == "1"
