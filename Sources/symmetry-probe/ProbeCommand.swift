import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe probe`: is a learner from outside Swift (any program that reads and writes
/// `.npy` files) algorithmically or functionally invariant to an action?
struct ProbeCommand: Command {
  static let name = "probe"
  static let abstract = "Probe a learner from outside Swift (a command reading and writing .npy files)."
  static let help = """
    USAGE: symmetry-probe probe --learner 'COMMAND' --action G
             [--seeds K] [--max-seeds K] [--elements E] [--seed N] [--jobs N] [--timeout SECONDS]
             [--cache DIR] [--data-set cifar10|digits] [--size N] [--train N] [--test M]
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
      --learner 'COMMAND'  the learner's command template (above)
      --action G           an action name (see 'symmetry-probe actions')
      --seeds K            pairs at the first look, at least 3 (default 16)
      --max-seeds K        the most pairs (default 4 x --seeds)
      --elements E         group elements drawn (default 3; duplicates dropped)
      --seed N             seed of the elements and the runs (default 0)
      --jobs N             runs at the same time (default 1)
      --timeout SECONDS    per run (default 600)
      --cache DIR          the run cache (default symmetry-probe-cache)
      --data-set D         fixture images: cifar10 (default) or digits
      --size N             image side after average pooling (default 8)
      --train N, --test M  fixture images (default 128 and 100)
      --train-x, --train-y, --test-x, --test-y
                           your own arrays instead of the fixtures: (n, H, W, C) images,
                           (n, k) targets, (m, H, W, C) test images, (m, k) test targets
                           (optional: for the test loss)
      --format F           text (default), json or markdown
      --output DIR         also write probe.md, probe.json and probe.svg (a forest plot) into DIR

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
    let positive = "a positive integer"
    let template = try arguments.required("learner")
    action = try ActionCatalogue.family(named: try arguments.required("action"))
    let seeds = try arguments.option("seeds", expected: "an integer of at least 3") { Int($0).flatMap { $0 > 2 ? $0 : nil } } ?? 16
    let maxSeeds = try arguments.option("max-seeds", expected: "an integer of at least --seeds") { Int($0).flatMap { $0 >= seeds ? $0 : nil } } ?? 4 * seeds
    elements = try arguments.option("elements", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 3
    let seed = try arguments.option("seed", expected: "a non-negative integer") { UInt64($0) } ?? 0
    let jobs = try arguments.option("jobs", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 1
    let timeout = try arguments.option("timeout", expected: "a positive number of seconds") {
      Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    } ?? 600
    let cache = URL(fileURLWithPath: try arguments.option("cache") ?? "symmetry-probe-cache", isDirectory: true)
    let dataSet = try arguments.option("data-set").map { try DataSet(named: $0) } ?? .cifar10
    let size = try arguments.option("size", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 8
    let trainCount = try arguments.option("train", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 128
    let testCount = try arguments.option("test", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 100
    let arrays = try ["train-x", "train-y", "test-x", "test-y"].map { try arguments.option($0).map { URL(fileURLWithPath: $0) } }
    if arrays.contains(where: { $0 != nil }) {
      guard let trainX = arrays[0], let trainY = arrays[1], let testX = arrays[2] else {
        throw CommandLineError.invalidValue(
          option: "--train-x/--train-y/--test-x", value: "only some of them",
          expected: "all three (your own arrays), or none (the fixtures)")
      }
      source = .arrays(trainX: trainX, trainY: trainY, testX: testX, testY: arrays[3])
    } else {
      source = .fixtures(dataSet, size: size, train: trainCount, test: testCount)
    }
    format = try OutputFormat.parse(&arguments)
    output = try arguments.option("output").map { URL(fileURLWithPath: $0, isDirectory: true) }
    try arguments.finish()
    learner = try CommandLearner(template: template, cache: cache, timeout: timeout)
    probe = LearnerInvarianceProbe(seeds: seeds, maxSeeds: maxSeeds, seed: seed, jobs: jobs)
  }

  /// The images, targets and a line saying what they are.
  func loadData() throws -> (train: ImageBatch, targets: Matrix, test: ImageBatch, testTargets: Matrix?, description: String) {
    switch source {
    case .fixtures(let dataSet, let size, let train, let test):
      let data = try ExperimentData.load(dataSet, size: size, trainCount: train, testCount: test)
      let shape = data.train.images.shape
      return (
        data.train.images, data.train.centredOneHotTargets, data.test.images, data.test.centredOneHotTargets,
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
        [("probe.md", report.markdown() + "\n"), ("probe.json", try metadata.annotate(try report.json()) + "\n"),
         ("probe.svg", report.svg())],
        into: output)
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }
}
