import Foundation
import Learners
import Symmetries

/// The finite-width invariance experiment of `symmetry-probe train`: one architecture, one
/// action, one optimiser, on fixture images, probed exactly (weight transport) and
/// statistically (ensembles over seeds).
///
/// The defaults train depth-1 networks of width 32 (3 x 3 circular filters, ReLU, W_std =
/// sqrt(2), b_std = 0.1) for 100 steps on 128 CIFAR-10 images at 8 x 8 with centred one-hot
/// targets, and test on 500, 16 networks per ensemble; both probes use the same action element,
/// drawn from `seed`. The scale was fixed for the whole grid before its verdicts were known:
/// width 32 and 128 images make a CNN-VEC training about half a second of one core in release,
/// so the 12-cell grid of the issue runs in about 2 minutes. The ensemble starts at 16 paired
/// seeds and doubles up to 64 while inconclusive (`EnsembleInvarianceProbe.measure`); at this
/// scale 16 pairs settle every cell but a few FCN and CNN-VEC ones, which take 32 (the
/// networks are centred by default; docs/finite-networks.md has both grids).
public struct FiniteInvarianceJob: Sendable {
  public var architecture = NamedArchitecture.fcn
  public var activation = Activation.relu
  public var depth = 1
  public var padding = Padding.circular
  public var action: any ActionFamily = OrthogonalFamily()
  public var parameters = ActionParameters()
  public var optimizer = Optimizer.gradientDescent(learningRate: 1)
  public var width = 32
  /// Networks per ensemble at the first look of the sequential rule.
  public var seeds = 16
  /// The most networks per ensemble (nil: 4 `seeds`).
  public var maxSeeds: Int? = nil
  public var steps = 100
  public var dataSet = DataSet.cifar10
  public var size = 8
  public var trainCount = 128
  public var testCount = 500
  public var seed: UInt64 = 0
  /// Whether the ensembles train the centred learner f_theta - f_theta0 (`CentredNetwork`), the
  /// default (see `EnsembleInvarianceProbe`). The weight-transport probe compares f_theta runs
  /// either way: f_theta0 transports with theta0, so the centred runs coincide exactly when the
  /// uncentred ones do.
  public var centred = true
  /// Whether the ensembles also train a null arm (S from fresh seeds; `EnsembleInvarianceProbe`).
  public var nullArm = false

  public init() {}

  /// The default learning rate of each optimiser for `steps`-step runs on the default data:
  /// large enough to fit the training set in a few hundred steps, small enough not to diverge
  /// for any catalogue architecture at widths 16 to 256.
  public static func defaultOptimizer(named name: String, batchSize: Int? = nil) throws(ProbeError) -> Optimizer {
    switch name {
    case "gd": return .gradientDescent(learningRate: 1)
    case "sgd": return .sgd(learningRate: 0.5, batchSize: batchSize ?? 32)
    case "adam": return .adam(learningRate: 1e-3, batchSize: batchSize)
    default: throw .invalidOption("unknown optimizer '\(name)'; use gd, sgd or adam")
    }
  }

  /// Loads the data, draws the action, and runs both probes.
  /// - Complexity: 2 to 2 `maxSeeds` + 2 trainings of `steps` steps.
  /// - Parameter samples: called with each look's sample of test predictions and its pairs.
  public func run(
    progress: @escaping @Sendable (String) -> Void = { _ in },
    samples: ((EnsembleSample, Range<Int>) throws -> Void)? = nil
  ) throws -> FiniteInvarianceReport {
    let data = try ExperimentData.load(dataSet, size: size, trainCount: trainCount, testCount: testCount)
    let targets = data.train.centredOneHotTargets
    let shape = data.train.images.shape
    let layers = try architecture.architecture(depth: depth, activation: activation, padding: padding)
    let element = try action.element(for: shape, parameters: parameters, seed: seed)
    progress("\(centred ? "centred " : "")\(architecture) (\(layers)), width \(width), \(optimizer), \(steps) steps, on "
      + "\(trainCount) \(dataSet.rawValue) images of \(shape); action: \(element)")
    let network = try FiniteNetwork(
      architecture: layers, inputShape: shape, width: width, outputs: targets.columns, seed: seed)
    let start = Date()
    let transport = try TransportProbe(optimizer: optimizer, steps: steps, batchSeed: seed).measure(
      network, under: element, train: data.train.images, targets: targets, test: data.test.images)
    progress(
      transport.lifts
        ? "transport: lifts, deviation \(transport.deviation ?? .nan) ("
          + String(format: "%.1f s", Date().timeIntervalSince(start)) + ")"
        : "transport: does not lift: \(transport.reason ?? "")")
    var probe = EnsembleInvarianceProbe(
      architecture: layers, width: width, optimizer: optimizer, steps: steps, seeds: seeds,
      seed: seed &+ 1)
    probe.maxSeeds = maxSeeds ?? 4 * seeds
    probe.centred = centred
    probe.nullArm = nullArm
    let testTargets = data.test.centredOneHotTargets
    let ensemble = try probe.measure(
      under: element, train: data.train.images, targets: targets, test: data.test.images,
      testTargets: testTargets, progress: progress, samples: samples)
    return FiniteInvarianceReport(
      architecture: architecture.rawValue, action: action.name, optimizer: optimizer.name,
      width: width, steps: steps, seeds: seeds, lifts: transport.lifts,
      transportDeviation: transport.deviation, transportReason: transport.reason,
      ensembleVerdict: ensemble.verdict, ensembleEffect: ensemble.effect,
      ensembleInterval: ensemble.interval, ensembleMargin: ensemble.margin,
      ensembleSeeds: ensemble.pairs, ensembleDifferenceDetected: ensemble.differenceDetected,
      centred: centred, ensembleLossChange: ensemble.lossChange,
      ensembleTestLoss: ensemble.originalTestLoss,
      zeroPredictorLoss: testTargets.storage.reduce(0) { $0 + $1 * $1 } / Double(2 * testTargets.storage.count))
  }
}

/// The result of `FiniteInvarianceJob`, with the JSON keys of `symmetry-probe train`.
public struct FiniteInvarianceReport: Sendable, Hashable, Codable {
  public var architecture: String
  public var action: String
  public var optimizer: String
  public var width: Int
  public var steps: Int
  public var seeds: Int
  /// Whether the action transports into the architecture's own parameters.
  public var lifts: Bool
  /// The exact probe's deviation between the two runs; nil when the action does not lift.
  public var transportDeviation: Double?
  /// Why the action does not lift.
  public var transportReason: String?
  public var ensembleVerdict: Verdict
  /// rho, the distance between the g.S and S ensembles' output distributions relative to the
  /// root-mean-square prediction (`EnsembleMeasurement`), and its interval.
  public var ensembleEffect: Double
  public var ensembleInterval: [Double]
  /// The decision rule's margin on rho.
  public var ensembleMargin: Double
  /// The networks per ensemble the sequential rule used (`seeds` to 4 `seeds`).
  public var ensembleSeeds: Int
  /// Whether the interval of rho lies above 0: the ensembles differ, however little (a break
  /// below the margin is detected but called invariant by the rule).
  public var ensembleDifferenceDetected: Bool
  /// Whether the ensembles' learner was the centred network f_theta - f_theta0.
  public var centred: Bool
  /// The relative change of the mean test loss, g.S against S (reported, not used by the rule).
  public var ensembleLossChange: Double
  /// The mean test loss of the S ensemble (half the mean squared error at the natural test
  /// images), to compare with `zeroPredictorLoss`: a learner that does not beat predicting 0
  /// has learnt little from the data, and its verdicts say little about what it learns.
  public var ensembleTestLoss: Double
  /// The test loss of the zero predictor, half the mean square of the centred one-hot targets.
  public var zeroPredictorLoss: Double

  enum CodingKeys: String, CodingKey {
    case architecture, action, optimizer, width, steps, seeds, lifts
    case transportDeviation = "transport_deviation"
    case transportReason = "transport_reason"
    case ensembleVerdict = "ensemble_verdict"
    case ensembleEffect = "ensemble_effect"
    case ensembleInterval = "ensemble_interval"
    case ensembleMargin = "ensemble_margin"
    case ensembleSeeds = "ensemble_seeds"
    case ensembleDifferenceDetected = "ensemble_difference_detected"
    case centred
    case ensembleLossChange = "ensemble_loss_change"
    case ensembleTestLoss = "ensemble_test_loss"
    case zeroPredictorLoss = "zero_predictor_loss"
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
    try container.encode(lifts, forKey: .lifts)
    try container.encode(transportDeviation, forKey: .transportDeviation)
    try container.encode(transportReason, forKey: .transportReason)
    try container.encode(ensembleVerdict, forKey: .ensembleVerdict)
    try container.encode(ensembleEffect, forKey: .ensembleEffect)
    try container.encode(ensembleInterval, forKey: .ensembleInterval)
    try container.encode(ensembleMargin, forKey: .ensembleMargin)
    try container.encode(ensembleSeeds, forKey: .ensembleSeeds)
    try container.encode(ensembleDifferenceDetected, forKey: .ensembleDifferenceDetected)
    try container.encode(centred, forKey: .centred)
    try container.encode(ensembleLossChange, forKey: .ensembleLossChange)
    try container.encode(ensembleTestLoss, forKey: .ensembleTestLoss)
    try container.encode(zeroPredictorLoss, forKey: .zeroPredictorLoss)
  }

  /// The report as JSON with sorted keys.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// The report as a few lines of text.
  public func text() -> String {
    let transport =
      lifts
      ? "lifts; the two runs deviate by \(transportDeviation.map { String(format: "%.2e", $0) } ?? "-")"
      : "does not lift (\(transportReason ?? ""))"
    return """
      \(centred ? "centred " : "")\(architecture) / \(action) / \(optimizer) (width \(width), \(steps) steps, \(ensembleSeeds) seeds per ensemble)
      weight transport: \(transport)
      ensemble: \(ensembleVerdict) (distance rho \(String(format: "%.4f", ensembleEffect)), \
      interval [\(String(format: "%.4f", ensembleInterval[0])), \(String(format: "%.4f", ensembleInterval[1]))], \
      margin \(ensembleMargin); \(ensembleDifferenceDetected ? "a difference is detected" : "no difference detected"); mean test loss changes by \(String(format: "%+.3f", ensembleLossChange)))
      test loss \(String(format: "%.4f", ensembleTestLoss)) (zero predictor \(String(format: "%.4f", zeroPredictorLoss)))
      """
  }
}
