import Foundation
import Probes
import Symmetries

/// `symmetry-probe verdict`: the ensemble probe's statistics on two files of predictions a user
/// made with their own training loop.
struct VerdictCommand: Command {
  static let name = "verdict"
  static let abstract =
    "The ensemble probe's verdict on two .npy files of predictions (bring your own runs)."
  static let options: [OptionDoc] = [
    OptionDoc("reference", "FILE", "the K reference runs (.npy)"),
    OptionDoc("transformed", "FILE", "the K transformed runs (.npy)"),
    OptionDoc("paired", nil, "the runs pair row for row"),
    .format("text (default) or json"),
  ]
  static let help = """
    USAGE: symmetry-probe verdict --reference A.npy --transformed B.npy [--paired] [--format text|json]

    Compares two ensembles of predictions with the statistic of 'symmetry-probe train': K runs
    of your learner on the reference task (A, e.g. f_S(x*) for K seeds) against K runs on the
    transformed one (B, e.g. f_{g.S}(g x*) for algorithmic invariance, or the same trained
    models at g x* for functional invariance). Each file holds float64 (or float32, integer)
    values of shape (K, ...): run s is row s, flattened (e.g. (K, m, k) for m test images and k
    outputs). Both files need the same shape.

    rho = the distance between the two ensembles' output distributions (per output: squared gap
    of the means plus squared gap of the standard deviations, summed, over the mean square
    prediction of A, square root), jackknife bias-corrected over pairs of runs, with a Student t
    interval at 95% (K - 1 degrees of freedom). Verdict against the margin 0.1: 'equal within
    margin' if the interval lies below it, 'not equal' if above, else 'inconclusive'.

    --paired says run s of A and run s of B belong together (one seed, or one trained model):
    the pairing then narrows the interval, and the runs are also compared one by one
    (paired_deviation, the largest relative deviation of a pair; 'exactly invariant' when every
    pair agrees to 1e-7). Without it the two ensembles are independent, and pairing them by index
    is harmless.

    JSON keys: verdict, exact, distributional, effect, interval, margin, confidence, alpha,
    p_equal, p_differ, difference_detected (the interval of rho^2 lies above 0), paired,
    paired_deviation, runs, outputs, squared_effect, squared_standard_error.

    OPTIONS:
    \(options.rendered)

    EXAMPLE:
      symmetry-probe verdict --reference f_S.npy --transformed f_gS.npy --paired --format json
    """

  var reference: URL
  var transformed: URL
  var paired: Bool
  var format: OutputFormat

  init(_ arguments: inout ArgumentList) throws {
    reference = URL(fileURLWithPath: try arguments.required("reference"))
    transformed = URL(fileURLWithPath: try arguments.required("transformed"))
    paired = arguments.flag("paired")
    format = try OutputFormat.parse(&arguments, allowed: [.text, .json])
    try arguments.finish()
  }

  /// The runs of a file: row s of a (K, ...) array, flattened.
  static func runs(_ array: NumPyArray, path: String) throws -> [[Double]] {
    guard let count = array.shape.first, array.shape.count >= 1 else {
      throw ProbeError.mismatch(
        "\(path) holds a single number; save an array of shape (K, ...), one row per run")
    }
    let width = count == 0 ? 0 : array.values.count / count
    return (0..<count).map { Array(array.values[($0 * width)..<(($0 + 1) * width)]) }
  }

  func run() throws {
    let a = try NumPyArray(npyAt: reference)
    let b = try NumPyArray(npyAt: transformed)
    guard a.shape == b.shape else {
      throw ProbeError.mismatch(
        "\(reference.path) has shape \(a.shape) but \(transformed.path) has shape \(b.shape); both hold K runs of the same outputs"
      )
    }
    let comparison = try EnsembleComparison(
      reference: try Self.runs(a, path: reference.path),
      transformed: try Self.runs(b, path: transformed.path),
      paired: paired)
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(
        try RunMetadata().annotate(String(decoding: try encoder.encode(comparison), as: UTF8.self)))
    default:
      let m = comparison.measurement
      print(
        """
        verdict: \(comparison.verdict)
        distributional: \(comparison.distributional) (rho \(intervalText(m.effect, lower: m.interval[0], upper: m.interval[1], decimals: 4)) \
        at 95%, margin \(m.margin), p(equal) \(String(format: "%.3g", comparison.pEqual)), p(differ) \(String(format: "%.3g", comparison.pDiffer)); \
        \(m.differenceDetected ? "a difference is detected" : "no difference detected"))
        exact: \(comparison.exact)\(comparison.pairedDeviation.map { String(format: " (pairs part by %.2e)", $0) } ?? " (unpaired runs)")
        \(comparison.runs) runs of \(comparison.outputs) outputs per ensemble\(comparison.paired ? ", paired" : ", independent")
        """)
    }
  }
}
