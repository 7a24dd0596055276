import Dispatch
import Learners
import Symmetries
import Synchronization

/// The raw material of the ensemble probe: the test predictions of K networks trained on g.S
/// (evaluated at g x*) and of K networks trained on S (evaluated at x*), run s of both arms
/// starting from the same initial parameters theta_s (common random numbers), and optionally a
/// third arm of K networks trained on S from fresh parameters theta_{K+s} (a null comparison,
/// S against S, that measures the probe's own noise).
///
/// Predictions are stored per network as the m x k test outputs, row-major.
public struct EnsembleSample: Sendable, Hashable, Codable {
  /// Per network of the g.S arm: its predictions at g x*, m k values.
  public var moved: [[Double]]
  /// Per network of the S arm, from the same theta_s: its predictions at x*.
  public var original: [[Double]]
  /// Per network of the null arm (S from theta_{K+s}), empty when not trained.
  public var fresh: [[Double]]
  /// The centred one-hot test targets, m x k row-major.
  public var targets: [Double]
  /// Outputs k per test image.
  public var outputs: Int

  /// Trains the arms, two networks at a time (one GEMM thread each: the networks are small,
  /// so running them side by side uses the cores better than splitting each product), which
  /// keeps results bit-identical to a serial run: every network is trained by one thread from
  /// its own seed.
  ///
  /// With `centred`, every network is the centred learner f_theta - f_theta0 (`CentredNetwork`)
  /// instead of f_theta.
  ///
  /// Run s of the g.S and S arms uses seed `seed + s` for the initial parameters and the batch
  /// order; run s of the null arm uses `nullSeed + s` (default `seed + K`).
  ///
  /// - Throws: `FiniteError` for bad data or a diverging run, `SymmetryError` when g cannot act
  ///   on the images.
  /// - Complexity: 2K (3K with the null arm) trainings.
  public static func train(
    architecture: Architecture, width: Int, optimizer: Optimizer, steps: Int, seeds: Int,
    seed: UInt64, under action: any GroupAction, train: ImageBatch, targets: Matrix,
    test: ImageBatch, testTargets: Matrix, centred: Bool = false, nullArm: Bool = false,
    nullSeed: UInt64? = nil, workers: Int = 2,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> EnsembleSample {
    let movedTrain = try action.apply(to: train)
    let movedTest = try action.apply(to: test)
    // Job j: arm j / K (0 moved, 1 original, 2 fresh), run j % K.
    let arms = nullArm ? 3 : 2
    let count = arms * seeds
    let inputs = Inputs(
      architecture: architecture, width: width, optimizer: optimizer, steps: steps,
      train: train, movedTrain: movedTrain, targets: targets, test: test, movedTest: movedTest,
      centred: centred)
    let results = Mutex<[Int: Result<[Double], any Error>]>([:])
    let next = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
      while true {
        let job = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if job >= count { break }
        let arm = job / seeds
        let run = job % seeds
        let runSeed = arm == 2 ? (nullSeed ?? seed &+ UInt64(seeds)) &+ UInt64(run) : seed &+ UInt64(run)
        let result = Result { try inputs.predictions(arm: arm, seed: runSeed) }
        results.withLock { $0[job] = result }
        let done = finished.wrappingAdd(1, ordering: .relaxed).newValue
        progress("network \(done)/\(count) trained (\(["g.S", "S", "S, fresh seed"][arm]), seed \(runSeed))")
      }
    }
    let all = try results.withLock { table in try (0..<count).map { try table[$0]!.get() } }
    return EnsembleSample(
      moved: Array(all[0..<seeds]), original: Array(all[seeds..<(2 * seeds)]),
      fresh: nullArm ? Array(all[(2 * seeds)...]) : [], targets: testTargets.storage,
      outputs: testTargets.columns)
  }

  /// The read-only inputs every training job shares.
  private struct Inputs: Sendable {
    let architecture: Architecture
    let width: Int
    let optimizer: Optimizer
    let steps: Int
    let train: ImageBatch
    let movedTrain: ImageBatch
    let targets: Matrix
    let test: ImageBatch
    let movedTest: ImageBatch
    let centred: Bool

    /// Arm 0 trains on g.S and predicts at g x*; arms 1 and 2 train on S and predict at x*.
    func predictions(arm: Int, seed: UInt64) throws -> [Double] {
      let network = try FiniteNetwork(
        architecture: architecture, inputShape: train.shape, width: width,
        outputs: targets.columns, seed: seed)
      let images = arm == 0 ? movedTrain : train
      let testImages = arm == 0 ? movedTest : test
      if centred {
        let trained = try network.trainedCentred(
          on: images, targets: targets, optimizer: optimizer, steps: steps, seed: seed, threads: 1)
        return try trained.predictions(testImages, threads: 1).storage
      }
      let trained = try network.trained(
        on: images, targets: targets, optimizer: optimizer, steps: steps, seed: seed, threads: 1)
      return try trained.network.predictions(testImages, threads: 1).storage
    }
  }
}
