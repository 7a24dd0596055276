import Learners
import Symmetries

/// The statistical probe of a random learner's algorithmic invariance: K networks trained on
/// g.S and tested at g x* against K independently initialised networks trained on S and tested
/// at x*; invariance in distribution means the two ensembles of predictors have the same law,
/// so in particular the same expected test loss.
///
/// The effect is the relative change of the mean test loss (half the mean squared error on the
/// test targets), ensemble A (g.S) against ensemble B (S):
///
///     effect = (mean_s L_A(s) - mean_s L_B(s)) / mean_s L_B(s)
///
/// with a seeded percentile-bootstrap interval (runs resampled within each ensemble). The test
/// loss is used rather than the predictions themselves because the predictions of one network
/// carry its random initial function, whose seed-to-seed spread swamps a difference of ensemble
/// means at any affordable K, while the test loss averages over m k outputs and varies little.
///
/// Decision rule (an equivalence test with margin delta = `margin`): `invariant` when the whole
/// interval lies inside (-delta, delta), `not invariant` when it lies entirely outside
/// [-delta, delta], `inconclusive` when it straddles +-delta (more seeds narrow it).
public struct EnsembleInvarianceProbe: Sendable {
  /// The smallest relative change of the test loss that counts, 5%. The test loss of one
  /// network varies by about 8% from seed to seed (width 64, CIFAR-10 8 x 8, 500 test images:
  /// the random initial function survives training at the test points), so with 16 seeds per
  /// ensemble an exact symmetry's interval is about +-4% wide and fits inside; the breaks
  /// measured by `symmetry-probe train` (e.g. +16% for CNN-VEC under per-pixel channel
  /// rotations, -13% for CNN-GAP under O(d)) lie outside.
  public static let defaultMargin = 0.05

  public var architecture: Architecture
  public var width: Int
  public var optimizer: Optimizer
  public var steps: Int
  /// Networks per ensemble K.
  public var seeds: Int
  /// The base seed: run s of the g.S ensemble uses seed + s, of the S ensemble seed + K + s.
  public var seed: UInt64
  public var margin: Double = defaultMargin
  /// The two-sided coverage of the interval.
  public var confidence: Double = 0.95
  /// Bootstrap resamples.
  public var resamples: Int = 4000

  public init(
    architecture: Architecture, width: Int, optimizer: Optimizer, steps: Int, seeds: Int,
    seed: UInt64 = 0
  ) {
    self.architecture = architecture
    self.width = width
    self.optimizer = optimizer
    self.steps = steps
    self.seeds = seeds
    self.seed = seed
  }

  /// Trains both ensembles and applies the decision rule.
  ///
  /// - Parameter progress: called with a line after each trained network.
  /// - Throws: `ProbeError.invalidOption` for fewer than 2 seeds, `FiniteError` for bad data or
  ///   a diverging run, `SymmetryError` when g cannot act on the images.
  /// - Complexity: 2K trainings plus O(resamples K).
  public func measure(
    under action: any GroupAction, train: ImageBatch, targets: Matrix, test: ImageBatch,
    testTargets: Matrix, progress: (String) -> Void = { _ in }
  ) throws -> EnsembleMeasurement {
    guard seeds >= 2 else {
      throw ProbeError.invalidOption("an ensemble needs at least 2 seeds to estimate its spread, got \(seeds)")
    }
    let movedTrain = try action.apply(to: train)
    let movedTest = try action.apply(to: test)
    func run(_ index: Int, images: ImageBatch, evaluateOn evaluation: ImageBatch) throws -> Double {
      let runSeed = seed &+ UInt64(index)
      let network = try FiniteNetwork(
        architecture: architecture, inputShape: train.shape, width: width,
        outputs: targets.columns, seed: runSeed)
      let trained = try network.trained(
        on: images, targets: targets, optimizer: optimizer, steps: steps, seed: runSeed)
      let testLoss = try trained.network.loss(on: evaluation, targets: testTargets)
      progress(
        "network \(index + 1)/\(2 * seeds): train loss \(trained.losses.last ?? .nan), test loss \(testLoss)")
      return testLoss
    }
    let moved = try (0..<seeds).map { try run($0, images: movedTrain, evaluateOn: movedTest) }
    let original = try (0..<seeds).map { try run(seeds + $0, images: train, evaluateOn: test) }
    return EnsembleMeasurement(
      moved: moved, original: original, margin: margin, confidence: confidence,
      resamples: resamples, seed: seed)
  }
}

/// What the ensemble probe found.
public struct EnsembleMeasurement: Sendable, Hashable, Codable {
  /// The relative change of the mean test loss, g.S against S.
  public var effect: Double
  /// The bootstrap interval of the effect, [lower, upper].
  public var interval: [Double]
  /// The decision rule's verdict.
  public var verdict: Verdict
  /// The test losses of the g.S ensemble and of the S ensemble.
  public var movedLosses: [Double]
  public var originalLosses: [Double]
  /// The margin delta of the decision rule.
  public var margin: Double

  /// The effect, interval and verdict of two ensembles of test losses.
  /// - Complexity: O(resamples K).
  public init(
    moved: [Double], original: [Double], margin: Double, confidence: Double, resamples: Int,
    seed: UInt64
  ) {
    effect = Self.effect(moved, original)
    var generator = SeededGenerator(seed: seed ^ 0x5EED_B007)
    var samples: [Double] = []
    samples.reserveCapacity(resamples)
    for _ in 0..<resamples {
      let a = moved.map { _ in moved[Int(generator.bounded(UInt64(moved.count)))] }
      let b = original.map { _ in original[Int(generator.bounded(UInt64(original.count)))] }
      samples.append(Self.effect(a, b))
    }
    samples.sort()
    let tail = (1 - confidence) / 2
    let last = Double(samples.count - 1)
    let lower = samples[Int((tail * last).rounded())]
    let upper = samples[Int(((1 - tail) * last).rounded())]
    interval = [lower, upper]
    if lower > -margin, upper < margin {
      verdict = .invariant
    } else if lower > margin || upper < -margin {
      verdict = .notInvariant
    } else {
      verdict = .inconclusive
    }
    movedLosses = moved
    originalLosses = original
    self.margin = margin
  }

  /// (mean a - mean b) / mean b.
  static func effect(_ a: [Double], _ b: [Double]) -> Double {
    let meanA = a.reduce(0, +) / Double(a.count)
    let meanB = b.reduce(0, +) / Double(b.count)
    return (meanA - meanB) / meanB
  }
}
