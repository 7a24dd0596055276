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

  @Test(
    "A diverging learning rate is detected and reported with its step; no NaN predictor is returned"
  )
  func divergenceIsReported() throws {
    let network = try FiniteNetwork(
      architecture: fcn(), inputShape: imageShape, width: 8, outputs: 2, seed: 1)
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
    let network = try FiniteNetwork(
      architecture: fcn(), inputShape: imageShape, width: 4, outputs: 2, seed: 1)
    let images = randomBatch(imageShape, count: 4, seed: 2)
    let threeLabels = try Matrix.centredOneHot(labels: [0, 1, 0], classCount: 2)
    #expect(
      throws: FiniteError.targetMismatch(images: 4, targetRows: 3, targetColumns: 2, outputs: 2)
    ) {
      try network.trained(
        on: images, targets: threeLabels, optimizer: .gradientDescent(learningRate: 1), steps: 1)
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
