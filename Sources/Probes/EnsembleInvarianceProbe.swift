import Learners
import Symmetries

/// The statistical probe of a random learner's algorithmic invariance: K networks trained on
/// g.S and tested at g x* against K networks trained on S and tested at x*, run s of both from
/// the same initial parameters theta_s; invariance in distribution means the two ensembles of
/// predictions have the same law. The statistic (the distance between the two ensembles' output
/// distributions relative to the size of the predictions), its interval and the decision rule
/// are `EnsembleMeasurement`'s.
///
/// Why the centred learner by default: an NTK-parameterised network keeps its random initial
/// function f_theta0 at the test points, and at the grid's scale (width 32, 100 steps, 128
/// training images) that function's spread is about ten times the learnt mean (standard
/// deviation 0.6 against a root-mean-square mean prediction of 0.06 for FCN and CNN-VEC, seed-0
/// grid), so any comparison of the two ensembles mostly compares noise. The centred network
/// f_theta - f_theta0 is a function of theta_s and the data like f_theta, so the invariance
/// question is the same, and its spread is the learnt part's (0.05 against a mean of 0.08).
///
/// Why pairs: the two runs of pair s share theta_s (common random numbers), which keeps the
/// networks of the two ensembles in step wherever g acts trivially on the function (CNN-GAP
/// under a translation gives identical ensembles, rho = 0 exactly).
public struct EnsembleInvarianceProbe: Sendable {
  /// The smallest distance rho between the two ensembles that counts, 0.1 (a tenth of the
  /// root-mean-square prediction), fixed before the confirmation grid ran and the same for
  /// every cell (see docs/finite-networks.md for how it was chosen).
  public static let defaultMargin = 0.1

  public var architecture: Architecture
  public var width: Int
  public var optimizer: Optimizer
  public var steps: Int
  /// Networks per ensemble K.
  public var seeds: Int
  /// The base seed: run s of both ensembles uses seed + s (initial parameters and batch order).
  public var seed: UInt64
  public var margin: Double = defaultMargin
  /// The two-sided coverage of the interval.
  public var confidence: Double = 0.95
  /// Whether each network is the centred learner f_theta - f_theta0 (`CentredNetwork`): trained
  /// on Y + f_theta0(X), predicting f_T(x) - f_theta0(x). It is a function of theta_s and the
  /// data like f_theta, so the invariance question is the same; it drops the random initial
  /// function that otherwise dominates the test predictions of an NTK-parameterised network.
  public var centred = true
  /// Networks trained side by side (each on one thread).
  public var workers: Int = 2
  /// Whether each look also trains a null arm: networks on S from fresh seeds (run s from
  /// `seed + maxSeeds + s`, never a pair's seed), a comparison of S with itself that shows the
  /// probe's own noise. It costs half as much again and does not enter the verdict.
  public var nullArm = false

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
    maxSeeds = 4 * seeds
  }

  /// The most networks per ensemble the sequential rule may reach: K, 2K, 4K, ... up to this.
  public var maxSeeds: Int

  /// The ensemble sizes at which the rule looks: K, 2K, 4K, ... while at most `maxSeeds`.
  public var looks: [Int] {
    var sizes = [seeds]
    while 2 * sizes.last! <= maxSeeds { sizes.append(2 * sizes.last!) }
    return sizes
  }

  /// Trains both ensembles and applies the decision rule, sequentially: with looks at
  /// K_1 = K < K_2 = 2K < ... <= `maxSeeds` (L looks), it trains K_1 pairs, computes the
  /// interval at confidence 1 - (1 - `confidence`) / L, and stops at the first look whose verdict
  /// is `invariant` or `not invariant`; otherwise it trains the next K_j - K_{j-1} pairs (runs
  /// K_{j-1}...K_j - 1, so the seeds are the same whether or not a run stopped early) and looks
  /// again. Splitting the error rate over the L looks (Bonferroni) keeps the chance that any
  /// look's interval misses the effect at most 1 - `confidence`, so the rule's guarantees are
  /// those of one interval, while cells whose effect is clear stop at K pairs.
  ///
  /// - Parameter progress: called with a line after each trained network.
  /// - Throws: `ProbeError.invalidOption` for fewer than 3 seeds or `maxSeeds` below `seeds`,
  ///   `FiniteError` for bad data or a diverging run, `SymmetryError` when g cannot act on the
  ///   images.
  /// - Complexity: 2K to 2 `maxSeeds` trainings.
  /// - Parameter samples: called with each look's newly trained sample (its networks' test
  ///   predictions) and the pair indices it covers (runs `seed + first ..< seed + last + 1`), for
  ///   a caller that keeps the raw material (`symmetry-probe train --samples`).
  public func measure(
    under action: any GroupAction, train: ImageBatch, targets: Matrix, test: ImageBatch,
    testTargets: Matrix, progress: @escaping @Sendable (String) -> Void = { _ in },
    samples: ((EnsembleSample, Range<Int>) throws -> Void)? = nil
  ) throws -> EnsembleMeasurement {
    guard seeds >= 3 else {
      throw ProbeError.invalidOption(
        "an ensemble needs at least 3 seeds (its spread, with one left out for the jackknife), got \(seeds)")
    }
    guard maxSeeds >= seeds else {
      throw ProbeError.invalidOption("the largest ensemble (\(maxSeeds)) must be at least the first (\(seeds))")
    }
    let sizes = looks
    let lookConfidence = 1 - (1 - confidence) / Double(sizes.count)
    var moved: [[Double]] = []
    var original: [[Double]] = []
    var measurement: EnsembleMeasurement!
    for size in sizes {
      let sample = try EnsembleSample.train(
        architecture: architecture, width: width, optimizer: optimizer, steps: steps,
        seeds: size - moved.count, seed: seed &+ UInt64(moved.count), under: action, train: train,
        targets: targets, test: test, testTargets: testTargets, centred: centred, nullArm: nullArm,
        nullSeed: seed &+ UInt64(maxSeeds + moved.count), workers: workers, progress: progress)
      try samples?(sample, moved.count..<size)
      moved += sample.moved
      original += sample.original
      measurement = try EnsembleMeasurement(
        moved: moved, original: original, targets: testTargets.storage, margin: margin,
        confidence: lookConfidence)
      progress(
        "ensemble of \(size): \(measurement.verdict), effect \(measurement.effect), interval \(measurement.interval)")
      if measurement.verdict != .inconclusive { break }
    }
    return measurement
  }
}
