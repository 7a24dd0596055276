import Learners
import Symmetries

/// The statistical probe of a random learner's algorithmic invariance: K networks trained on
/// g.S and tested at g x* against K networks trained on S and tested at x*, run s of both from
/// the same initial parameters theta_s; invariance in distribution means the two ensembles of
/// predictors have the same law, so in particular the same expected test loss. The statistic,
/// its interval and the decision rule are `EnsembleMeasurement`'s.
///
/// Why paired test losses: the test loss of one network varies by 4 to 8% from seed to seed
/// (the random initial function survives training at the test points), and independent
/// ensembles of 8 to 16 networks leave intervals of +-4 to +-7%, which straddle a 5% margin.
/// Starting both runs of a pair from theta_s correlates their losses (measured on pilots of 8
/// to 16 pairs: 0.61 for FCN under O(d), 0.72 for CNN-VEC under translations, 0.81 to 0.92
/// where a pixel permutation acts; exactly 1 when g acts trivially on the function, as
/// translations on CNN-GAP), which narrowed the interval two- to three-fold at the same cost
/// (CNN-VEC under translations, 8 pairs: +-2.5% paired against +-7.4% unpaired; the unpaired
/// null comparison S against S with fresh seeds gave +-7.1%). Where that is still too wide, the rule doubles the ensembles (see `measure`).
/// Statistics on the ensemble-mean predictor were measured noisier still (its loss is
/// small, so its relative changes are large) and are not used.
public struct EnsembleInvarianceProbe: Sendable {
  /// The smallest relative change of the test loss that counts, 5%, fixed before measuring
  /// the grid and the same for every cell.
  public static let defaultMargin = 0.05

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
  public var centred = false
  /// Networks trained side by side (each on one thread).
  public var workers: Int = 2

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
  /// - Throws: `ProbeError.invalidOption` for fewer than 2 seeds or `maxSeeds` below `seeds`,
  ///   `FiniteError` for bad data or a diverging run, `SymmetryError` when g cannot act on the
  ///   images.
  /// - Complexity: 2K to 2 `maxSeeds` trainings.
  public func measure(
    under action: any GroupAction, train: ImageBatch, targets: Matrix, test: ImageBatch,
    testTargets: Matrix, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> EnsembleMeasurement {
    guard seeds >= 2 else {
      throw ProbeError.invalidOption("an ensemble needs at least 2 seeds to estimate its spread, got \(seeds)")
    }
    guard maxSeeds >= seeds else {
      throw ProbeError.invalidOption("the largest ensemble (\(maxSeeds)) must be at least the first (\(seeds))")
    }
    let sizes = looks
    let lookConfidence = 1 - (1 - confidence) / Double(sizes.count)
    var moved: [Double] = []
    var original: [Double] = []
    var measurement: EnsembleMeasurement!
    for size in sizes {
      let sample = try EnsembleSample.train(
        architecture: architecture, width: width, optimizer: optimizer, steps: steps,
        seeds: size - moved.count, seed: seed &+ UInt64(moved.count), under: action, train: train,
        targets: targets, test: test, testTargets: testTargets, centred: centred, workers: workers,
        progress: progress)
      moved += sample.movedLosses
      original += sample.originalLosses
      measurement = EnsembleMeasurement(
        moved: moved, original: original, margin: margin, confidence: lookConfidence)
      progress(
        "ensemble of \(size): \(measurement.verdict), effect \(measurement.effect), interval \(measurement.interval)")
      if measurement.verdict != .inconclusive { break }
    }
    return measurement
  }
}

/// What the ensemble probe found, and the decision rule.
///
/// The data are paired test losses: run s of both ensembles starts from the same initial
/// parameters theta_s (common random numbers), so A_s = L(f_{g.S}(theta_s), g x*) and
/// B_s = L(f_S(theta_s), x*), s = 1...K. Under algorithmic invariance in distribution the two
/// have the same law (each is the test loss of the learner from a N(0, I) initialisation; only
/// their joint law differs), so E A_s = E B_s, while the pairing cancels the part of the seed
/// noise the two runs share (the readout, the biases, the scale of the initial function).
///
/// The effect is the relative change of the mean test loss,
///
///     R = mean_s A_s / mean_s B_s - 1,
///
/// and its interval is the ratio estimator's t interval: with z_s = A_s - (1 + R) B_s (mean 0
/// by construction), the standard error is se = sd(z) / (sqrt(K) mean_s B_s) (delta method),
/// and the interval is R +- t_{K-1, (1 + confidence) / 2} se.
///
/// Decision rule, an equivalence test with margin delta fixed in advance for every cell:
/// `invariant` when the whole interval lies inside (-delta, delta), `not invariant` when it lies
/// entirely outside [-delta, delta], `inconclusive` when it meets +-delta (more seeds narrow it).
public struct EnsembleMeasurement: Sendable, Hashable, Codable {
  /// The relative change of the mean test loss, g.S against S.
  public var effect: Double
  /// The t interval of the effect, [lower, upper].
  public var interval: [Double]
  /// The decision rule's verdict.
  public var verdict: Verdict
  /// The test losses of the g.S ensemble and of the S ensemble, run s of both from theta_s.
  public var movedLosses: [Double]
  public var originalLosses: [Double]
  /// The margin delta of the decision rule.
  public var margin: Double

  /// The effect, interval and verdict of K paired test losses (K >= 2).
  /// - Complexity: O(K).
  public init(moved: [Double], original: [Double], margin: Double, confidence: Double = 0.95) {
    precondition(moved.count == original.count && moved.count >= 2, "K >= 2 paired losses")
    let count = Double(moved.count)
    let meanA = moved.reduce(0, +) / count
    let meanB = original.reduce(0, +) / count
    let ratio = meanA / meanB
    let residuals = zip(moved, original).map { $0 - ratio * $1 }
    let residualMean = residuals.reduce(0, +) / count
    let variance = residuals.reduce(0) { $0 + ($1 - residualMean) * ($1 - residualMean) } / (count - 1)
    let standardError = variance.squareRoot() / (count.squareRoot() * meanB)
    let halfWidth =
      StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: count - 1) * standardError
    effect = ratio - 1
    let (lower, upper) = (effect - halfWidth, effect + halfWidth)
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
}
