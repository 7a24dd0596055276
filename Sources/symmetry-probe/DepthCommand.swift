import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe depth`: depth scales, NTK spectra against depth and phase diagrams of NTK
/// gradient descent (Xiao, Pennington & Schoenholz, ICML 2020).
struct DepthCommand: Command {
  static let name = "depth"
  static let abstract = "Depth scales, NTK spectra and trainability/generalisation phase diagrams."
  static let options: [OptionDoc] = [
    .architectures(default: "FCN,CNN-VEC,CNN-GAP"),
    .activation(default: .erf),
    OptionDoc("weight-variances", "LIST", "W^2 values (default 0.5,0.75,1,1.5,2,3,4)"),
    OptionDoc("bias-variance", "V", "b^2 (default 0.01)"),
    OptionDoc("depths", "LIST", "hidden layers (default 1,2,4,8,16,32,64)"),
    OptionDoc("times", "LIST", "training times (default 100,100000)"),
    .train("images per architecture", default: "256"),
    .test("test images per architecture", default: "256"),
    OptionDoc(
      "gap-train", "N",
      """
      images for CNN-GAP, whose kernel costs H W times more per pair
      (default 48); FCN is also run on them as CNN-GAP's like-for-like
      reference; only with CNN-GAP among --architectures
      """),
    OptionDoc("gap-test", "M", "test images for CNN-GAP (default 48)"),
    OptionDoc("gap-depths", "LIST", "depths for CNN-GAP (default 1,2,4,8,16,32, or --depths)"),
    .size(default: 8),
    .format("text (default) or json"),
    OptionDoc(
      "from-json", "FILE",
      """
      redraw the report and figures from a saved depth.json instead of
      computing (the computing options are then refused)
      """),
    .output(
      "depth.json, depth-spectra.svg and one\ndepth-phase-ARCH-nN-tT.svg heat map per run and time"),
    OptionDoc(
      "cache", "DIR",
      """
      keep every point's NTK matrices in the kernel cache that curves
      and claims use, so a rerun recomputes nothing (default
      <output>/kernel-cache with --output, else none; 'none' for none)
      """),
  ]

  /// The options that set up a computation, which a redrawn report does not make.
  static let computingOptions = options.map(\.name).filter {
    !["format", "from-json", "output"].contains($0)
  }

  /// The options only CNN-GAP's runs read.
  static let pooledOptions = ["gap-train", "gap-test", "gap-depths"]
  static let help = """
    USAGE: symmetry-probe depth [--architectures LIST] [--activation erf|relu]
             [--weight-variances LIST] [--bias-variance V] [--depths LIST] [--times LIST]
             [--train N] [--test M] [--gap-train N] [--gap-test M] [--gap-depths LIST]
             [--size S] [--from-json FILE] [--cache DIR]
             [--format text|json] [--output DIR]

    For every architecture, W^2 and depth L (NTK parameterisation, the same W^2, b^2 in every
    layer, readout included): the mean-field fixed points q*, c*, slopes chi_1, chi_c*, depth
    scales xi_1 = 1/|log chi_1|, xi_* = -1/(log chi_c* - log chi_1) and phase; the train-train
    NTK's lambda_max, lambda_min and condition number on CIFAR-10; and the train and test
    accuracies of the NTK gradient-flow predictor at each time t. Time is in units of the top
    mode's time constant (learning rate n k / lambda_max in neural-tangents' convention), so a
    network is trainable at time t roughly where its condition number is below t.

    OPTIONS:
    \(options.rendered)

    EXAMPLE:
      symmetry-probe depth --architectures FCN --weight-variances 0.5,3 --depths 1,8,32
    """

  var experiment = DepthExperiment()
  var format = OutputFormat.text
  var output: URL?
  var input: URL?

  init(_ arguments: inout ArgumentList) throws {
    input = try arguments.file("from-json")
    if input != nil {
      try arguments.refuse(
        Self.computingOptions, because: "--from-json redraws a saved report and computes nothing")
    }
    let architectures = try arguments.architectures("architectures") ?? [.fcn, .cnnVec, .cnnGap]
    if !architectures.contains(.cnnGap) {
      try arguments.refuse(Self.pooledOptions, because: "CNN-GAP is not among --architectures")
    }
    experiment.activation = try arguments.activation("activation") ?? experiment.activation
    experiment.weightVariances =
      try Self.numbers(
        &arguments, "weight-variances",
        "positive numbers (at W^2 = 0 every layer ignores its input: all kernels are equal and singular)"
      ) { $0 > 0 } ?? experiment.weightVariances
    experiment.biasVariance =
      try arguments.option("bias-variance", .nonNegativeNumber) ?? experiment.biasVariance
    let integers: (Double) -> Bool = { $0 >= 1 && $0 == $0.rounded() }
    let depths = try Self.numbers(&arguments, "depths", "positive integers", integers).map {
      $0.map { Int($0) }
    }
    let pooledDepths = try Self.numbers(&arguments, "gap-depths", "positive integers", integers).map
    { $0.map { Int($0) } }
    experiment.times =
      try Self.numbers(&arguments, "times", "positive numbers") { $0 > 0 } ?? experiment.times
    let counts = DepthExperiment.ImageCounts(
      train: try arguments.option("train", .positiveInteger) ?? 256,
      test: try arguments.option("test", .positiveInteger) ?? 256)
    let pooledCounts = DepthExperiment.ImageCounts(
      train: try arguments.option("gap-train", .positiveInteger) ?? 48,
      test: try arguments.option("gap-test", .positiveInteger) ?? 48)
    experiment.runs = DepthExperiment.runs(
      architectures, counts: counts, depths: depths ?? [1, 2, 4, 8, 16, 32, 64],
      pooledCounts: pooledCounts, pooledDepths: pooledDepths ?? depths ?? [1, 2, 4, 8, 16, 32])
    experiment.size = try arguments.option("size", .positiveInteger) ?? experiment.size
    format = try OutputFormat.parse(&arguments, allowed: [.text, .json])
    output = try arguments.folder("output")
    let cachePath = try arguments.option("cache")
    try arguments.finish()
    if let folder = cachePath.map({ URL(fileURLWithPath: $0, isDirectory: true) })
      ?? output?.appendingPathComponent("kernel-cache", isDirectory: true), cachePath != "none",
      input == nil
    {
      experiment.cache = KernelCache(directory: folder)
    }
  }

  /// The run's settings for the JSON reports.
  var metadata: RunMetadata {
    RunMetadata(
      dataSet: experiment.dataSet.rawValue, imageSize: experiment.size,
      depth: Array(Set(experiment.runs.flatMap(\.depths))).sorted())
  }

  func run() throws {
    let start = Date()
    if let output {
      try OutputPath.checkFolder(output)
      try OutputPath.check(
        [output.appendingPathComponent("depth.json")], inputs: input.map { [$0] } ?? [],
        creatingFolders: true)
    }
    let results = try input.map(Self.read) ?? experiment.run(progress: progress)
    switch format {
    case .json: print(try metadata.annotate(results.json()))
    default: print(results.text() + "\n\n" + results.summary())
    }
    if let output {
      var files = [
        ("depth.json", try metadata.annotate(results.json())),
        ("depth-spectra.svg", results.spectraSVG()),
      ]
      for panel in results.panels {
        for time in results.times {
          files.append(
            (DepthResults.heatMapFileName(panel, time: time), results.heatMapSVG(panel, time: time))
          )
        }
      }
      try writeOutputs(files, into: output, inputs: input.map { [$0] } ?? [])
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }

  /// The results saved in `file` by an earlier run.
  private static func read(_ file: URL) throws -> DepthResults {
    let text = String(decoding: try DataFile.read(file), as: UTF8.self)
    do {
      return try DepthResults(json: text)
    } catch {
      throw DataFileError.malformedJSON(
        path: file.path, reason: JSONReason.describe(error),
        writer: "'symmetry-probe depth --output DIR' (its depth.json)")
    }
  }

  /// A comma-separated list of finite numbers each satisfying `accept`.
  private static func numbers(
    _ arguments: inout ArgumentList, _ name: String, _ expected: String, _ accept: (Double) -> Bool
  ) throws(CommandLineError) -> [Double]? {
    guard let items = try arguments.list(name) else { return nil }
    return try items.map { (item: String) throws(CommandLineError) -> Double in
      guard let value = Double(item), value.isFinite, accept(value) else {
        throw .invalidValue(option: "--\(name)", value: item, expected: expected)
      }
      return value
    }
  }
}
