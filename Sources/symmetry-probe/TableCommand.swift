import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe table`: the invariance table for any subset, and (with no arguments to the
/// tool) the main job.
struct TableCommand: Command {
  static let name = "table"
  static let abstract = "Measure which learners are invariant to which actions (the main job)."
  static let options: [OptionDoc] =
    [
      .architectures(default: "all"),
      OptionDoc("activations", "LIST", "relu, erf (default: both)"),
      OptionDoc("actions", "LIST", "action names (default: all; see 'symmetry-probe actions')"),
      .depth(default: 2), .filter, .padding,
      .layers("add your own architecture as a row (repeatable)"),
      .dataset(), .size(default: 8),
      .train("probe images", default: "8"), .test("probe test images", default: "4"),
    ] + OptionDoc.element.filter { $0.name != "turns" } + [
      .format("text (default), json or markdown"),
      .output("invariance-table.md, .json and .svg"),
      OptionDoc(
        "explain", nil,
        """
        also print, for every row, which path computes its kernels (the
        fast engine, or the reference definition and why) and the reason
        behind every predicted verdict (to standard error)
        """),
    ]

  static let help = """
    USAGE: symmetry-probe table [--architectures LIST] [--activations LIST] [--actions LIST]
             [--depth L] [--filter K] [--padding P] [--layers SPEC ...]
             [--dataset cifar10|digits] [--size S] [--train N] [--test M] [--seed N]
             [--shift DY,DX] [--patch K] [--format text|json|markdown] [--output DIR]
             [--explain]

    For every learner (architecture x activation, NNGP and NTK) and every action g, measures on
    real images X (train) and X* (test), with A = X and X* together:
      algorithmic deviation  max |K(gA, gX) - K(A, X)| / max |K(A, X)|
      functional deviation   max |K(A, gX) - K(A, X)| / max |K(A, X)|
    and gives a verdict: '=' invariant (<= 1e-10, round-off), 'x' not invariant (> 1e-4),
    '?' inconclusive. Every architecture's layers predict its verdicts (the first layer that
    breaks a symmetry, or "kept by every layer"); a cell that contradicts its prediction is
    marked '!' and listed with the reason, and the command exits with status 1 (after writing
    every output) when any cell contradicts its prediction.
    Running 'symmetry-probe' with no arguments is 'symmetry-probe table --output
    symmetry-probe-output'.

    OPTIONS:
    \(options.rendered)

    EXAMPLE: does my architecture break pixel permutations?
      symmetry-probe table --architectures CNN-GAP --activations relu \\
        --layers "conv(3) relu conv(3) relu local(3) relu flatten readout" --actions pixel-permutation
    """

  var job = InvarianceTableJob()
  var format = OutputFormat.text
  var output: URL?
  var explain = false

  init(_ arguments: inout ArgumentList) throws {
    job.architectures = try arguments.architectures("architectures") ?? job.architectures
    if let names = try arguments.list("activations") {
      job.activations = try names.map { try Activation(named: $0) }
    }
    if let names = try arguments.list("actions") {
      job.actions = try names.map { try ActionCatalogue.family(named: $0) }
    }
    job.depth = try arguments.option("depth", .positiveInteger) ?? job.depth
    job.filterSize = try arguments.option("filter", .positiveInteger) ?? job.filterSize
    job.padding = try arguments.choice("padding") as Padding? ?? job.padding
    while let spec = try arguments.option("layers") {
      job.customArchitectures.append(
        (spec, try Architecture(parsing: spec, filterSize: job.filterSize, padding: job.padding)))
    }
    job.dataSet = try arguments.dataSet("dataset") ?? job.dataSet
    job.size = try arguments.option("size", .positiveInteger) ?? job.size
    job.trainCount = try arguments.option("train", .positiveInteger) ?? job.trainCount
    job.testCount = try arguments.option("test", .positiveInteger) ?? job.testCount
    job.seed = try arguments.option("seed", .seed) ?? job.seed
    job.parameters = try ActionParameters.parse(&arguments, for: job.actions, turns: false)
    explain = arguments.flag("explain")
    format = try OutputFormat.parse(&arguments)
    output = try arguments.folder("output")
    try arguments.finish()
  }

  /// The run's settings for the JSON reports.
  var metadata: RunMetadata {
    RunMetadata(
      seed: job.seed, dataSet: job.dataSet.rawValue, imageSize: job.size, depth: [job.depth])
  }

  func run() throws {
    let start = Date()
    if explain {
      for row in try job.rows() {
        guard let architecture = row.kernel as? Architecture else { continue }
        progress("\(row.name) \(row.activation): kernels by \(architecture.kernelPath)")
      }
    }
    try output.map { try OutputPath.checkFolder($0) }
    let table = try job.run(progress: progress)
    if explain { progress(table.explanation()) }
    switch format {
    case .text: print(table.text())
    case .markdown: print(table.markdown())
    case .json: print(try metadata.annotate(table.json()))
    }
    if let output {
      let files = [
        ("invariance-table.md", table.markdown()),
        ("invariance-table.json", try metadata.annotate(table.json())),
        ("invariance-table.svg", table.svg()),
      ]
      try writeOutputs(files, into: output)
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
    let contradictions = table.contradictions.count
    if contradictions > 0 { throw ContradictedPredictions(count: contradictions) }
  }
}

/// The table was measured and written, but some cells contradict the verdicts their layers
/// predict: a symmetry rule or the measurement is wrong, and a script must notice (exit 1).
struct ContradictedPredictions: Error, CustomStringConvertible {
  let count: Int
  var description: String {
    "\(count) \(count == 1 ? "cell contradicts" : "cells contradict") the verdicts their layers predict (listed above with the reasons); "
      + "either a layer's symmetry rule or the measurement is wrong: rerun with more probe images "
      + "(--train, --test) to rule out an inconclusive measurement, then report the cells"
  }
}

/// A progress line on standard error (standard output stays machine-readable).
func progress(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
