import Dispatch
import Foundation
import Learners
import Symmetries
import Synchronization

/// The ensemble probe for any `RandomLearner` (a Swift learner, or a program in another language
/// through `CommandLearner`): is the learner algorithmically invariant to an action, and is it
/// functionally invariant?
///
/// For each pair r (seed s_r, shared by every arm of the pair: common random numbers) the probe
/// runs the learner
/// - on S, predicting the test images and all their moved copies in one run, x* stacked over
///   g_1 x*, ..., g_E x* (so a learner needs no notion of actions), and
/// - on g_e.S for each element e, predicting g_e x*.
/// Then
/// - **algorithmic** invariance compares f_{g_e.S}(g_e x*) with f_S(x*) over the pairs: equal in
///   distribution when the learner cannot tell the transformed task from the original;
/// - **functional** invariance compares the same trained predictor at g_e x* and at x*:
///   f_S(g_e x*) with f_S(x*).
/// Each is a cell of the ensemble probe (`EnsembleCellMeasurement`: rho per element, the worst
/// case over the elements, Bonferroni over the looks), the two cells one family decided by Holm's
/// procedure at family-wise error alpha (`DistributionalVerdict.decide`). While a cell is
/// undecided the pairs double (K, 2K, ... up to `maxSeeds`), as in `EnsembleInvarianceProbe`.
///
/// Exact evidence, run by run: the functional pairs are one predictor at two inputs, so a
/// deviation above the floor of `VerdictThresholds.prediction` breaks functional invariance
/// for that training set (`not exactly invariant`), and agreement to round-off everywhere is
/// `exactly invariant`. The algorithmic pairs share a seed, which need not be a transport: their
/// agreement is exact evidence, their disagreement none (`unknown`).
public struct LearnerInvarianceProbe: Sendable {
  /// Pairs K at the first look (at least 3).
  public var seeds = 16
  /// The most pairs the sequential rule may reach.
  public var maxSeeds = 64
  /// The experiment seed; run r's seed is `runSeed(seed, pair: r)`.
  public var seed: UInt64 = 0
  /// The smallest distance rho that counts as a difference.
  public var margin = EnsembleInvarianceProbe.defaultMargin
  /// The family-wise error rate of the two verdicts.
  public var alpha = 0.05
  /// Runs executed at the same time.
  public var jobs = 1

  /// A probe of `seeds` pairs at the first look, up to `maxSeeds`, `jobs` runs at a time.
  public init(seeds: Int = 16, maxSeeds: Int = 64, seed: UInt64 = 0, jobs: Int = 1) {
    self.seeds = seeds
    self.maxSeeds = maxSeeds
    self.seed = seed
    self.jobs = jobs
  }

  /// The seed of pair `pair`: `derivedSeed(seed, .pair, pair)` cut to 31 bits, so that every
  /// framework's seed type takes it (NumPy, PyTorch and JAX all accept integers below 2^31).
  public static func runSeed(_ seed: UInt64, pair: Int) -> UInt64 {
    derivedSeed(seed, stream: .pair, index: pair) >> 33
  }

  /// The pair counts at which the rule looks: K, 2K, 4K, ... while at most `maxSeeds`.
  public var looks: [Int] {
    var sizes = [seeds]
    while 2 * sizes.last! <= maxSeeds { sizes.append(2 * sizes.last!) }
    return sizes
  }

  /// Runs the learner and measures both kinds of invariance under `elements`.
  ///
  /// - Parameter learner: the learner, run once per arm and pair.
  /// - Parameter elements: the group elements; each gets its own g.S arm.
  /// - Parameter train: the training images S.
  /// - Parameter targets: the training targets, one row per training image.
  /// - Parameter test: the test images x* the predictions are compared on.
  /// - Parameter testTargets: the test images' targets (m x k), for the test loss; nil when
  ///   unknown (the loss is then that of predicting 0).
  /// - Parameter progress: called with a line after each run.
  /// - Throws: `ProbeError.invalidOption` for fewer than 3 seeds, `maxSeeds` below `seeds`, no
  ///   elements or fewer than one job, `ProbeError.mismatch` for images and targets that do not
  ///   fit, `SymmetryError` when an element cannot act on the images, and the first run's error
  ///   (`ExternalLearnerError.runFailed`, with the runs finished before it counted; a Swift
  ///   learner's error is wrapped into one). Runs in flight when one fails still finish.
  /// - Complexity: (E + 1) K to (E + 1) `maxSeeds` runs of the learner.
  public func measure(
    _ learner: some RandomLearner, under elements: [any GroupAction], train: ImageBatch,
    targets: Matrix,
    test: ImageBatch, testTargets: Matrix? = nil,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> LearnerInvarianceMeasurement {
    guard seeds >= 3 else {
      throw ProbeError.invalidOption("the probe needs at least 3 seeds per arm, got \(seeds)")
    }
    guard maxSeeds >= seeds else {
      throw ProbeError.invalidOption(
        "the largest ensemble (\(maxSeeds)) must be at least the first (\(seeds))")
    }
    guard !elements.isEmpty else {
      throw ProbeError.invalidOption("the probe needs at least one group element")
    }
    guard jobs >= 1 else {
      throw ProbeError.invalidOption("--jobs must be at least 1, got \(jobs)")
    }
    guard targets.rows == train.count else {
      throw ProbeError.mismatch(
        "\(train.count) training images but \(targets.rows) rows of targets")
    }
    guard train.shape == test.shape else {
      throw ProbeError.mismatch(
        "training images are \(train.shape) but test images are \(test.shape)")
    }
    if let testTargets, testTargets.rows != test.count || testTargets.columns != targets.columns {
      throw ProbeError.mismatch(
        "test targets are \(testTargets.rows) x \(testTargets.columns) for \(test.count) test images and "
          + "\(targets.columns) target columns")
    }
    let moved = try elements.map { (train: try $0.apply(to: train), test: try $0.apply(to: test)) }
    let stacked = try ImageBatch(
      shape: test.shape, values: test.values + moved.flatMap(\.test.values))
    let m = test.count
    let k = targets.columns
    let targetValues = testTargets?.storage ?? [Double](repeating: 0, count: m * k)
    let sizes = looks
    var algorithmic: [[[Double]]] = Array(repeating: [], count: elements.count)
    var functional: [[[Double]]] = Array(repeating: [], count: elements.count)
    var original: [[Double]] = []
    var cells: (algorithmic: EnsembleCellMeasurement, functional: EnsembleCellMeasurement)!
    var runsDone = 0
    for size in sizes {
      let pairs = original.count..<size
      let arms = elements.count + 1
      let runs = pairs.flatMap { pair in
        (0..<arms).map { arm in
          LearnerRun(
            arm: arm == 0 ? "S" : "g\(arm).S", pair: pair, seed: Self.runSeed(seed, pair: pair))
        }
      }
      let results = try execute(runs, runsBefore: runsDone, progress: progress) { run, index in
        let arm = index % arms
        if arm == 0 {
          return try learner.predictions(
            train: train, targets: targets, test: stacked, seed: run.seed, run: run)
        }
        return try learner.predictions(
          train: moved[arm - 1].train, targets: targets, test: moved[arm - 1].test, seed: run.seed,
          run: run)
      }
      runsDone += runs.count
      for (index, result) in results.enumerated() {
        let arm = index % arms
        let values = result.storage
        if arm == 0 {
          original.append(Array(values[0..<(m * k)]))
          for element in elements.indices {
            functional[element].append(
              Array(values[((element + 1) * m * k)..<((element + 2) * m * k)]))
          }
        } else {
          algorithmic[arm - 1].append(values)
        }
      }
      cells = (
        try EnsembleCellMeasurement(
          moved: algorithmic, original: original, targets: targetValues, margin: margin,
          alpha: alpha,
          looks: sizes.count, familySize: 2),
        try EnsembleCellMeasurement(
          moved: functional, original: original, targets: targetValues, margin: margin,
          alpha: alpha,
          looks: sizes.count, familySize: 2)
      )
      progress(
        "\(size) pairs: algorithmic worst rho \(String(format: "%.4f", cells.algorithmic.worst.effect)), "
          + "functional worst rho \(String(format: "%.4f", cells.functional.worst.effect))")
      if cells.algorithmic.isSettled && cells.functional.isSettled { break }
    }
    func deviation(_ arms: [[[Double]]]) -> Double {
      arms.flatMap { arm in zip(arm, original).map { relativeDeviation($0, $1) } }.max() ?? 0
    }
    return LearnerInvarianceMeasurement(
      algorithmic: cells.algorithmic, functional: cells.functional,
      algorithmicDeviation: deviation(algorithmic),
      functionalDeviation: deviation(functional), runs: runsDone)
  }

  /// Runs `work` over `runs` with up to `jobs` at a time, results in order. After a failure no
  /// new run starts; the runs in flight finish, and the first failure is thrown with the count
  /// of runs that finished.
  private func execute(
    _ runs: [LearnerRun], runsBefore: Int, progress: @escaping @Sendable (String) -> Void,
    _ work: @escaping @Sendable (LearnerRun, Int) throws -> Matrix
  ) throws -> [Matrix] {
    let results = Mutex<[Int: Matrix]>([:])
    let failure = Mutex<(index: Int, error: any Error)?>(nil)
    let next = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let total = runs.count
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, total))) { _ in
      while failure.withLock({ $0 == nil }) {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= total { break }
        do {
          let matrix = try work(runs[index], index)
          results.withLock { $0[index] = matrix }
          let done = finished.wrappingAdd(1, ordering: .relaxed).newValue
          progress("run \(runsBefore + done) finished: \(runs[index])")
        } catch {
          failure.withLock { current in
            if current == nil || index < current!.index { current = (index, error) }
          }
        }
      }
    }
    if let (index, error) = failure.withLock({ $0 }) {
      let kept = runsBefore + results.withLock { $0.count }
      switch error {
      case ExternalLearnerError.runFailed(let run, let reason, let standardError, _, let cache):
        throw ExternalLearnerError.runFailed(
          run: run, reason: reason, standardError: standardError, runsKept: kept, cache: cache)
      case let error as ExternalLearnerError:
        throw error
      default:
        throw ExternalLearnerError.runFailed(
          run: runs[index], reason: .failed("the learner threw: \(error)"), standardError: [],
          runsKept: kept,
          cache: nil)
      }
    }
    return results.withLock { table in (0..<total).map { table[$0]! } }
  }
}

/// What `LearnerInvarianceProbe` measured: the algorithmic and the functional cell, decided
/// together.
public struct LearnerInvarianceMeasurement: Sendable, Hashable {
  /// The algorithmic cell: f_{g.S}(g x*) against f_S(x*) over the ensembles.
  public var algorithmic: EnsembleCellMeasurement
  /// The functional cell: f_S(g x*) against f_S(x*) over the ensembles.
  public var functional: EnsembleCellMeasurement
  /// The largest relative deviation between the two runs of a pair: f_{g.S}(g x*) against
  /// f_S(x*) (algorithmic), f_S(g x*) against f_S(x*) (functional).
  public var algorithmicDeviation: Double
  /// The largest relative deviation f_S(g x*) against f_S(x*) over the pairs.
  public var functionalDeviation: Double
  /// Runs of the learner the probe used.
  public var runs: Int

  /// The distributional verdicts of the family {algorithmic, functional} (Holm).
  public var distributional: (algorithmic: DistributionalVerdict, functional: DistributionalVerdict)
  {
    let verdicts = DistributionalVerdict.decide(
      [algorithmic, functional], alpha: algorithmic.alpha)
    return (verdicts[0], verdicts[1])
  }

  /// Exact evidence for algorithmic invariance: the pairs share a seed, which need not be a
  /// transport, so only agreement counts.
  public var algorithmicExact: ExactVerdict {
    Verdict(deviation: algorithmicDeviation, thresholds: .prediction) == .invariant
      ? .invariant : .unknown
  }

  /// Exact evidence for functional invariance: one predictor at x* and at g x*.
  public var functionalExact: ExactVerdict {
    switch Verdict(deviation: functionalDeviation, thresholds: .prediction) {
    case .invariant: return .invariant
    case .notInvariant: return .notInvariant
    case .inconclusive, .noSignal: return .unknown
    }
  }
}
