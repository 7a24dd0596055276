import Foundation
import Probes

/// `symmetry-probe bench`: time the kernel engine and the linear algebra against references.
struct BenchCommand: Command {
  static let name = "bench"
  static let abstract = "Time the kernel workloads and the linear algebra, with reference ratios."
  static let options: [OptionDoc] = [
    OptionDoc("workload", "NAME", "repeatable or comma-separated (default: all)"),
    OptionDoc("repeats", "R", "runs per workload for the median (default 3)"),
    OptionDoc(
      "format", "F",
      """
      text (default) or json, printed to standard output; json keys:
      workload, seconds, rate, rate_unit, peak_memory_bytes,
      reference_seconds, reference_size, speedup_vs_reference (the last
      three null without a reference), arithmetic_limit_seconds,
      fraction_of_arithmetic_limit, peak_gflops (null except for the
      gap, vec and fcn kernels), claims_gap_pool_seconds (null except
      for the CNN-GAP kernels), neural_tangents_seconds and
      speedup_vs_neural_tangents (null except for gap8, gap16, vec8,
      vec16 and fcn)
      """),
  ]
  static let help = """
    USAGE: symmetry-probe bench [--workload NAME ...] [--repeats R] [--format text|json]

    Runs each workload R times (median), reports the time, the rate (image pairs/s or GFLOP/s),
    the peak resident memory, and the ratio to the project's straightforward reference
    implementation (the layer-by-layer kernel definition, the triple-loop product, the
    Cholesky–Banachiewicz recursion) measured in the same run on a subset and extrapolated by its
    rate. For the unstaged kernel workloads the last column is the arithmetic limit: the
    engine's floating-point operations, square roots and divisions (counted from its source)
    at the multiply-add, square-root and division rates measured on the cores in the same run,
    and the fraction of it the workload reached. For the CNN-GAP workloads a last line projects
    the rate onto the claims' CNN-GAP pool Grams at that image size (8 Grams of 1,024 pool and
    1,000 test images, as `claims --scale large` computes at 16x16). The training workload has no reference (its rate is images per second through forward
    and backward passes); the cache workload's reference is the same learning-curve run with an
    empty kernel cache (cold), its time the warm rerun. Build with -c release: unoptimised timings mean nothing.

    WORKLOADS (kernels: NNGP + NTK train-train, ReLU, 3x3 circular, depth 3, standard-normal inputs):
    \(BenchmarkWorkload.allCases.map { "  " + $0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

    OPTIONS:
    \(options.rendered)
    """

  var workloads = BenchmarkWorkload.allCases
  var repeats = 3
  var format = OutputFormat.text

  init(_ arguments: inout ArgumentList) throws {
    workloads = try arguments.choices("workload") ?? workloads
    repeats = try arguments.option("repeats", .positiveInteger) ?? repeats
    format = try OutputFormat.parse(&arguments, allowed: [.text, .json])
    try arguments.finish()
  }

  func run() throws {
    var results: [BenchmarkResult] = []
    for workload in workloads {
      progress("running \(workload.rawValue) (\(workload.summary))")
      results.append(try workload.run(repeats: repeats, progress: progress))
    }
    if format == .json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(
        try RunMetadata().annotate(String(decoding: try encoder.encode(results), as: UTF8.self)))
      return
    }
    var rows = [
      [
        "workload", "seconds", "rate", "peak memory", "reference (extrapolated)", "speedup",
        "neural-tangents", "vs nt", "arithmetic limit",
      ]
    ]
    for r in results {
      rows.append([
        r.workload, String(format: "%.3f", r.seconds),
        String(format: "%.3g %@", r.rate, r.rateUnit),
        r.peakMemoryBytes.map { String(format: "%.0f MB", Double($0) / 1e6) } ?? "n/a",
        r.referenceSeconds.map { seconds in
          r.referenceSize.map { String(format: "%.3g s (n = %d)", seconds, $0) }
            ?? String(format: "%.3g s (cold)", seconds)
        } ?? "-",
        r.speedupVsReference.map { String(format: "%.1fx", $0) } ?? "-",
        r.neuralTangentsSeconds.map { String(format: "%.2f s", $0) } ?? "",
        r.speedupVsNeuralTangents.map { String(format: "%.1fx", $0) } ?? "",
        r.arithmeticLimitSeconds.map { limit in
          String(format: "%.3g s (%.0f%%)", limit, 100 * (r.fractionOfArithmeticLimit ?? 0))
        } ?? "",
      ])
    }
    let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max()! }
    for row in rows {
      print(
        row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
          .joined(separator: "  "))
    }
    let projections = results.compactMap { r in
      r.claimsPoolSeconds.map { String(format: "%@ %.2f h", r.workload, $0 / 3600) }
    }
    if !projections.isEmpty {
      let work = ClaimsGapPool.large
      print(
        "claims' CNN-GAP pool Grams (\(work.grams) x (U(U+1)/2 + T U), U = \(work.poolImages), "
          + "T = \(work.testImages): \(String(format: "%.4g", work.imagePairs)) image pairs) "
          + "at these rates: " + projections.joined(separator: ", "))
    }
  }
}
