import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

private let imageShape = shape(4, 4, 2)

@Suite("Finite networks: bad input")
struct FiniteErrorTests {
  private func fcn() throws -> Architecture {
    try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
  }

  @Test("A width of zero is a typed error, not a trap")
  func zeroWidthThrows() throws {
    #expect(throws: FiniteError.invalidWidth(parameter: "width", value: 0)) {
      try FiniteNetwork(architecture: fcn(), inputShape: imageShape, width: 0, outputs: 2, seed: 0)
    }
    #expect(throws: FiniteError.invalidWidth(parameter: "width", value: 0)) {
      try MonteCarloKernel(architecture: fcn(), width: 0, samples: 1, seed: 0)
    }
  }

  @Test("A diverging learning rate is detected and reported with its step; no NaN predictor is returned")
  func divergenceIsReported() throws {
    let network = try FiniteNetwork(architecture: fcn(), inputShape: imageShape, width: 8, outputs: 2, seed: 1)
    let images = randomBatch(imageShape, count: 4, seed: 2)
    let targets = try Matrix.centredOneHot(labels: [0, 1, 0, 1], classCount: 2)
    do {
      _ = try network.trained(
        on: images, targets: targets, optimizer: .gradientDescent(learningRate: 1e4), steps: 50)
      Issue.record("a learning rate of 1e4 should diverge")
    } catch FiniteError.diverged(let step, let loss) {
      #expect(step > 0 && step <= 50)
      #expect(!(loss.isFinite && loss <= FiniteNetwork.divergenceFactor))
    }
  }

  @Test("Labels that do not match the images are a typed error")
  func mismatchedTargetsThrow() throws {
    let network = try FiniteNetwork(architecture: fcn(), inputShape: imageShape, width: 4, outputs: 2, seed: 1)
    let images = randomBatch(imageShape, count: 4, seed: 2)
    let threeLabels = try Matrix.centredOneHot(labels: [0, 1, 0], classCount: 2)
    #expect(throws: FiniteError.targetMismatch(images: 4, targetRows: 3, targetColumns: 2, outputs: 2)) {
      try network.trained(on: images, targets: threeLabels, optimizer: .gradientDescent(learningRate: 1), steps: 1)
    }
    let wrongShape = randomBatch(shape(3, 3, 2), count: 4, seed: 2)
    #expect(throws: FiniteError.self) { try network.predictions(wrongShape) }
    #expect(throws: FiniteError.self) {
      try network.trained(
        on: images, targets: try Matrix.centredOneHot(labels: [0, 1, 0, 1], classCount: 2),
        optimizer: .sgd(learningRate: 1, batchSize: 9), steps: 1)
    }
  }
}

@Suite("Ensemble probe: decision rule")
struct EnsembleDecisionTests {
  private let base = [1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01, 0.99]

  @Test("The rule says invariant inside the margin, not invariant outside it, inconclusive across it")
  func decisionRule() {
    // moved_s = 1 + spread (base_s - 1) + shift + noise_s: paired with base, with independent
    // noise of a given size on top.
    let noise = [0.004, -0.011, 0.007, -0.002, 0.009, -0.006, 0.001, -0.003]
    func verdict(_ shift: Double, spread: Double = 1, noiseScale: Double = 1) -> Verdict {
      let moved = zip(base, noise).map { 1 + ($0 - 1) * spread + shift + noiseScale * $1 }
      return EnsembleMeasurement(moved: moved, original: base, margin: 0.05).verdict
    }
    #expect(verdict(0) == .invariant)
    #expect(verdict(0.2) == .notInvariant)
    #expect(verdict(-0.2) == .notInvariant)
    #expect(verdict(0.05, noiseScale: 3) == .inconclusive)
    #expect(verdict(0, noiseScale: 10) == .inconclusive)
  }

  @Test("The interval is the paired ratio's t interval: R +- t(0.975, K - 1) sd(A - (1 + R) B) / (sqrt(K) mean B)")
  func intervalIsTheRatioTInterval() {
    let moved = [1.10, 1.02, 1.05, 1.12, 0.97, 1.06, 1.09, 1.01]
    let measurement = EnsembleMeasurement(moved: moved, original: base, margin: 0.05)
    let meanA = moved.reduce(0, +) / 8
    let meanB = base.reduce(0, +) / 8
    let ratio = meanA / meanB
    let z = zip(moved, base).map { $0 - ratio * $1 }
    let sd = (z.map { $0 * $0 }.reduce(0, +) / 7).squareRoot()  // mean z = 0 by construction
    // t quantile from tables: Student t, 7 degrees of freedom, 0.975.
    let halfWidth = 2.364624251592785 * sd / (8.0.squareRoot() * meanB)
    #expect(abs(measurement.effect - (ratio - 1)) < 1e-14)
    #expect(abs(measurement.interval[0] - (ratio - 1 - halfWidth)) < 1e-10)
    #expect(abs(measurement.interval[1] - (ratio - 1 + halfWidth)) < 1e-10)
  }

  @Test("Equal losses in both arms (g acts trivially on the function) give a zero-width interval at zero")
  func identicalArmsAreInvariant() {
    let measurement = EnsembleMeasurement(moved: base, original: base, margin: 0.05)
    #expect(measurement.effect == 0 && measurement.interval == [0, 0])
    #expect(measurement.verdict == .invariant)
  }
}
