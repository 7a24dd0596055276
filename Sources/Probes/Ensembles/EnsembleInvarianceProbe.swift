import Learners
import Symmetries

/// The statistical probe of a random learner's algorithmic invariance: for each of E group
/// elements g_e, K networks trained on g_e.S and tested at g_e x* against K networks trained on
/// S and tested at x* (one S arm shared by the elements), run s of every arm from the same
/// initial parameters theta_s; invariance in distribution means each g_e.S ensemble of
/// predictions has the S ensemble's law. The statistic (the distance between two ensembles'
/// output distributions relative to the size of the predictions) and its interval are
/// `EnsembleMeasurement`'s; the cell's verdict over its elements and looks is
/// `EnsembleCellMeasurement`'s, and a grid's is Holm's (`DistributionalVerdict.decide`).
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

  /// The architecture every network is built from.
  public var architecture: Architecture
  /// Channels of every hidden layer.
  public var width: Int
  /// The optimiser every network is trained by.
  public var optimizer: Optimizer
  /// Optimiser steps per network.
  public var steps: Int
  /// Networks per ensemble K.
  public var seeds: Int
  /// The experiment seed: pair r's initial parameters and batch order come from
  /// `derivedSeed(seed, stream: .pair, index: r)`, shared by the S arm and every g.S arm.
  public var seed: UInt64
  /// The smallest distance rho that counts as a difference (`defaultMargin` unless set).
  public var margin: Double = defaultMargin
  /// One minus the family-wise error rate alpha of the decisions.
  public var confidence: Double = 0.95
  /// The cells N decided together (a grid's cell count): the cell stops early only at the
  /// Bonferroni level alpha / (2N), where Holm's procedure over the grid decides it whatever the
  /// other cells find, and its intervals are simultaneous over the N cells.
  public var familySize = 1
  /// Whether each network is the centred learner f_theta - f_theta0 (`CentredNetwork`): trained
  /// on Y + f_theta0(X), predicting f_T(x) - f_theta0(x). It is a function of theta_s and the
  /// data like f_theta, so the invariance question is the same; it drops the random initial
  /// function that otherwise dominates the test predictions of an NTK-parameterised network.
  public var centred = true
  /// Networks trained side by side (each on one thread).
  public var workers: Int = 2
  /// Whether each look also trains a null arm: networks on S from the `.null` seed stream, a
  /// comparison of S with itself that shows the probe's own noise. It does not enter the verdict.
  public var nullArm = false
  /// Whether each element gets its own S arm from the transported parameters T_g(theta_s)
  /// (`EnsembleSample.train`'s `transportPaired`): the same law of f_S(x*), paired far more
  /// tightly with the g.S arm where the optimiser nearly commutes with the transport, for a
  /// narrower interval of the same rho. Every element must lift.
  public var transportPaired = false
  /// The networks' parameterisation (`Parameterisation`; NTK by default).
  public var parameterisation = Parameterisation.ntk

  /// A probe of `seeds` networks per arm at the first look, seeded by `seed`.
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

  /// Trains the S arm and one g.S arm per element, and measures each element against S,
  /// sequentially: with looks at K_1 = K < K_2 = 2K < ... <= `maxSeeds` (L looks), it trains
  /// K_1 pairs, computes the cell's p-values (`EnsembleCellMeasurement`, Bonferroni over the
  /// L looks), and stops at the first look where one of them is at most alpha / (2N); otherwise
  /// it trains pairs K_{j-1} ..< K_j (the seeds are the same whether or not a run stopped early)
  /// and looks again. Multiplying each look's p-values by L keeps them valid whichever look
  /// the cell stops at, so Holm's procedure over a grid's cells can use them as they are.
  ///
  /// - Parameters:
  ///   - elements: The group elements g_1 ... g_E whose transformed-data ensembles are compared
  ///     with the natural-data ensemble.
  ///   - train: The training images (natural; each element acts on them for its arm).
  ///   - targets: The training targets, one row per training image.
  ///   - test: The images the ensembles' predictions are compared at.
  ///   - testTargets: The test targets (for the report's accuracies; the decision does not use
  ///     them).
  ///   - progress: Called with a line after each trained network.
  ///   - samples: Called with each look's newly trained sample (its networks' test
  ///     predictions) and the pairs it covers, for a caller that keeps the raw material
  ///     (`symmetry-probe train --samples`).
  /// - Throws: `ProbeError.invalidOption` for fewer than 3 seeds, `maxSeeds` below `seeds`,
  ///   no elements or a family size below 1, `FiniteError` for bad data or a diverging run,
  ///   `SymmetryError` when an element cannot act on the images.
  /// - Complexity: (E + 1) K to (E + 1) `maxSeeds` trainings for E elements.
  public func measure(
    under elements: [any GroupAction], train: ImageBatch, targets: Matrix, test: ImageBatch,
    testTargets: Matrix, progress: @escaping @Sendable (String) -> Void = { _ in },
    samples: ((EnsembleSample, Range<Int>) throws -> Void)? = nil
  ) throws -> EnsembleCellMeasurement {
    guard seeds >= 3 else {
      throw ProbeError.invalidOption(
        "an ensemble needs at least 3 seeds (its spread, with one left out for the jackknife), got \(seeds)"
      )
    }
    guard maxSeeds >= seeds else {
      throw ProbeError.invalidOption(
        "the largest ensemble (\(maxSeeds)) must be at least the first (\(seeds))")
    }
    guard !elements.isEmpty else {
      throw ProbeError.invalidOption("a cell needs at least one group element")
    }
    guard familySize >= 1 else {
      throw ProbeError.invalidOption(
        "the family of cells must hold at least this one, got \(familySize)")
    }
    let sizes = looks
    let alpha = 1 - confidence
    var moved = [[[Double]]](repeating: [], count: elements.count)
    var original: [[Double]] = []
    var transported = [[[Double]]](repeating: [], count: elements.count)
    var pairsDone = 0
    var cell: EnsembleCellMeasurement!
    for size in sizes {
      let runs = pairsDone..<size
      let sample = try EnsembleSample.train(
        architecture: architecture, width: width, optimizer: optimizer, steps: steps, runs: runs,
        seed: seed, under: elements, train: train, targets: targets, test: test,
        testTargets: testTargets, centred: centred, nullArm: nullArm,
        transportPaired: transportPaired,
        parameterisation: parameterisation, workers: workers, progress: progress)
      try samples?(sample, runs)
      for element in elements.indices { moved[element] += sample.moved[element] }
      original += sample.original
      for element in sample.transported.indices {
        transported[element] += sample.transported[element]
      }
      pairsDone = size
      cell = try EnsembleCellMeasurement(
        moved: moved,
        originals: transportPaired
          ? transported : Array(repeating: original, count: elements.count),
        targets: testTargets.storage, margin: margin, alpha: alpha, looks: sizes.count,
        familySize: familySize)
      let worst = cell.worst
      progress(
        "ensembles of \(size): worst of \(elements.count) elements rho \(worst.effect), interval \(worst.interval); "
          + "p(equal) \(cell.pEqual), p(differ) \(cell.pDiffer)")
      if cell.isSettled { break }
    }
    return cell
  }
}
