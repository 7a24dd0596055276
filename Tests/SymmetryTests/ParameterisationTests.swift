import CheckerSupport
import Learners
import Symmetries
import SymmetryTesting
import Testing

// MARK: - Tolerances

/// The two parameterisations compute s_w (W x) and (s_w W) x: the same products in another
/// order, so they agree to a few ulps per accumulated term (depth 2, fan-ins up to ~100: about
/// 1e-14); a missing or doubled scale changes outputs by O(1).
private let sameFunctionTolerance = 1e-11

/// The Monte Carlo NNGP's error shrinks like 1 / sqrt(width * samples) (`FiniteKernelTests`
/// measured multiples 0.7 to 1.6 of it); 4 leaves room for this architecture and seed.
private let monteCarloConstant = 4.0

// MARK: - Claims

@Suite("Finite networks: NTK and standard parameterisation")
struct ParameterisationTests {
  @Test(
    "One seed gives the same initial function in both parameterisations, from different parameters",
    arguments: NamedArchitecture.allCases)
  func sameInitialFunction(_ name: NamedArchitecture) throws {
    let imageShape = shape(4, 4, 3)
    let images = randomBatch(imageShape, count: 5, seed: 3)
    let architecture = try name.architecture(depth: 2, activation: .relu)
    let ntk = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 6, outputs: 3, seed: 11)
    let standard = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 6, outputs: 3, seed: 11,
      parameterisation: .standard)
    #expect(standard.parameterisation == .standard && ntk.parameterisation == .ntk)
    // Different vectors (the standard one carries sigma_w / sqrt(fan-in)), so the agreement
    // below is not that of one network with itself.
    #expect(relativeDeviation(standard.parameters, ntk.parameters) > 0.1)
    expectClose(
      try standard.predictions(images, threads: 1).storage,
      try ntk.predictions(images, threads: 1).storage, tolerance: sameFunctionTolerance)
  }

  @Test(
    "Standard-parameterisation networks at initialisation have the analytic NNGP as their law; unscaled N(0, 1) weights do not"
  )
  func standardInitialisationHasTheNNGP() throws {
    let imageShape = shape(3, 3, 2)
    let images = randomBatch(imageShape, count: 3, seed: 31)
    let architecture = try NamedArchitecture.cnnVec.architecture(depth: 1, activation: .erf)
    let analytic = try architecture.kernels(images, nil).nngp
    let (width, samples) = (64, 8)
    func monteCarloNNGP(unscaled: Bool) throws -> [Double] {
      var sum = [Double](repeating: 0, count: images.count * images.count)
      for s in 0..<samples {
        var network = try FiniteNetwork(
          architecture: architecture, inputShape: imageShape, width: width, outputs: width,
          seed: 100 + UInt64(s), parameterisation: .standard)
        if unscaled {
          // The negative control: the standard forward pass on N(0, 1) draws.
          let raw = try FiniteNetwork(
            architecture: architecture, inputShape: imageShape, width: width, outputs: width,
            seed: 100 + UInt64(s))
          network = try network.replacingParameters(raw.parameters)
        }
        let f = try network.predictions(images, threads: 1)
        for i in 0..<images.count {
          for j in 0..<images.count {
            var dot = 0.0
            for k in 0..<width { dot += f[i, k] * f[j, k] }
            sum[i * images.count + j] += dot / Double(width * samples)
          }
        }
      }
      return sum
    }
    let bound = monteCarloConstant / Double(width * samples).squareRoot()
    let error = relativeDeviation(try monteCarloNNGP(unscaled: false), analytic.storage)
    #expect(error < bound, "Monte Carlo NNGP error \(error), bound \(bound)")
    #expect(bound < 0.9)
    let control = relativeDeviation(try monteCarloNNGP(unscaled: true), analytic.storage)
    // Unscaled, the kernel grows by the fan-ins (18, then 9 x 64): a relative deviation near
    // its ceiling of 1, whatever the Monte Carlo noise.
    #expect(control > 0.9, "unscaled weights' NNGP error \(control)")
  }

  @Test(
    "A standard weight's gradient is sqrt(fan-in) / W_std times the NTK one, a bias's 1 / b_std times"
  )
  func gradientsScaleByTheInverseFactor() throws {
    let imageShape = shape(2, 2, 3)
    let images = randomBatch(imageShape, count: 4, seed: 8)
    var generator = SeededGenerator(seed: 2)
    let targets = try Matrix(rows: 4, columns: 2, storage: try generator.gaussians(8))
    // Fan-ins 12 (the flattened image) and 5 (the hidden units).
    let architecture = try Architecture(
      parsing: "flatten dense(w=1.5,b=0.25) relu readout(w=2,b=0.5)")
    let ntk = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 5, outputs: 2, seed: 4)
    let standard = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 5, outputs: 2, seed: 4,
      parameterisation: .standard)
    let g = try ntk.lossAndGradient(on: images, targets: targets, threads: 1).gradient
    let h = try standard.lossAndGradient(on: images, targets: targets, threads: 1).gradient
    // Layout: dense W (12 x 5), b (5), readout W (5 x 2), b (2).
    let factors =
      Array(repeating: 1.5 / 12.0.squareRoot(), count: 60) + Array(repeating: 0.25, count: 5)
      + Array(repeating: 2 / 5.0.squareRoot(), count: 10) + Array(repeating: 0.5, count: 2)
    try #require(g.count == factors.count && h.count == factors.count)
    expectClose(h, zip(g, factors).map { $0 / $1 }, tolerance: sameFunctionTolerance)
  }
}
