import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe probe`: is a learner from outside Swift (any program that reads and writes
/// `.npy` files) algorithmically or functionally invariant to an action?
struct ProbeCommand: Command {
  static let name = "probe"
  static let abstract =
    "Probe a learner from outside Swift (a command reading and writing .npy files)."
  static let options: [OptionDoc] = [
    OptionDoc("learner", "'COMMAND'", "the learner's command template (above)"),
    OptionDoc("action", "G", "an action name (see 'symmetry-probe actions')"),
    OptionDoc("seeds", "K", "pairs at the first look, at least 3 (default 16)"),
    OptionDoc("max-seeds", "K", "the most pairs (default 4 x --seeds)"),
    OptionDoc("elements", "E", "group elements drawn (default 3; duplicates dropped)"),
    .seed("the elements and the runs"),
    OptionDoc("jobs", "N", "runs at the same time (default 1)"),
    OptionDoc("timeout", "SECONDS", "per run (default 600)"),
    OptionDoc("cache", "DIR", "the run cache (default symmetry-probe-cache)"),
    .dataset("fixture images"), .size(default: 8),
    .train("fixture training images", default: "128"), .test("fixture test images", default: "100"),
    OptionDoc("train-x", "X.npy", "your own (n, H, W, C) training images instead of the fixtures"),
    OptionDoc("train-y", "Y.npy", "their (n, k) targets"),
    OptionDoc("test-x", "T.npy", "your own (m, H, W, C) test images"),
    OptionDoc("test-y", "TY.npy", "their (m, k) targets (optional: for the test loss)"),
    .format("text (default), json or markdown"),
    .output("probe.md, probe.json and probe.svg (a forest plot)"),
  ]

  /// The options that choose fixture images, which your own arrays replace.
  static let fixtureOptions = ["dataset", "size", "train", "test"]

  /// Your own arrays.
  static let arrayOptions = ["train-x", "train-y", "test-x", "test-y"]
  static let help = """
    USAGE: symmetry-probe probe --learner 'COMMAND' --action G
             [--seeds K] [--max-seeds K] [--elements E] [--seed N] [--jobs N] [--timeout SECONDS]
             [--cache DIR] [--dataset cifar10|digits] [--size N] [--train N] [--test M]
             [--train-x X.npy --train-y Y.npy --test-x T.npy [--test-y TY.npy]]
             [--format text|json|markdown] [--output DIR]

    Runs your learner, a shell command, once per arm and seed, and asks whether it is
    algorithmically invariant to the action g (the model trained on g.S, evaluated at g x,
    against the model trained on S, evaluated at x, in distribution over seeds) and whether it
    is functionally invariant (one trained model at g x against x). COMMAND is a template with
    the placeholders
      {train_x}      an (n, H, W, C) float64 .npy of training images the tool writes
      {train_y}      an (n, k) float64 .npy of targets (centred one-hot for the fixtures)
      {test_x}       an (m, H, W, C) float64 .npy of the images to predict; for the S runs the
                     test images and their moved copies are stacked in this one file, so the
                     learner needs no notion of actions
      {predictions}  where the learner writes its (m, k) float64 .npy of predictions
      {seed}         the run's seed, an integer below 2^31 (the S run and the g.S runs of one
                     pair share it)
    e.g. 'python3 fit.py --train-x {train_x} --train-y {train_y} --test-x {test_x} --out {predictions} --seed {seed}'.

    Per pair r: one run on S (x and g_1 x ... g_E x stacked) and one on g_e.S per element. The
    statistic is the ensemble probe's (see 'symmetry-probe train --help'): rho, the distance
    between two ensembles' output distributions relative to the rms prediction, jackknife
    bias-corrected, t intervals, margin 0.1, the worst of E elements; functional and
    algorithmic are one family (Holm at family-wise error 0.05). Pairs double from K while a
    verdict is undecided. Exact evidence: the functional pairs are one model at two inputs, so
    any deviation above 1e-3 (relative) breaks functional invariance for that training set and
    agreement to 1e-7 everywhere is exact; the algorithmic pairs only share a seed, so their
    agreement is exact evidence and their disagreement none ('unknown').

    Runs execute in parallel up to --jobs, each stopped after --timeout seconds. Every finished
    run is cached in --cache under a hash of its inputs, its seed and the command, so a probe
    that was interrupted (or failed) resumes where it stopped when run again. A failing run
    (non-zero exit, timeout, no predictions, wrong shape, NaN or infinite values) stops the
    probe with its arm, pair, seed and the last lines of its standard error; the runs already
    finished stay in the cache.

    JSON keys: functional_verdict, algorithmic_verdict, and under functional and algorithmic:
    verdict, exact, distributional, effect, interval, element_effects, element_intervals,
    p_equal, p_differ, paired_deviation, difference_detected; learner, action, data, elements,
    seed, pairs, runs, margin, alpha, confidence, multiplicity, test_loss, and run metadata.

    OPTIONS:
    \(options.rendered)

    EXAMPLE: the random-features network in examples/ under O(d)
      symmetry-probe probe --action orthogonal --jobs 2 \\
        --learner 'python3 examples/random_features.py {train_x} {train_y} {test_x} {predictions} {seed}'
    """

  var learner: CommandLearner
  var action: any ActionFamily
  var parameters = ActionParameters()
  var probe: LearnerInvarianceProbe
  var elements: Int
  var source: DataSource
  var format: OutputFormat
  var output: URL?

  /// Where the images come from.
  enum DataSource {
    case fixtures(DataSet, size: Int, train: Int, test: Int)
    case arrays(trainX: URL, trainY: URL, testX: URL, testY: URL?)
  }

  init(_ arguments: inout ArgumentList) throws {
    let template = try arguments.required("learner")
    action = try ActionCatalogue.family(named: try arguments.required("action"))
    let seeds = try arguments.option("seeds", .integer(atLeast: 3)) ?? 16
    let maxSeeds = try arguments.option("max-seeds", .integer(atLeast: seeds)) ?? 4 * seeds
    elements = try arguments.option("elements", .positiveInteger) ?? 3
    let seed = try arguments.option("seed", .seed) ?? 0
    let jobs = try arguments.option("jobs", .positiveInteger) ?? 1
    let timeout = try arguments.option("timeout", .positiveNumber) ?? 600
    let cache =
      try arguments.folder("cache")
      ?? URL(fileURLWithPath: "symmetry-probe-cache", isDirectory: true)
    if Self.arrayOptions.contains(where: { arguments.contains($0) }) {
      try arguments.refuse(
        Self.fixtureOptions,
        because: "your own arrays (--train-x, --train-y, --test-x) replace the fixture images")
      let arrays = try Self.arrayOptions.map { (name: String) throws(CommandLineError) in
        try arguments.file(name)
      }
      guard let trainX = arrays[0], let trainY = arrays[1], let testX = arrays[2] else {
        throw CommandLineError.invalidValue(
          option: "--train-x/--train-y/--test-x", value: "only some of them",
          expected: "all three (your own arrays), or none (the fixtures)")
      }
      source = .arrays(trainX: trainX, trainY: trainY, testX: testX, testY: arrays[3])
    } else {
      source = .fixtures(
        try arguments.dataSet("dataset") ?? .cifar10,
        size: try arguments.option("size", .positiveInteger) ?? 8,
        train: try arguments.option("train", .positiveInteger) ?? 128,
        test: try arguments.option("test", .positiveInteger) ?? 100)
    }
    format = try OutputFormat.parse(&arguments)
    output = try arguments.folder("output")
    try arguments.finish()
    learner = try CommandLearner(template: template, cache: cache, timeout: timeout)
    probe = LearnerInvarianceProbe(seeds: seeds, maxSeeds: maxSeeds, seed: seed, jobs: jobs)
  }

  /// The images, targets and a line saying what they are.
  func loadData() throws -> (
    train: ImageBatch, targets: Matrix, test: ImageBatch, testTargets: Matrix?, description: String
  ) {
    switch source {
    case .fixtures(let dataSet, let size, let train, let test):
      let data = try ExperimentData.load(dataSet, size: size, trainCount: train, testCount: test)
      let shape = data.train.images.shape
      return (
        data.train.images, data.train.centredOneHotTargets, data.test.images,
        data.test.centredOneHotTargets,
        "\(train) \(dataSet.rawValue) training images of \(shape), \(test) test images (standardised, centred one-hot targets)"
      )
    case .arrays(let trainX, let trainY, let testX, let testY):
      let train = try ImageBatch(npyAt: trainX)
      let targets = try Matrix(npyAt: trainY)
      let test = try ImageBatch(npyAt: testX)
      let testTargets = try testY.map { try Matrix(npyAt: $0) }
      return (
        train, targets, test, testTargets,
        "\(train.count) training images of \(train.shape) from \(trainX.path), \(test.count) test images from \(testX.path)"
      )
    }
  }

  func run() throws {
    let start = Date()
    try output.map { try OutputPath.checkFolder($0) }
    let data = try loadData()
    let group = try FiniteInvarianceJob.distinctElements(
      of: action, count: elements, parameters: parameters, seed: probe.seed, images: data.train)
    progress(
      "probing '\(learner.template)' under \(action.name): \(group.count) elements, \(data.description); "
        + "cache \(learner.cache.path)")
    let measurement = try probe.measure(
      learner, under: group, train: data.train, targets: data.targets, test: data.test,
      testTargets: data.testTargets, progress: progress)
    let report = LearnerInvarianceReport(
      learner: learner.template, action: action.name, data: data.description, seed: probe.seed,
      measurement: measurement)
    let metadata = RunMetadata(seed: probe.seed)
    switch format {
    case .json: print(try metadata.annotate(try report.json()))
    case .markdown: print(report.markdown())
    case .text: print(report.text())
    }
    if let output {
      try writeOutputs(
        [
          ("probe.md", report.markdown() + "\n"),
          ("probe.json", try metadata.annotate(try report.json()) + "\n"),
          ("probe.svg", report.svg()),
        ],
        into: output)
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }
}
