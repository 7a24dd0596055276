import Dispatch
import Learners
import Symmetries
import Synchronization

/// The raw material of the ensemble probe: for each group element g_e, the test predictions of
/// K networks trained on g_e.S (evaluated at g_e x*), and of K networks trained on S (evaluated at
/// x*), run s of every arm starting from the same initial parameters theta_s (common random
/// numbers; the S arm is shared by all elements), and optionally a null arm of K networks trained
/// on S from parameters no pair uses (a comparison of S with itself that measures the probe's
/// own noise).
///
/// Predictions are stored per network as the m x k test outputs, row-major.
public struct EnsembleSample: Sendable, Hashable, Codable {
  /// Per group element, per network of its g.S arm: the predictions at g x*, m k values.
  public var moved: [[[Double]]]
  /// Per network of the S arm, from the same theta_s: its predictions at x*.
  public var original: [[Double]]
  /// Per group element, per network of its transport-paired S arm (`transportPaired`): trained
  /// on S from the transported parameters T_g(theta_s), evaluated at x*; empty otherwise (then
  /// `original` is the S arm), and `original` empty when it is used.
  public var transported: [[[Double]]] = []
  /// Per network of the null arm, empty when not trained.
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
  /// Pair r (for r in `runs`) uses `derivedSeed(seed, stream: .pair, index: r)` for the initial
  /// parameters and the batch order of its S network and of each of its g.S networks; null
  /// run r uses the `.null` stream. Distinct experiment seeds therefore never share a run.
  ///
  /// With `transportPaired`, each element g_e gets its own S arm, whose run r starts from the
  /// transported parameters T_{g_e}(theta_r) (`FiniteNetwork.transported(by:)`; every element must
  /// lift): a network on S whose initial function at x is theta_r's at g_e x. T_g keeps the
  /// initialisation's law, so the arm samples f_S(x*) as the shared S arm does, but run r of it
  /// coincides with run r of the g_e.S arm wherever the optimiser commutes with the transport:
  /// the pairs differ only by the optimiser's break, which narrows the interval of rho.
  ///
  /// - Throws: `FiniteError` for bad data or a diverging run, `SymmetryError` when an element
  ///   cannot act on the images, `ProbeError.invalidOption` for no elements or no runs.
  /// - Complexity: (E + 1) K trainings ((E + 2) K with the null arm), K = `runs.count`.
  public static func train(
    architecture: Architecture, width: Int, optimizer: Optimizer, steps: Int, runs: Range<Int>,
    seed: UInt64, under elements: [any GroupAction], train: ImageBatch, targets: Matrix,
    test: ImageBatch, testTargets: Matrix, centred: Bool = false, nullArm: Bool = false,
    transportPaired: Bool = false, parameterisation: Parameterisation = .ntk, workers: Int = 2,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> EnsembleSample {
    guard !elements.isEmpty, !runs.isEmpty else {
      throw ProbeError.invalidOption(
        "an ensemble sample needs at least one group element and one run")
    }
    let movedData = try elements.map {
      (train: try $0.apply(to: train), test: try $0.apply(to: test))
    }
    // Job j: arm j / K (0..<E: element e on g_e.S; then the S arm, or E transport-paired S
    // arms; then the null arm), run j % K.
    let seeds = runs.count
    let count0 = elements.count
    let originalArms = transportPaired ? count0 : 1
    let arms = count0 + originalArms + (nullArm ? 1 : 0)
    let count = arms * seeds
    let inputs = Inputs(
      architecture: architecture, width: width, optimizer: optimizer, steps: steps,
      targets: targets, centred: centred, parameterisation: parameterisation)
    let results = Mutex<[Int: Result<[Double], any Error>]>([:])
    let next = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
      while true {
        let job = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if job >= count { break }
        let arm = job / seeds
        let run = runs.lowerBound + job % seeds
        let isNull = arm >= count0 + originalArms
        let runSeed = derivedSeed(seed, stream: isNull ? .null : .pair, index: run)
        let (images, testImages) = arm < count0 ? movedData[arm] : (train, test)
        let transport = transportPaired && arm >= count0 && !isNull ? elements[arm - count0] : nil
        let result = Result {
          try inputs.predictions(
            on: images, at: testImages, seed: runSeed, transportedBy: transport)
        }
        results.withLock { $0[job] = result }
        let done = finished.wrappingAdd(1, ordering: .relaxed).newValue
        let label =
          arm < count0
          ? "g\(arm + 1).S"
          : isNull ? "S, null arm" : transport != nil ? "S from T_g\(arm - count0 + 1)(theta)" : "S"
        progress("network \(done)/\(count) trained (\(label), run \(run))")
      }
    }
    let all = try results.withLock { table in try (0..<count).map { try table[$0]!.get() } }
    func arm(_ index: Int) -> [[Double]] { Array(all[(index * seeds)..<((index + 1) * seeds)]) }
    var sample = EnsembleSample(
      moved: (0..<count0).map(arm), original: transportPaired ? [] : arm(count0),
      fresh: nullArm ? arm(count0 + originalArms) : [], targets: testTargets.storage,
      outputs: testTargets.columns)
    if transportPaired { sample.transported = (count0..<(2 * count0)).map(arm) }
    return sample
  }

  /// The read-only inputs every training job shares.
  private struct Inputs: Sendable {
    let architecture: Architecture
    let width: Int
    let optimizer: Optimizer
    let steps: Int
    let targets: Matrix
    let centred: Bool
    let parameterisation: Parameterisation

    /// Trains on `images` from the parameters of `seed` (transported by `transport`, if
    /// given) and predicts at `testImages`.
    func predictions(
      on images: ImageBatch, at testImages: ImageBatch, seed: UInt64,
      transportedBy transport: (any GroupAction)?
    ) throws -> [Double] {
      var network = try FiniteNetwork(
        architecture: architecture, inputShape: images.shape, width: width,
        outputs: targets.columns, seed: seed, parameterisation: parameterisation)
      if let transport {
        guard let transported = try network.transported(by: transport).network else {
          throw ProbeError.invalidOption(
            "transport-paired ensembles need every element to lift into the architecture's parameters; \(transport) does not"
          )
        }
        network = transported
      }
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
