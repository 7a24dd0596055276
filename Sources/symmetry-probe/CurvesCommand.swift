import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe curves`: learning curves under matched and spurious symmetries.
struct CurvesCommand: Command {
  static let name = "curves"
  static let abstract = "Learning curves of kernel regression with group actions on data and model."
  static let options: [OptionDoc] = [
    .dataset(), .size(default: 8, "; cifar10: 8, 16 or 32"),
    OptionDoc("max-train", "M", "largest training set, at least 16 (default 1024)"),
    OptionDoc(
      "gap-max-train", "M",
      "cap for CNN-GAP, whose kernel costs O((H W)^2) per pair (default 512;\nonly with CNN-GAP among --architectures)"
    ),
    .architectures(default: "FCN,LCN,CNN-VEC,CNN-GAP"),
    OptionDoc("kernels", "LIST", "nngp, ntk (default: both)"),
    OptionDoc(
      "actions", "LIST",
      """
      actions on the data, each 'none', a catalogue name, or
      'patch-shuffle:K' for K x K patches (default: none, orthogonal,
      pixel-permutation, patch-shuffle:2, patch-shuffle:4,
      pixelwise-channel-rotation, translation)
      """),
    OptionDoc(
      "model-actions", "LIST",
      """
      changes of the learner: translation-average (FCN: exact mean over
      all translations of one argument), orthogonal-symmetrisation
      (CNN-GAP: Monte Carlo mean of K(g x, g x') over 4 Haar draws)
      (default: both; 'none' for neither)
      """),
    OptionDoc("repeats", "R", "repeats (default 2; 1 with --subsets first)"),
    .test("the first M test images", default: "all 1,000 of cifar10; digits: 500"),
    OptionDoc(
      "ridge", "R",
      """
      ridge relative to the mean diagonal (neural-tangents' diag_reg;
      default 1e-6: keeps the Cholesky factorisation of FCN's nearly
      singular kernels stable while moving accuracies far less than
      the spread between subsets; the report shows 1e-4 and 1e-2 too)
      """),
    OptionDoc(
      "subsets", "S",
      """
      random (default): seeded random subsets of the pool, one per
      repeat; first: the first M training images in file order, one
      repeat (neural-tangents' tutorial protocol)
      """),
    OptionDoc(
      "pool", "N",
      """
      draw the subsets from N images of the training split chosen by
      the seed (default: the whole split, 5,000 for cifar10)
      """),
    OptionDoc(
      "standardise-by", "S",
      """
      pool (default): per-channel statistics of the whole pool; train:
      of the images trained on (the union of the repeats' largest sets)
      """),
    .cache(default: "<output>/kernel-cache"),
    .depth(default: 2), .activation(default: .relu),
    .seed("subsets and group draws"),
    .format("text (default), json or markdown"),
    .output("curves.json, curves.md and the SVG plots", default: "symmetry-probe-output/curves"),
    OptionDoc(
      "finite", nil,
      """
      also train finite networks by minibatch SGD on the same subsets and
      group draws (kernel "finite-sgd" in the JSON, "SGD" in the table),
      on natural and per-pixel channel-rotated data, and plot them against
      the CNN-VEC and LCN kernels (finite-accuracy.svg, finite-mse.svg);
      the options below need it
      """),
    OptionDoc("finite-architectures", "LIST", "default: CNN-VEC (LCN is the finite control)"),
    OptionDoc(
      "finite-actions", "LIST",
      "data actions to train on, from --actions\n(default: none, pixelwise-channel-rotation)"),
    OptionDoc("finite-width", "W", "channels per hidden layer (default 32)"),
    OptionDoc("finite-lr", "ETA", "SGD learning rate (default 2, for the NTK parameterisation)"),
    OptionDoc(
      "finite-parameterisation", "P",
      """
      ntk (default: z = W_std / sqrt(fan-in) W x + b_std b, N(0, 1)
      parameters) or standard (z = W x + b, W ~ N(0, W_std^2 / fan-in),
      b ~ N(0, b_std^2)): the same initial function, but one rate then
      moves the wide layers fan-in times faster, out of the kernel regime
      """),
    OptionDoc(
      "finite-fit-mse", "T",
      """
      stop each network once its training MSE is <= T (checked once per
      epoch); --finite-epochs is then the cap, and the steps taken are
      reported (train_steps in the JSON)
      """),
    OptionDoc("finite-batch", "B", "minibatch size (default 32)"),
    OptionDoc(
      "finite-epochs", "E", "passes over the training set, at least 200 steps (default 50)"),
    OptionDoc(
      "finite-max-train", "M", "largest training set for the finite networks (default 512)"),
    OptionDoc(
      "finite-train-sizes", "LIST",
      "train only at these sizes of the grid (default: every size up to\n--finite-max-train)"),
    OptionDoc(
      "finite-uncentred", nil,
      """
      report f_theta itself rather than the centred network
      f_theta - f_theta0 (whose random f_0 then dominates the test MSE)
      """),
  ]

  /// The options that only the finite networks read.
  static let finiteOptions = options.map(\.name).filter { $0.hasPrefix("finite-") }
  static let help = """
    USAGE: symmetry-probe curves [--dataset cifar10|digits] [--size S] [--max-train M]
             [--architectures LIST] [--kernels nngp,ntk] [--actions LIST] [--model-actions LIST]
             [--repeats R] [--test N] [--depth L] [--activation relu|erf] [--gap-max-train M]
             [--ridge R] [--subsets random|first] [--pool N] [--standardise-by pool|train]
             [--cache DIR] [--seed N] [--format text|json|markdown] [--output DIR]
             [--finite [--finite-architectures LIST] [--finite-actions LIST] [--finite-width W]
              [--finite-lr ETA] [--finite-batch B] [--finite-epochs E] [--finite-max-train M]
              [--finite-uncentred] [--finite-parameterisation ntk|standard] [--finite-fit-mse T]
              [--finite-train-sizes LIST]]

    Kernel regression (NNGP posterior mean and NTK gradient flow at t = infinity) on a doubling
    grid of training-set sizes 16, 32, ..., M, repeated over random training subsets (the same
    subsets for every learner in a repeat; one g per action, shared by all repeats). Each
    learner's Gram matrix is computed once per action over the images the repeats use plus the
    test set and sliced for every repeat and size; LCN and CNN-VEC share theirs (their kernels
    are equal), and the matrices are kept in a cache so a rerun recomputes nothing. Prints a
    table, writes SVG plots and the JSON of every point, with a ridge sensitivity table.

    OPTIONS:
    \(options.filter { !$0.name.hasPrefix("finite") }.rendered)

    FINITE NETWORKS (docs/design.md claim 5: finite SGD CNN-VEC against its own kernel):
    \(options.filter { $0.name.hasPrefix("finite") }.rendered)
    """

  var experiment = LearningCurveExperiment()
  var format = OutputFormat.text
  var output = URL(fileURLWithPath: "symmetry-probe-output/curves", isDirectory: true)
  var cachePath: String? = nil

  init(_ arguments: inout ArgumentList) throws {
    experiment.dataActions = try [
      "none", "orthogonal", "pixel-permutation", "patch-shuffle:2",
      "patch-shuffle:4", "pixelwise-channel-rotation", "translation",
    ].map { try CurveAction(parsing: $0) }
    experiment.modelActions = ModelAction.allCases
    experiment.gapMaxTrainSize = 512
    experiment.dataSet = try arguments.dataSet("dataset") ?? .cifar10
    experiment.testCount = experiment.dataSet == .cifar10 ? 1000 : 500
    experiment.size = try arguments.option("size", .positiveInteger) ?? 8
    let maxTrain = try arguments.option("max-train", .integer(atLeast: 16)) ?? 1024
    experiment.architectures =
      try arguments.architectures("architectures") ?? experiment.architectures
    if !experiment.architectures.contains(.cnnGap) {
      try arguments.refuse(["gap-max-train"], because: "CNN-GAP is not among --architectures")
    }
    experiment.gapMaxTrainSize =
      try arguments.option("gap-max-train", .positiveInteger) ?? experiment.gapMaxTrainSize
    experiment.kinds = try arguments.choices("kernels") ?? experiment.kinds
    if let names = try arguments.list("actions") {
      experiment.dataActions = try names.map { try CurveAction(parsing: $0) }
    }
    if let names = try arguments.list("model-actions") {
      experiment.modelActions = try names.filter { $0.lowercased() != "none" }.map {
        (name: String) throws(CommandLineError) -> ModelAction in
        guard let action = ModelAction(matching: name) else {
          throw .invalidValue(
            option: "--model-actions", value: name,
            expected: ModelAction.allCases.map(\.rawValue).joined(separator: ", ") + " or none")
        }
        return action
      }
    }
    let givenRepeats = try arguments.option("repeats", .positiveInteger)
    experiment.repeats = givenRepeats ?? experiment.repeats
    experiment.testCount = try arguments.option("test", .positiveInteger) ?? experiment.testCount
    experiment.depth = try arguments.option("depth", .positiveInteger) ?? experiment.depth
    experiment.activation = try arguments.activation("activation") ?? experiment.activation
    experiment.seed = try arguments.option("seed", .seed) ?? 0
    experiment.diagReg = try arguments.option("ridge", .nonNegativeNumber) ?? experiment.diagReg
    experiment.subsets = try arguments.choice("subsets") ?? experiment.subsets
    if experiment.subsets == .first {
      guard (givenRepeats ?? 1) == 1 else {
        throw CommandLineError.invalidValue(
          option: "--repeats", value: "\(givenRepeats ?? 1)",
          expected: "1 with --subsets first, which has exactly one training set per size")
      }
      experiment.repeats = 1
    }
    experiment.poolSize = try arguments.option("pool", .positiveInteger)
    experiment.standardiseBy = try arguments.choice("standardise-by") ?? experiment.standardiseBy
    cachePath = try arguments.option("cache")
    experiment.sensitivityRidges = Set([experiment.diagReg, 1e-6, 1e-4, 1e-2]).sorted()
    if arguments.flag("finite") {
      var finite = FiniteCurveExperiment()
      finite.maxTrainSize = 512
      finite.architectures =
        try arguments.architectures("finite-architectures") ?? finite.architectures
      finite.actions =
        try arguments.list("finite-actions")?.map { try CurveAction(parsing: $0).description }
        ?? finite.actions
      finite.width = try arguments.option("finite-width", .positiveInteger) ?? finite.width
      finite.learningRate =
        try arguments.option("finite-lr", .positiveNumber) ?? finite.learningRate
      finite.batchSize = try arguments.option("finite-batch", .positiveInteger) ?? finite.batchSize
      finite.epochs = try arguments.option("finite-epochs", .positiveInteger) ?? finite.epochs
      finite.maxTrainSize =
        try arguments.option("finite-max-train", .positiveInteger) ?? finite.maxTrainSize
      finite.centred = !arguments.flag("finite-uncentred")
      finite.parameterisation =
        try arguments.choice("finite-parameterisation") ?? finite.parameterisation
      finite.fittingRule = try arguments.option("finite-fit-mse", .positiveNumber).map {
        try FittingRule(trainMSE: $0)
      }
      finite.trainSizes = try arguments.list("finite-train-sizes")?.map { text in
        guard let m = Int(text), m > 0 else {
          throw CommandLineError.invalidValue(
            option: "--finite-train-sizes", value: text,
            expected: "positive sizes of the grid, e.g. 512")
        }
        return m
      }
      experiment.finite = finite
    } else {
      try arguments.refuse(
        Self.finiteOptions, because: "it sets up the finite networks, which only --finite trains")
    }
    format = try OutputFormat.parse(&arguments)
    output = try arguments.folder("output") ?? output
    try arguments.finish()
    if cachePath != "none" {
      experiment.cache = KernelCache(
        directory: cachePath.map { URL(fileURLWithPath: $0, isDirectory: true) }
          ?? output.appendingPathComponent("kernel-cache", isDirectory: true))
    }
    experiment.trainSizes = Array(sequence(first: 16) { $0 * 2 <= maxTrain ? $0 * 2 : nil })
  }

  /// The run's settings for the JSON reports.
  var metadata: RunMetadata {
    RunMetadata(
      seed: experiment.seed, dataSet: experiment.dataSet.rawValue, imageSize: experiment.size,
      depth: [experiment.depth])
  }

  func run() throws {
    let start = Date()
    try OutputPath.checkFolder(output)
    let curves = try experiment.run(progress: progress)
    switch format {
    case .text: print(curves.table(markdown: false) + "\n\n" + curves.ridgeTable(markdown: false))
    case .markdown: print(curves.table(markdown: true) + "\n\n" + curves.ridgeTable(markdown: true))
    case .json: print(try metadata.annotate(curves.json()))
    }
    var files = [
      ("curves.json", try metadata.annotate(curves.json())),
      ("curves.md", curves.table(markdown: true) + "\n\n" + curves.ridgeTable(markdown: true)),
    ]
    let label = "\(curves.dataset) \(curves.shape)"
    for metric in [LearningCurves.Metric.accuracy, .mse] {
      files.append(
        (
          "architectures-\(metric.rawValue).svg",
          curves.svg(metric, title: "Natural images, \(label): test \(metric.rawValue)") {
            $0.action == "none"
          }
        ))
    }
    for architecture in experiment.architectures {
      for kind in experiment.kinds {
        files.append(
          (
            "\(architecture.rawValue)-\(kind.rawValue)-mse.svg",
            curves.svg(
              .mse,
              title: "\(architecture.rawValue) \(kind.rawValue.uppercased()), \(label): test MSE"
            ) {
              $0.architecture == architecture.rawValue && $0.kernel == CurveKernel(kind)
            }
          ))
      }
    }
    if let finite = experiment.finite {
      progress("finite networks: \(finite.recipe)")
      let finiteArchitectures = Set(finite.architectures.map(\.rawValue)).union(["CNN-VEC", "LCN"])
      for metric in [LearningCurves.Metric.accuracy, .mse] {
        files.append(
          (
            "finite-\(metric.rawValue).svg",
            curves.svg(
              metric, title: "Finite SGD against kernels, \(label): test \(metric.rawValue)"
            ) {
              finiteArchitectures.contains($0.architecture) && finite.actions.contains($0.action)
                && $0.actedOn == .data
            }
          ))
      }
    }
    try writeOutputs(files, into: output)
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }
}
