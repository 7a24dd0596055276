import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe train`: is a finite network trained by an optimiser invariant to an action?
struct TrainCommand: Command {
  static let name = "train"
  static let abstract =
    "Probe finite networks trained by gd, sgd or adam: weight transport and ensembles."
  static let options: [OptionDoc] = [
    OptionDoc("architecture", "A", "comma-separated, from: \(OptionDoc.architectureNames); or all"),
    .layers(
      """
      your own architecture as a layer list (repeatable; runs after the named
      ones); --depth, --activation and --padding are refused without --architecture
      """),
    OptionDoc("action", "G", "comma-separated action names (see 'symmetry-probe actions'); or all"),
    OptionDoc(
      "optimizer", "O",
      "gd (lr 1), sgd (lr 0.5, batch 32) or adam (lr 0.03, full batch);\ncomma-separated for several"
    ),
    OptionDoc("width", "N", "channels or units of every hidden layer (default 32)"),
    OptionDoc("seeds", "K", "networks per ensemble at the first look, at least 3 (default 16)"),
    OptionDoc("max-seeds", "K", "the most networks per ensemble (default 4 x --seeds)"),
    OptionDoc("steps", "S", "optimiser steps (default 100)"),
    OptionDoc("lr", "ETA", "learning rate (default per optimizer, above)"),
    OptionDoc("batch", "B", "minibatch size for sgd and adam (gd always uses the full batch)"),
    .depth(default: 1), .activation(default: .relu), .padding,
    .size(default: 8, "; 4, 8, 16 or 32"),
    .train(default: "128"),
    .test(default: "500; at most 500 with --held-out"),
    .seed("the action, the initialisations and the batch order"),
    OptionDoc("shift", "DY,DX", "use this translation instead of random ones (one element)"),
    OptionDoc("elements", "E", "group elements drawn per cell (default 3; duplicates dropped)"),
    OptionDoc(
      "held-out", nil,
      """
      confirmation: train and test images drawn by --seed from those after
      the first 1,024 train and 500 test images (which tuning runs used),
      and every stream re-derived, so no tuning run is repeated
      """),
    OptionDoc(
      "uncentred", nil,
      """
      the ensembles train f_theta itself instead of the centred learner
      f_theta - f_theta0 (fit Y + f_theta0(X), predict f_T(x) - f_theta0(x)),
      so the random initial function stays in the test predictions
      """),
    OptionDoc(
      "transport-paired", nil,
      """
      pair each g.S arm with its own S arm trained from the transported
      parameters T_g(theta_s) instead of theta_s (same law of f_S(x), since
      T_g keeps the initialisation's; the pairs then differ only by the
      optimiser's break, which narrows the interval of rho). Every element
      must lift ('lifts' true); costs E instead of 1 S arm per look
      """),
    OptionDoc(
      "parameterisation", "P",
      """
      ntk (default: z = W_std / sqrt(fan-in) W x + b_std b on N(0, 1)
      parameters) or standard (z = W x + b, W ~ N(0, W_std^2 / fan-in),
      b ~ N(0, b_std^2)): the same initial function, but one learning rate
      moves each layer fan-in / W_std^2 times faster, so rates must be
      smaller (about 1/100 of the NTK ones for a width-64 CNN-VEC at 8 x 8)
      """),
    OptionDoc(
      "probes", "P",
      """
      the inputs x* the ensembles are compared at: natural (the test images)
      or coordinates (c e_k, one image per input coordinate k, c the test
      images' root-mean-square norm; no labels, so no test loss). Default:
      coordinates for adam, whose per-coordinate steps they see (rho 0.24
      against 0.10 on test images, FCN under O(d)), natural for gd and sgd
      """),
    .format("text (default), json or markdown"),
    OptionDoc(
      "samples", "DIR",
      """
      keep the raw material: every look's test predictions of every network
      (moved: one array per element; original, fresh; targets; outputs) as
      DIR/ARCH_ACTION_OPTIMIZER_pairsA-B.json, for statistics of your own
      """),
    OptionDoc(
      "null-arm", nil,
      """
      with --samples, also train K networks on S from fresh seeds per look
      (the 'fresh' array: S against S, the probe's own noise; not used by
      the verdict, half as much training again)
      """),
    .output(
      """
      finite-invariance.md, .json (the array of reports) and .svg
      (a forest plot: rho and its interval per cell, the margin, the
      verdicts, the transport)
      """),
  ]
  static let help = """
    USAGE: symmetry-probe train (--architecture A[,A...] | --layers SPEC ...) --action G[,G...]
             --optimizer gd|sgd|adam[,...]
             [--width N] [--seeds K] [--max-seeds K] [--steps S] [--lr ETA] [--batch B] [--depth L]
             [--activation relu|erf] [--padding P] [--size N] [--train N] [--test M] [--seed N]
             [--shift DY,DX] [--elements E] [--held-out] [--uncentred] [--transport-paired]
             [--parameterisation ntk|standard] [--probes natural|coordinates]
             [--format text|json|markdown] [--output DIR]
             [--samples DIR [--null-arm]]

    Trains finite networks (NTK parameterisation, i.i.d. N(0, 1) initialisation, loss half the
    mean squared error on centred one-hot targets) on CIFAR-10 images at 8 x 8 and asks whether
    the learner is algorithmically invariant to the action g: f_{g.S}(g x) = f_S(x) in
    distribution over initialisations. Two probes:
      weight transport  the parameters theta' with M(theta', x) = M(theta, g x), if they exist
                        in the architecture's own family ('lifts'); then trains on g.S from theta
                        and on S from theta' with the same batch order and reports the relative
                        deviation of the two runs (round-off when the optimiser commutes with
                        the transport; Adam does only with coordinate permutations)
      ensemble          K centred networks f_theta - f_theta0 trained on g.S tested at g x*
                        against K trained on S tested at x* (the test images, or for adam
                        one probe per input coordinate: --probes), run s of every arm from the same
                        initial parameters theta_s; effect rho = the distance between the two
                        ensembles' output distributions (per output: squared gap of the means
                        plus squared gap of the standard deviations, summed, over the mean
                        square prediction, square root), jackknife bias-corrected, with t
                        p-values against the margin 0.1
    Each cell probes E group elements (3 by default, against one shared S arm) and reports two
    verdicts kept apart: exact (weight transport: 'exactly invariant', 'not exactly invariant',
    or 'unknown' when g does not lift) and distributional ('equal within margin' if every
    element's rho is below 0.1, 'not equal' if one is above, else 'inconclusive'), and a summary
    verdict that never says plain 'invariant' when transport shows a break. The cells of one
    command form a family: Holm's procedure over their 2N one-sided tests keeps the chance of
    any wrong distributional verdict at most 5% (within a cell: intersection-union over the
    elements for 'equal', Bonferroni over them for 'not equal', Bonferroni over the looks).
    While undecided, K doubles (16, 32, 64 by default). Intervals are simultaneous over cells,
    looks and elements. Every seed derives its own streams (initialisations, batches, elements)
    by hashing, so two seeds share no run; --held-out draws fresh training and test images from
    those no tuning run saw (the confirmation).
    --architecture, --action and --optimizer take comma lists (or 'all' for every architecture
    or action): every combination runs with the same settings, progress per cell on standard
    error; --format markdown prints the table of verdicts, json an array (an object for one cell).
    JSON keys: architecture, action, optimizer, verdict, exact, distributional, lifts,
    transport_deviation (the largest over the elements that lift; null when none does),
    ensemble_effect and ensemble_interval (the worst element's rho and interval),
    ensemble_element_effects, ensemble_element_intervals, ensemble_confidence,
    ensemble_p_equal, ensemble_p_differ (the cell's p-values before Holm), family_size, alpha,
    multiplicity (the rule in words), and width, steps, seeds, seed, held_out, elements,
    transport_reason, ensemble_margin, ensemble_seeds, ensemble_difference_detected (some
    interval lies above 0), centred, ensemble_loss_change, ensemble_test_loss,
    zero_predictor_loss (both null on coordinate probes), transport_paired, parameterisation,
    probes (natural, or coordinates: x* = c e_k, the default for adam). Progress goes to
    standard error.

    OPTIONS:
    \(options.rendered)

    EXAMPLE: does Adam keep the O(d) symmetry of a fully connected network?
      symmetry-probe train --architecture FCN --action orthogonal --optimizer adam --format json
    """

  var grid: FiniteInvarianceGrid
  var format = OutputFormat.text
  var output: URL?
  var samples: URL?

  init(_ arguments: inout ArgumentList) throws {
    var job = FiniteInvarianceJob()
    var customArchitectures: [Architecture] = []
    while let spec = try arguments.option("layers") {
      customArchitectures.append(try Architecture(parsing: spec))
    }
    let architectureNames =
      try arguments.list("architecture")
      ?? (customArchitectures.isEmpty ? [try arguments.required("architecture")] : [])
    if architectureNames.isEmpty {
      try arguments.refuse(
        ["depth", "activation", "padding"],
        because: "a --layers list spells out its own layers, activations and padding")
    }
    let architectures =
      architectureNames.map { $0.lowercased() } == ["all"]
      ? NamedArchitecture.allCases : try architectureNames.map { try NamedArchitecture(named: $0) }
    let actionNames = try arguments.list("action") ?? [try arguments.required("action")]
    let actions: [any ActionFamily] =
      actionNames.map { $0.lowercased() } == ["all"]
      ? ActionCatalogue.families : try actionNames.map { try ActionCatalogue.family(named: $0) }
    let optimizerNames = try arguments.list("optimizer") ?? [try arguments.required("optimizer")]
    if optimizerNames.allSatisfy({ $0.lowercased() == "gd" }) {
      try arguments.refuse(
        ["batch"], because: "gd always trains on the full batch; choose sgd or adam for minibatches"
      )
    }
    let batch = try arguments.option("batch", .positiveInteger)
    let rate = try arguments.option("lr", .positiveNumber)
    let optimizers = try optimizerNames.map { name in
      let optimizer = try FiniteInvarianceJob.defaultOptimizer(
        named: name.lowercased(), batchSize: batch)
      guard let rate else { return optimizer }
      switch optimizer {
      case .gradientDescent: return .gradientDescent(learningRate: rate)
      case .sgd(_, let size): return .sgd(learningRate: rate, batchSize: size)
      case .adam(_, let size, let beta1, let beta2, let epsilon):
        return .adam(
          learningRate: rate, batchSize: size, beta1: beta1, beta2: beta2, epsilon: epsilon)
      }
    }
    job.width = try arguments.option("width", .positiveInteger) ?? job.width
    job.seeds = try arguments.option("seeds", .integer(atLeast: 3)) ?? job.seeds
    job.maxSeeds = try arguments.option("max-seeds", .integer(atLeast: job.seeds))
    job.steps = try arguments.option("steps", .nonNegativeInteger) ?? job.steps
    job.depth = try arguments.option("depth", .positiveInteger) ?? job.depth
    job.activation = try arguments.activation("activation") ?? job.activation
    job.padding = try arguments.choice("padding") ?? job.padding
    job.size = try arguments.option("size", .integer(oneOf: [4, 8, 16, 32])) ?? job.size
    job.trainCount = try arguments.option("train", .positiveInteger) ?? job.trainCount
    job.testCount = try arguments.option("test", .positiveInteger) ?? job.testCount
    job.seed = try arguments.option("seed", .seed) ?? job.seed
    job.parameters = try ActionParameters.parse(
      &arguments, for: actions, patch: false, turns: false)
    job.elements = try arguments.option("elements", .positiveInteger) ?? job.elements
    job.heldOut = arguments.flag("held-out")
    job.centred = !arguments.flag("uncentred")
    job.transportPaired = arguments.flag("transport-paired")
    job.parameterisation = try arguments.choice("parameterisation") ?? job.parameterisation
    job.probeInputs = try arguments.choice("probes")
    format = try OutputFormat.parse(&arguments, allowed: [.text, .json, .markdown])
    output = try arguments.folder("output")
    samples = try arguments.folder("samples")
    if samples == nil {
      try arguments.refuse(
        ["null-arm"], because: "the null arm is only kept in the samples; add --samples DIR as well"
      )
    }
    job.nullArm = arguments.flag("null-arm")
    try arguments.finish()
    grid = FiniteInvarianceGrid(
      template: job, architectures: architectures, customArchitectures: customArchitectures,
      actions: actions, optimizers: optimizers)
  }

  /// The run's settings for the JSON reports.
  var metadata: RunMetadata {
    let job = grid.template
    return RunMetadata(
      seed: job.seed, dataSet: job.dataSet.rawValue, imageSize: job.size, depth: [job.depth])
  }

  func run() throws {
    let start = Date()
    try output.map { try OutputPath.checkFolder($0) }
    if let samples {
      try OutputPath.checkFolder(samples)
      try OutputPath.createFolder(samples)
    }
    let encoder = JSONEncoder()
    let reports = try grid.run(
      progress: progress,
      samples: samples.map { directory in
        { job, sample, pairs in
          let name =
            "\(Self.fileStem(job))_\(job.action.name)_\(job.optimizer.name)_pairs\(pairs.lowerBound)-\(pairs.upperBound - 1).json"
          try DataFile.write(encoder.encode(sample), to: directory.appendingPathComponent(name))
        }
      })
    let pretty = JSONEncoder()
    pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
    let array = String(decoding: try pretty.encode(reports), as: UTF8.self)
    switch format {
    case .json: print(try metadata.annotate(reports.count == 1 ? try reports[0].json() : array))
    case .markdown: print(FiniteInvarianceGrid.markdown(reports))
    case .text: print(reports.map { $0.text() }.joined(separator: "\n\n"))
    }
    if let output {
      let files = [
        ("finite-invariance.md", FiniteInvarianceGrid.markdown(reports) + "\n"),
        ("finite-invariance.json", try metadata.annotate(array) + "\n"),
        ("finite-invariance.svg", FiniteInvarianceGrid.svg(reports)),
      ]
      try writeOutputs(files, into: output)
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }

  /// The architecture's part of a file name: its name, or for a layer list "layers-" and a
  /// stable 64-bit FNV-1a hash of its description (a list may be longer than a file name).
  static func fileStem(_ job: FiniteInvarianceJob) -> String {
    guard let layers = job.customLayers else { return job.architecture.rawValue }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in layers.description.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return "layers-" + String(hash, radix: 16)
  }
}
