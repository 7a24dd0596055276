/// What went wrong with a learner run from outside Swift (`CommandLearner`), or with its command
/// template: each message names the run (arm, pair, seed), quotes the last lines the command
/// wrote to standard error, and says how many runs finished before it and where they are kept.
public enum ExternalLearnerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The template holds `{name}` for a name that is not a placeholder.
  case unknownPlaceholder(String, template: String)
  /// The template lacks a placeholder the learner cannot do without.
  case missingPlaceholder(String, template: String)
  /// A run failed; `runsKept` runs had finished (in `cache`, reused by the next probe).
  case runFailed(
    run: LearnerRun, reason: RunFailure, standardError: [String], runsKept: Int, cache: String?)

  /// Why one run failed.
  public enum RunFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command exited with this non-zero status.
    case exitStatus(Int32)
    /// The command was killed by this signal.
    case signal(Int32)
    /// The command ran longer than the timeout (seconds) and was stopped.
    case timedOut(Double)
    /// The command exited with status 0 but wrote no predictions file at this path.
    case noPredictions(path: String)
    /// The predictions have the wrong shape.
    case wrongShape(expected: [Int], actual: [Int])
    /// A prediction is NaN or infinite.
    case nonFinite(row: Int, column: Int, value: Double)
    /// The predictions file is not a readable `.npy` file.
    case unreadable(String)
    /// The command could not be started, or a Swift learner threw.
    case failed(String)

    public var description: String {
      switch self {
      case .exitStatus(let status): return "the command exited with status \(status)"
      case .signal(let signal): return "the command was killed by signal \(signal)"
      case .timedOut(let seconds):
        return
          "the command ran longer than the timeout of \(seconds) s and was stopped; raise --timeout if it needs longer"
      case .noPredictions(let path):
        return
          "the command exited with status 0 but wrote no predictions to \(path); write an (m, k) float64 .npy there "
          + "(the {predictions} placeholder), e.g. numpy.save(path, predictions)"
      case .wrongShape(let expected, let actual):
        return
          "the predictions have shape \(actual) but the probe expects \(expected): one row per image of {test_x}, "
          + "one column per target column of {train_y}"
      case .nonFinite(let row, let column, let value):
        return
          "prediction (\(row), \(column)) is \(value); every prediction must be a finite number (did training diverge?)"
      case .unreadable(let reason): return "the predictions file cannot be read: \(reason)"
      case .failed(let reason): return reason
      }
    }
  }

  public var description: String {
    switch self {
    case .unknownPlaceholder(let name, let template):
      return
        "unknown placeholder {\(name)} in the learner command '\(template)'; the placeholders are "
        + CommandLearner.placeholders.map { "{\($0)}" }.joined(separator: ", ")
    case .missingPlaceholder(let name, let template):
      return "the learner command '\(template)' has no {\(name)}: the learner needs it ("
        + "{train_x} {train_y} {test_x} are the files it reads, {predictions} the file it writes)"
    case .runFailed(let run, let reason, let standardError, let runsKept, let cache):
      let tail =
        standardError.isEmpty
        ? " It wrote nothing to standard error."
        : " The last lines of its standard error:\n    " + standardError.joined(separator: "\n    ")
      let kept =
        "\n\(runsKept) run\(runsKept == 1 ? "" : "s") finished before it"
        + (cache.map { " and are kept in \($0): run the same probe again to resume from them" }
          ?? "")
      return "\(run): \(reason).\(tail)\(kept)"
    }
  }
}
