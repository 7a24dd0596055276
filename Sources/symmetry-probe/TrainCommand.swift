import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe train`: is a finite network trained by an optimiser invariant to an action?
struct TrainCommand: Command {
  static let name = "train"
  static let abstract = "Probe finite networks trained by gd, sgd or adam: weight transport and ensembles."
  static let help = """
    USAGE: symmetry-probe train --architecture A[,A...] --action G[,G...] --optimizer gd|sgd|adam[,...]
             [--width N] [--seeds K] [--max-seeds K] [--steps S] [--lr ETA] [--batch B] [--depth L]
             [--activation relu|erf] [--padding P] [--size N] [--train N] [--test M] [--seed N]
             [--shift DY,DX] [--elements E] [--held-out] [--uncentred] [--transport-paired]
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
                        against K trained on S tested at x*, run s of every arm from the same
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
    zero_predictor_loss, transport_paired. Progress goes to standard error.

    OPTIONS:
      --architecture A  \(NamedArchitecture.allCases.map(\.rawValue).joined(separator: ", "))
      --action G        an action name (see 'symmetry-probe actions')
      --optimizer O     gd (lr 1), sgd (lr 0.5, batch 32) or adam (lr 0.001, full batch)
      --width N         channels or units of every hidden layer (default 32)
      --seeds K         networks per ensemble at the first look, at least 3 (default 16)
      --max-seeds K     the most networks per ensemble (default 4 x --seeds)
      --steps S         optimiser steps (default 100)
      --lr ETA          learning rate (default per optimizer, above)
      --batch B         minibatch size for sgd and adam
      --depth L         hidden layers (default 1)
      --activation F    relu (default) or erf
      --padding P       circular (default), same or valid
      --size N          image side after average pooling: 4, 8 (default), 16 or 32
      --train N         training images (default 128); --test M test images (default 500;
                        at most 500 with --held-out)
      --seed N          seed of the action, the initialisations and the batch order (default 0)
      --shift DY,DX     use this translation instead of random ones (one element)
      --elements E      group elements drawn per cell (default 3; duplicates dropped)
      --held-out        confirmation: train and test images drawn by --seed from those after
                        the first 1,024 train and 500 test images (which tuning runs used),
                        and every stream re-derived, so no tuning run is repeated
      --uncentred       the ensembles train f_theta itself instead of the centred learner
                        f_theta - f_theta0 (fit Y + f_theta0(X), predict f_T(x) - f_theta0(x)),
                        so the random initial function stays in the test predictions
      --transport-paired  pair each g.S arm with its own S arm trained from the transported
                        parameters T_g(theta_s) instead of theta_s (same law of f_S(x), since
                        T_g keeps the initialisation's; the pairs then differ only by the
                        optimiser's break, which narrows the interval of rho). Every element
                        must lift ('lifts' true); costs E instead of 1 S arm per look
      --format F        text (default), json or markdown
      --samples DIR     keep the raw material: every look's test predictions of every network
                        (moved: one array per element; original, fresh; targets; outputs) as
                        DIR/ARCH_ACTION_OPTIMIZER_pairsA-B.json, for statistics of your own
      --null-arm        with --samples, also train K networks on S from fresh seeds per look
                        (the 'fresh' array: S against S, the probe's own noise; not used by
                        the verdict, half as much training again)
      --output DIR      also write finite-invariance.md, .json (the array of reports) and .svg
                        (a forest plot: rho and its interval per cell, the margin, the
                        verdicts, the transport) into DIR

    EXAMPLE: does Adam keep the O(d) symmetry of a fully connected network?
      symmetry-probe train --architecture FCN --action orthogonal --optimizer adam --format json
    """

  var grid: FiniteInvarianceGrid
  var format = OutputFormat.text
  var output: URL?
  var samples: URL?

  init(_ arguments: inout ArgumentList) throws {
    let positive = "a positive integer"
    var job = FiniteInvarianceJob()
    let architectureNames = try arguments.list("architecture") ?? [try arguments.required("architecture")]
    let architectures =
      architectureNames == ["all"]
      ? NamedArchitecture.allCases : try architectureNames.map { try NamedArchitecture(named: $0) }
    let actionNames = try arguments.list("action") ?? [try arguments.required("action")]
    let actions: [any ActionFamily] =
      actionNames == ["all"]
      ? ActionCatalogue.families : try actionNames.map { try ActionCatalogue.family(named: $0) }
    let optimizerNames = try arguments.list("optimizer") ?? [try arguments.required("optimizer")]
    let batch = try arguments.option("batch", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
    let rate = try arguments.option("lr", expected: "a positive number") {
      Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    }
    let optimizers = try optimizerNames.map { name in
      let optimizer = try FiniteInvarianceJob.defaultOptimizer(named: name, batchSize: batch)
      guard let rate else { return optimizer }
      switch optimizer {
      case .gradientDescent: return .gradientDescent(learningRate: rate)
      case .sgd(_, let size): return .sgd(learningRate: rate, batchSize: size)
      case .adam(_, let size, let beta1, let beta2, let epsilon):
        return .adam(learningRate: rate, batchSize: size, beta1: beta1, beta2: beta2, epsilon: epsilon)
      }
    }
    job.width = try arguments.option("width", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? job.width
    job.seeds = try arguments.option("seeds", expected: "an integer of at least 3") { Int($0).flatMap { $0 > 2 ? $0 : nil } } ?? job.seeds
    job.maxSeeds = try arguments.option("max-seeds", expected: "an integer of at least --seeds") { Int($0).flatMap { $0 >= job.seeds ? $0 : nil } }
    job.steps = try arguments.option("steps", expected: "a non-negative integer") { Int($0).flatMap { $0 >= 0 ? $0 : nil } } ?? job.steps
    job.depth = try arguments.option("depth", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? job.depth
    job.activation = try arguments.option("activation").map { try Activation(named: $0) } ?? job.activation
    job.padding = try arguments.choice("padding") as Padding? ?? job.padding
    job.size = try arguments.option("size", expected: "4, 8, 16 or 32") { Int($0).flatMap { [4, 8, 16, 32].contains($0) ? $0 : nil } } ?? job.size
    job.trainCount = try arguments.option("train", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? job.trainCount
    job.testCount = try arguments.option("test", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? job.testCount
    job.seed = try arguments.option("seed", expected: "a non-negative integer") { UInt64($0) } ?? job.seed
    job.parameters.shift = try arguments.option("shift", expected: "two integers DY,DX, e.g. 1,-2") { text in
      let parts = text.split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
      return parts.count == 2 ? PixelShift(dy: parts[0], dx: parts[1]) : nil
    }
    job.elements = try arguments.option("elements", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? job.elements
    job.heldOut = arguments.flag("held-out")
    job.centred = !arguments.flag("uncentred")
    job.transportPaired = arguments.flag("transport-paired")
    format = try OutputFormat.parse(&arguments, allowed: [.text, .json, .markdown])
    output = try arguments.option("output").map { URL(fileURLWithPath: $0, isDirectory: true) }
    samples = try arguments.option("samples").map { URL(fileURLWithPath: $0, isDirectory: true) }
    let nullArm = arguments.flag("null-arm")
    if nullArm && samples == nil {
      throw CommandLineError.invalidValue(
        option: "--null-arm", value: "without --samples",
        expected: "--samples DIR as well (the null arm is only kept in the samples)")
    }
    job.nullArm = nullArm
    try job.parameters.requireApplicable(to: actions)
    try arguments.finish()
    grid = FiniteInvarianceGrid(
      template: job, architectures: architectures, actions: actions, optimizers: optimizers)
  }

  /// The run's settings for the JSON reports.
  var metadata: RunMetadata {
    let job = grid.template
    return RunMetadata(seed: job.seed, dataSet: job.dataSet.rawValue, imageSize: job.size, depth: [job.depth])
  }

  func run() throws {
    let start = Date()
    try output.map { try OutputPath.checkFolder($0) }
    if let samples {
      try OutputPath.checkFolder(samples)
      try OutputPath.createFolder(samples)
    }
    let encoder = JSONEncoder()
    let reports = try grid.run(progress: progress, samples: samples.map { directory in
      { job, sample, pairs in
        let name =
          "\(job.architecture.rawValue)_\(job.action.name)_\(job.optimizer.name)_pairs\(pairs.lowerBound)-\(pairs.upperBound - 1).json"
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
        ("finite-invariance.json", try metadata.annotate(array) + "\n"), ("finite-invariance.svg", FiniteInvarianceGrid.svg(reports)),
      ]
      try writeOutputs(files, into: output)
    }
    progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
  }
}
