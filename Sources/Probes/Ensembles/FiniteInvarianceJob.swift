import Foundation
import Learners
import Symmetries

/// The finite-width invariance experiment of `symmetry-probe train`: one architecture, one
/// action, one optimiser, on fixture images, probed exactly (weight transport) and
/// statistically (ensembles over seeds), each with several group elements.
///
/// The defaults train depth-1 networks of width 32 (3 x 3 circular filters, ReLU, W_std =
/// sqrt(2), b_std = 0.1) for 100 steps on 128 CIFAR-10 images at 8 x 8 with centred one-hot
/// targets, and test on 500, 16 networks per ensemble; both probes use the same 3 group
/// elements, drawn from the seed. The scale was fixed for the whole grid before its verdicts
/// were known: width 32 and 128 images make a CNN-VEC training about half a second of one core
/// in release. The ensemble starts at 16 paired seeds and doubles up to 64 while undecided
/// (`EnsembleInvarianceProbe.measure`).
///
/// Seeds: every random choice comes from its own stream of the root seed (`derivedSeed`), which
/// is `seed` on the tuning images and a hash of it for a held-out confirmation, so no two seeds,
/// and no tuning run and confirmation, share an initialisation.
public struct FiniteInvarianceJob: Sendable {
  /// The named architecture (unless `customLayers` replaces it).
  public var architecture = NamedArchitecture.fcn
  /// A layer list that replaces `architecture` (and with it `depth`, `activation`, `padding`).
  public var customLayers: Architecture? = nil
  /// The activation of every hidden layer.
  public var activation = Activation.relu
  /// The number of hidden layers.
  public var depth = 1
  /// The padding of convolutional and locally connected layers.
  public var padding = Padding.circular
  /// The action family the cell is probed under.
  public var action: any ActionFamily = OrthogonalFamily()
  /// The parameters of its elements (shift, patch side, turns).
  public var parameters = ActionParameters()
  /// The optimiser every network is trained by.
  public var optimizer = Optimizer.gradientDescent(learningRate: 1)
  /// Channels of every hidden layer.
  public var width = 32
  /// Networks per ensemble at the first look of the sequential rule.
  public var seeds = 16
  /// The most networks per ensemble (nil: 4 `seeds`).
  public var maxSeeds: Int? = nil
  /// Optimiser steps per network.
  public var steps = 100
  /// The data set the images come from.
  public var dataSet = DataSet.cifar10
  /// The image side after average pooling.
  public var size = 8
  /// Training images.
  public var trainCount = 128
  /// Test images the predictions are compared on.
  public var testCount = 500
  /// The experiment seed (`rootSeed` derives every stream from it).
  public var seed: UInt64 = 0
  /// Group elements drawn per cell (distinct ones kept: a fixed `--shift` gives one).
  public var elements = 3
  /// Whether the images are held out (`ImageSelection.heldOut`): a confirmation run on images
  /// and initialisations no tuning run used.
  public var heldOut = false
  /// The cells decided together (set by `FiniteInvarianceGrid`).
  public var familySize = 1
  /// Whether the ensembles train the centred learner f_theta - f_theta0 (`CentredNetwork`), the
  /// default (see `EnsembleInvarianceProbe`). The weight-transport probe compares f_theta runs
  /// either way: f_theta0 transports with theta0, so the centred runs coincide exactly when the
  /// uncentred ones do.
  public var centred = true
  /// Whether the ensembles also train a null arm (S from fresh seeds; `EnsembleInvarianceProbe`).
  public var nullArm = false
  /// Whether the ensembles pair each g.S arm with an S arm from transported parameters
  /// (`EnsembleInvarianceProbe.transportPaired`); every element must lift.
  public var transportPaired = false
  /// The networks' parameterisation (`Parameterisation`): NTK by default; standard moves each
  /// layer fan-in / W_std^2 times faster at one learning rate.
  public var parameterisation = Parameterisation.ntk
  /// The inputs the ensembles are compared at; nil: the optimiser's default
  /// (`ProbeInputs.defaultInputs(for:)`: coordinate probes for Adam, the test images otherwise).
  public var probeInputs: ProbeInputs? = nil

  /// The default cell: FCN of depth 1, width 32, GD at rate 1 for 100 steps, under `orthogonal`.
  public init() {}

  /// The probe inputs this cell uses: `probeInputs`, or the optimiser's default.
  public var probes: ProbeInputs { probeInputs ?? ProbeInputs.defaultInputs(for: optimizer) }

  /// The architecture's name in reports: the named architecture, or the custom layer list.
  public var architectureName: String { customLayers?.description ?? architecture.rawValue }

  /// The default learning rate of each optimiser for `steps`-step runs on the default data:
  /// large enough to fit the training set in a few hundred steps, small enough not to diverge
  /// for any catalogue architecture at widths 16 to 256.
  ///
  /// Adam's rate, 0.03, was chosen in session 8 on the tuning images (seed 0, then seeds 1 and
  /// 2) as the smallest of 0.001, 0.003, 0.01 and 0.03 at which FCN under O(d) is called "not
  /// equal" on coordinate probes (rho 0.09, 0.08, 0.12, 0.24 at seed 0) while FCN under a
  /// pixel permutation stays "equal" (0.04), before any held-out run: each Adam step moves a
  /// weight by at most about the rate, so at 0.001 the first layer of an NTK-parameterised
  /// network hardly leaves its initialisation in 100 steps, and a per-coordinate optimiser that
  /// does not move its coordinates cannot show what it breaks (docs/finite-networks.md).
  public static func defaultOptimizer(named name: String, batchSize: Int? = nil) throws(ProbeError)
    -> Optimizer
  {
    switch name {
    case "gd": return .gradientDescent(learningRate: 1)
    case "sgd": return .sgd(learningRate: 0.5, batchSize: batchSize ?? 32)
    case "adam": return .adam(learningRate: 0.03, batchSize: batchSize)
    default: throw .invalidOption("unknown optimizer '\(name)'; use gd, sgd or adam")
    }
  }

  /// The seed every stream derives from: `seed` on the tuning images, its hash held out.
  public var rootSeed: UInt64 {
    heldOut ? derivedSeed(seed, stream: .confirmation, index: 0) : seed
  }

  /// The distinct group elements of the cell: `elements` draws from the `.element` stream,
  /// duplicates (same action on the training images) dropped.
  public func groupElements(for images: ImageBatch) throws -> [any GroupAction] {
    try Self.distinctElements(
      of: action, count: elements, parameters: parameters, seed: rootSeed, images: images)
  }

  /// `count` elements of `family` drawn from the `.element` stream of `seed`, those that act like
  /// an earlier one on `images` dropped (a fixed `--shift` gives one).
  public static func distinctElements(
    of family: any ActionFamily, count: Int, parameters: ActionParameters, seed: UInt64,
    images: ImageBatch
  ) throws -> [any GroupAction] {
    guard count >= 1 else {
      throw ProbeError.invalidOption("a cell needs at least one group element, got \(count)")
    }
    var generator = SeededGenerator(seed: derivedSeed(seed, stream: .element, index: 0))
    var chosen: [(any GroupAction, [Double])] = []
    for _ in 0..<count {
      let element = try family.element(for: images.shape, parameters: parameters, using: &generator)
      let moved = try element.apply(to: images).values
      if !chosen.contains(where: { $0.1 == moved }) { chosen.append((element, moved)) }
    }
    return chosen.map(\.0)
  }

  /// Loads the data, draws the elements, and runs both probes.
  /// - Complexity: 2 E transport trainings and (E + 1) K to (E + 1) `maxSeeds` ensemble ones.
  /// - Parameters:
  ///   - progress: Called with the job's setup, the transport result and the ensemble probe's
  ///     lines (one after each trained network).
  ///   - samples: Called with each look's sample of test predictions and its pairs.
  public func run(
    progress: @escaping @Sendable (String) -> Void = { _ in },
    samples: ((EnsembleSample, Range<Int>) throws -> Void)? = nil
  ) throws -> FiniteInvarianceReport {
    let root = rootSeed
    let data = try ExperimentData.load(
      dataSet, size: size, trainCount: trainCount, testCount: testCount,
      selection: heldOut ? .heldOut(seed: root) : .first)
    let targets = data.train.centredOneHotTargets
    let shape = data.train.images.shape
    let layers =
      try customLayers
      ?? architecture.architecture(depth: depth, activation: activation, padding: padding)
    let group = try groupElements(for: data.train.images)
    progress(
      "\(centred ? "centred " : "")\(customLayers == nil ? "\(architecture) (\(layers))" : "\(layers)"), width \(width), \(parameterisation) parameterisation, \(optimizer), \(steps) steps, on "
        + "\(trainCount) \(heldOut ? "held-out " : "")\(dataSet.rawValue) images of \(shape); \(group.count) elements: "
        + group.map(\.description).joined(separator: "; "))
    let start = Date()
    let transports = try group.enumerated().map { index, element in
      let transportSeed = derivedSeed(root, stream: .transport, index: index)
      let network = try FiniteNetwork(
        architecture: layers, inputShape: shape, width: width, outputs: targets.columns,
        seed: transportSeed,
        parameterisation: parameterisation)
      return try TransportProbe(optimizer: optimizer, steps: steps, batchSeed: transportSeed)
        .measure(
          network, under: element, train: data.train.images, targets: targets,
          test: data.test.images)
    }
    let lifted = transports.compactMap(\.deviation)
    progress(
      lifted.isEmpty
        ? "transport: does not lift: \(transports[0].reason ?? "")"
        : "transport: \(lifted.count) of \(group.count) lift, deviations "
          + lifted.map { String(format: "%.1e", $0) }.joined(separator: ", ")
          + String(format: " (%.1f s)", Date().timeIntervalSince(start)))
    var probe = EnsembleInvarianceProbe(
      architecture: layers, width: width, optimizer: optimizer, steps: steps, seeds: seeds,
      seed: root)
    probe.maxSeeds = maxSeeds ?? 4 * seeds
    probe.centred = centred
    probe.nullArm = nullArm
    probe.familySize = familySize
    if transportPaired, let reason = transports.first(where: { !$0.lifts })?.reason {
      throw ProbeError.invalidOption(
        "transport-paired ensembles need every element to lift into \(architectureName)'s parameters, but: \(reason)"
      )
    }
    probe.transportPaired = transportPaired
    probe.parameterisation = parameterisation
    let probes = self.probes
    let (probeImages, testTargets) = try probes.inputs(
      test: data.test.images, targets: data.test.centredOneHotTargets)
    if probes != .natural {
      progress(
        "probes: \(probeImages.count) \(probes) probes instead of the \(data.test.images.count) test images"
      )
    }
    let cell = try probe.measure(
      under: group, train: data.train.images, targets: targets, test: probeImages,
      testTargets: testTargets, progress: progress, samples: samples)
    let labelled = probes == .natural
    let worst = cell.worst
    var report = FiniteInvarianceReport(
      architecture: architectureName, action: action.name, optimizer: optimizer.name,
      width: width, steps: steps, seeds: seeds, seed: seed, heldOut: heldOut, elements: group.count,
      lifts: !lifted.isEmpty, transportDeviation: lifted.max(),
      transportReason: transports.first { !$0.lifts }?.reason,
      exact: ExactVerdict(deviations: transports.map(\.deviation)),
      distributional: cell.verdict, ensembleEffect: worst.effect, ensembleInterval: worst.interval,
      ensembleElementEffects: cell.elements.map(\.effect),
      ensembleElementIntervals: cell.elements.map(\.interval),
      ensembleConfidence: 1 - cell.alpha / Double(familySize * cell.looks * group.count),
      ensemblePEqual: cell.pEqual, ensemblePDiffer: cell.pDiffer, familySize: familySize,
      alpha: cell.alpha, ensembleMargin: worst.margin, ensembleSeeds: cell.pairs,
      ensembleDifferenceDetected: cell.differenceDetected, centred: centred,
      ensembleLossChange: labelled ? worst.lossChange : nil,
      ensembleTestLoss: labelled ? worst.originalTestLoss : nil,
      zeroPredictorLoss: labelled
        ? testTargets.storage.reduce(0) { $0 + $1 * $1 } / Double(2 * testTargets.storage.count)
        : nil)
    report.transportPaired = transportPaired
    report.probes = probes.rawValue
    report.parameterisation = parameterisation.rawValue
    return report
  }
}

/// The result of `FiniteInvarianceJob`, with the JSON keys of `symmetry-probe train`.
///
/// Exact and distributional evidence are kept apart (`exact`, `distributional`) and combined
/// only in the summary `verdict`, which never says plain "invariant" when transport shows a
/// break.
public struct FiniteInvarianceReport: Sendable, Hashable, Encodable {
  /// The architecture's name (named, or the custom layer list).
  public var architecture: String
  /// The action family's name.
  public var action: String
  /// The optimiser's name.
  public var optimizer: String
  /// Channels of every hidden layer.
  public var width: Int
  /// Optimiser steps per network.
  public var steps: Int
  /// Networks per ensemble at the first look.
  public var seeds: Int
  /// The experiment seed, and whether the images were held out (a confirmation run).
  public var seed: UInt64
  /// Whether the images were held out (a confirmation run).
  public var heldOut: Bool
  /// Distinct group elements probed.
  public var elements: Int
  /// Whether some element transports into the architecture's own parameters.
  public var lifts: Bool
  /// The exact probe's largest deviation between two transported runs over the elements that
  /// lift; nil when none does.
  public var transportDeviation: Double?
  /// Why an element does not lift.
  public var transportReason: String?
  /// Weight transport's verdict over the elements.
  public var exact: ExactVerdict
  /// The ensemble probe's verdict over the elements, after the family's multiplicity rule.
  public var distributional: DistributionalVerdict
  /// rho of the worst element (the largest), and its simultaneous interval.
  public var ensembleEffect: Double
  /// The simultaneous interval of the worst element's rho, [lower, upper].
  public var ensembleInterval: [Double]
  /// rho and the interval of every element.
  public var ensembleElementEffects: [Double]
  /// The simultaneous interval of every element's rho.
  public var ensembleElementIntervals: [[Double]]
  /// The confidence of every interval: 1 - alpha / (N L E), simultaneous over cells, looks and
  /// elements.
  public var ensembleConfidence: Double
  /// The cell's p-values (`EnsembleCellMeasurement`), before Holm's procedure over the family.
  public var ensemblePEqual: Double
  /// The cell's p-value of "every element has rho <= margin", before Holm's procedure.
  public var ensemblePDiffer: Double
  /// Cells N decided together, and the family-wise error rate.
  public var familySize: Int
  /// The family-wise error rate alpha.
  public var alpha: Double
  /// The decision rule's margin on rho.
  public var ensembleMargin: Double
  /// The networks per ensemble the sequential rule used (`seeds` to 4 `seeds`).
  public var ensembleSeeds: Int
  /// Whether some element's interval lies above 0: the ensembles differ, however little.
  public var ensembleDifferenceDetected: Bool
  /// Whether the ensembles' learner was the centred network f_theta - f_theta0.
  public var centred: Bool
  /// The relative change of the mean test loss, g.S against S, for the worst element (reported,
  /// not used by the rule); nil on coordinate probes, which carry no labels.
  public var ensembleLossChange: Double?
  /// The mean test loss of the S ensemble (half the mean squared error at the natural test
  /// images), to compare with `zeroPredictorLoss`: a learner that does not beat predicting 0
  /// has learnt little from the data, and its verdicts say little about what it learns. Nil on
  /// coordinate probes.
  public var ensembleTestLoss: Double?
  /// The test loss of the zero predictor, half the mean square of the centred one-hot targets;
  /// nil on coordinate probes.
  public var zeroPredictorLoss: Double?
  /// Whether each g.S arm was paired with an S arm from transported parameters.
  public var transportPaired = false
  /// The networks' parameterisation: ntk or standard.
  public var parameterisation = Parameterisation.ntk.rawValue
  /// The inputs the ensembles were compared at (`ProbeInputs`): natural or coordinates.
  public var probes = ProbeInputs.natural.rawValue

  /// The summary of the two kinds of evidence.
  public var verdict: FiniteVerdict { FiniteVerdict(exact: exact, distributional: distributional) }

  /// The multiplicity rule, in words.
  public var multiplicity: String {
    "Holm over the \(2 * familySize) one-sided tests of \(familySize) cell\(familySize == 1 ? "" : "s") at family-wise "
      + "error \(String(format: "%g", alpha)); per cell, equal: intersection-union over its \(elements) element\(elements == 1 ? "" : "s"), "
      + "not equal: Bonferroni over them; Bonferroni over the sequential rule's looks"
  }

  enum CodingKeys: String, CodingKey {
    case architecture, action, optimizer, width, steps, seeds, seed, elements, lifts, exact
    case distributional, verdict, alpha, multiplicity, centred
    case heldOut = "held_out"
    case transportDeviation = "transport_deviation"
    case transportReason = "transport_reason"
    case ensembleEffect = "ensemble_effect"
    case ensembleInterval = "ensemble_interval"
    case ensembleElementEffects = "ensemble_element_effects"
    case ensembleElementIntervals = "ensemble_element_intervals"
    case ensembleConfidence = "ensemble_confidence"
    case ensemblePEqual = "ensemble_p_equal"
    case ensemblePDiffer = "ensemble_p_differ"
    case familySize = "family_size"
    case ensembleMargin = "ensemble_margin"
    case ensembleSeeds = "ensemble_seeds"
    case ensembleDifferenceDetected = "ensemble_difference_detected"
    case ensembleLossChange = "ensemble_loss_change"
    case ensembleTestLoss = "ensemble_test_loss"
    case zeroPredictorLoss = "zero_predictor_loss"
    case transportPaired = "transport_paired"
    case parameterisation, probes
  }

  /// Encodes every key, writing null for a missing deviation or reason.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(architecture, forKey: .architecture)
    try container.encode(action, forKey: .action)
    try container.encode(optimizer, forKey: .optimizer)
    try container.encode(width, forKey: .width)
    try container.encode(steps, forKey: .steps)
    try container.encode(seeds, forKey: .seeds)
    try container.encode(seed, forKey: .seed)
    try container.encode(heldOut, forKey: .heldOut)
    try container.encode(elements, forKey: .elements)
    try container.encode(lifts, forKey: .lifts)
    try container.encode(transportDeviation, forKey: .transportDeviation)
    try container.encode(transportReason, forKey: .transportReason)
    try container.encode(exact, forKey: .exact)
    try container.encode(distributional, forKey: .distributional)
    try container.encode(verdict, forKey: .verdict)
    try container.encode(ensembleEffect, forKey: .ensembleEffect)
    try container.encode(ensembleInterval, forKey: .ensembleInterval)
    try container.encode(ensembleElementEffects, forKey: .ensembleElementEffects)
    try container.encode(ensembleElementIntervals, forKey: .ensembleElementIntervals)
    try container.encode(ensembleConfidence, forKey: .ensembleConfidence)
    try container.encode(ensemblePEqual, forKey: .ensemblePEqual)
    try container.encode(ensemblePDiffer, forKey: .ensemblePDiffer)
    try container.encode(familySize, forKey: .familySize)
    try container.encode(alpha, forKey: .alpha)
    try container.encode(multiplicity, forKey: .multiplicity)
    try container.encode(ensembleMargin, forKey: .ensembleMargin)
    try container.encode(ensembleSeeds, forKey: .ensembleSeeds)
    try container.encode(ensembleDifferenceDetected, forKey: .ensembleDifferenceDetected)
    try container.encode(centred, forKey: .centred)
    try container.encode(ensembleLossChange, forKey: .ensembleLossChange)
    try container.encode(ensembleTestLoss, forKey: .ensembleTestLoss)
    try container.encode(zeroPredictorLoss, forKey: .zeroPredictorLoss)
    try container.encode(transportPaired, forKey: .transportPaired)
    try container.encode(parameterisation, forKey: .parameterisation)
    try container.encode(probes, forKey: .probes)
  }

  /// The report as JSON with sorted keys.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// "test loss 0.0520 (zero predictor 0.0450)", or why there is none.
  var testLossLine: String {
    guard let ensembleTestLoss, let zeroPredictorLoss else {
      return "test loss: none (coordinate probes carry no labels)"
    }
    return
      "test loss \(String(format: "%.4f", ensembleTestLoss)) (zero predictor \(String(format: "%.4f", zeroPredictorLoss)))"
  }

  /// The report as a few lines of text.
  public func text() -> String {
    let transport =
      lifts
      ? "\(exact) (largest deviation of two transported runs \(transportDeviation.map { String(format: "%.2e", $0) } ?? "-"))"
      : "\(exact): does not lift (\(transportReason ?? ""))"
    func rho(_ effect: Double, _ bounds: [Double]) -> String {
      intervalText(effect, lower: bounds[0], upper: bounds[1], decimals: 4)
    }
    let perElement = zip(ensembleElementEffects, ensembleElementIntervals).map(rho)
      .joined(separator: ", ")
    return """
      \(centred ? "centred " : "")\(architecture) / \(action) / \(optimizer) (width \(width), \(steps) steps, \(ensembleSeeds) seeds per ensemble, \(elements) elements, seed \(seed)\(heldOut ? ", held-out images" : ""))
      verdict: \(verdict)
      exact (weight transport): \(transport)
      distributional (ensembles): \(distributional) (worst rho \(rho(ensembleEffect, ensembleInterval)) \
      at \(String(format: "%.4g", ensembleConfidence * 100))% simultaneous confidence, margin \(ensembleMargin); per element \(perElement); \
      \(ensembleDifferenceDetected ? "a difference is detected" : "no difference detected")\(ensembleLossChange.map { "; mean test loss changes by " + String(format: "%+.3f", $0) } ?? ""))
      probes: \(probes == ProbeInputs.natural.rawValue ? "the test images" : "coordinate probes (c e_k, one per input coordinate)")
      multiplicity: \(multiplicity)
      \(testLossLine)
      """
  }
}
