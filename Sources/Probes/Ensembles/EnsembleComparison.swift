import Symmetries

/// The ensemble probe's verdict on two ensembles of predictions a user brings: K runs of a
/// learner on the reference task (predictions B_s at x*) and K runs on the transformed one
/// (A_s, e.g. f_{g.S}(g x*)), each run a vector of n outputs.
///
/// The statistic, interval, margin and decision rule are `EnsembleMeasurement`'s and
/// `EnsembleCellMeasurement`'s (one element, one look, a family of one at alpha 0.05): rho, the
/// distance between the two ensembles' output distributions relative to the root-mean-square
/// prediction, jackknife bias-corrected over pairs, with Student's t on K - 1 degrees of freedom;
/// *equal within margin* when rho < 0.1 is shown, *not equal* when rho > 0.1 is.
///
/// Pairs: the jackknife leaves out one pair (A_s, B_s) at a time. With `paired` the files pair
/// run for run (run s of both from one seed, or one trained model at x* and at g x*), and the
/// correlation pairing brings narrows the interval. Without it the two ensembles are independent
/// and the order of the runs carries no information: any pairing by index gives pairs that are
/// independent and identically distributed, which is all the jackknife needs (so both files must
/// hold the same number of runs). Only paired runs are compared one by one
/// (`pairedDeviation`): when they agree to round-off the evidence is exact.
public struct EnsembleComparison: Sendable, Hashable, Encodable {
  /// Whether the runs pair (and were compared run by run).
  public var paired: Bool
  /// Runs K per ensemble, outputs n per run.
  public var runs: Int
  /// Outputs n per run (test images times output columns).
  public var outputs: Int
  /// The measurement, its interval at the confidence 1 - alpha.
  public var measurement: EnsembleMeasurement
  /// The p-values of "rho >= margin" and "rho <= margin".
  public var pEqual: Double
  /// The p-value of "rho <= margin" (small when the ensembles differ by more than the margin).
  public var pDiffer: Double
  /// The error rate alpha of the decision.
  public var alpha: Double
  /// The distributional verdict.
  public var distributional: DistributionalVerdict
  /// The largest relative deviation (`relativeDeviation`) of a pair's two runs; nil unpaired.
  public var pairedDeviation: Double?
  /// `exactly invariant` when every pair agrees to round-off (`VerdictThresholds.prediction`),
  /// else `unknown`: runs that share a seed need not agree under a symmetry that holds only in
  /// distribution, so a deviation is no evidence of a break by itself.
  public var exact: ExactVerdict

  /// The summary of the two kinds of evidence (`FiniteVerdict`).
  public var verdict: FiniteVerdict { FiniteVerdict(exact: exact, distributional: distributional) }

  /// Compares `transformed` (A) with `reference` (B), K >= 3 runs of n outputs each.
  /// - Throws: `ProbeError.mismatch` for different numbers of runs or outputs,
  ///   `ProbeError.invalidOption` for fewer than 3 runs, no outputs, a margin that is not
  ///   positive or alpha outside (0, 1), `ProbeError.mismatch` for a NaN or infinite prediction.
  /// - Complexity: O(K n).
  public init(
    reference: [[Double]], transformed: [[Double]], paired: Bool,
    margin: Double = EnsembleInvarianceProbe.defaultMargin, alpha: Double = 0.05
  ) throws(ProbeError) {
    guard reference.count == transformed.count else {
      throw .mismatch(
        "\(reference.count) reference runs but \(transformed.count) transformed runs: the jackknife leaves out one "
          + "pair at a time, so both ensembles need the same number of runs (drop the extra runs of the larger one)"
      )
    }
    guard let first = reference.first, !first.isEmpty else {
      throw .invalidOption(
        "no predictions: each ensemble needs at least 3 runs of at least one output")
    }
    if let (arm, run) = Self.firstNonFinite(reference, transformed) {
      throw .mismatch("run \(run) of the \(arm) ensemble holds a NaN or infinite prediction")
    }
    let cell = try EnsembleCellMeasurement(
      moved: [transformed], original: reference,
      targets: [Double](repeating: 0, count: first.count),
      margin: margin, alpha: alpha)
    self.paired = paired
    runs = reference.count
    outputs = first.count
    measurement = cell.elements[0]
    pEqual = cell.pEqual
    pDiffer = cell.pDiffer
    self.alpha = alpha
    distributional = cell.verdict
    if paired {
      let deviation = zip(transformed, reference).map { relativeDeviation($0, $1) }.max() ?? 0
      pairedDeviation = deviation
      exact =
        Verdict(deviation: deviation, thresholds: .prediction) == .invariant ? .invariant : .unknown
    } else {
      pairedDeviation = nil
      exact = .unknown
    }
  }

  private static func firstNonFinite(_ reference: [[Double]], _ transformed: [[Double]]) -> (
    String, Int
  )? {
    if let run = reference.firstIndex(where: { $0.contains { !$0.isFinite } }) {
      return ("reference", run)
    }
    if let run = transformed.firstIndex(where: { $0.contains { !$0.isFinite } }) {
      return ("transformed", run)
    }
    return nil
  }

  enum CodingKeys: String, CodingKey {
    case paired, runs, outputs, alpha, distributional, exact, verdict, margin, effect, interval
    case pEqual = "p_equal"
    case pDiffer = "p_differ"
    case pairedDeviation = "paired_deviation"
    case differenceDetected = "difference_detected"
    case squaredEffect = "squared_effect"
    case squaredStandardError = "squared_standard_error"
    case confidence
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(paired, forKey: .paired)
    try container.encode(runs, forKey: .runs)
    try container.encode(outputs, forKey: .outputs)
    try container.encode(alpha, forKey: .alpha)
    try container.encode(1 - alpha, forKey: .confidence)
    try container.encode(distributional, forKey: .distributional)
    try container.encode(exact, forKey: .exact)
    try container.encode(verdict, forKey: .verdict)
    try container.encode(measurement.margin, forKey: .margin)
    try container.encode(measurement.effect, forKey: .effect)
    try container.encode(measurement.interval, forKey: .interval)
    try container.encode(measurement.squaredEffect, forKey: .squaredEffect)
    try container.encode(measurement.squaredStandardError, forKey: .squaredStandardError)
    try container.encode(measurement.differenceDetected, forKey: .differenceDetected)
    try container.encode(pEqual, forKey: .pEqual)
    try container.encode(pDiffer, forKey: .pDiffer)
    try container.encode(pairedDeviation, forKey: .pairedDeviation)
  }
}
