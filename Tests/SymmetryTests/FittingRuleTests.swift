import CheckerSupport
import Learners
import Symmetries
import Testing

/// A small problem every rule below can fit: 16 random 2 x 2 x 2 images, 2 outputs.
private func problem(
  _ parameterisation: Parameterisation = .ntk
) throws -> (FiniteNetwork, ImageBatch, Matrix) {
  let imageShape = shape(2, 2, 2)
  let images = randomBatch(imageShape, count: 16, seed: 21)
  var generator = SeededGenerator(seed: 22)
  let targets = try Matrix(
    rows: 16, columns: 2, storage: try generator.gaussians(32).map { 0.3 * $0 })
  let network = try FiniteNetwork(
    architecture: Architecture(parsing: "flatten dense relu readout"), inputShape: imageShape,
    width: 32, outputs: 2, seed: 5, parameterisation: parameterisation)
  return (network, images, targets)
}

@Suite("Finite networks: training until the training set is fitted")
struct FittingRuleTests {
  @Test(
    "Full-batch training stops at the first step (or the next) whose training MSE is at most the threshold, on the same path as a fixed-length run"
  )
  func stopsWhenFitted() throws {
    let (network, images, targets) = try problem()
    let optimizer = Optimizer.gradientDescent(learningRate: 1)
    let fixed = try network.trained(
      on: images, targets: targets, optimizer: optimizer, steps: 400, threads: 1)
    // The threshold: half way (in log) between the start and the end of the fixed run.
    let threshold = 2 * (fixed.losses.first! * fixed.losses.last!).squareRoot()
    // losses[k] is the full loss after k steps (gradient descent sees every image).
    let first = try #require(fixed.losses.firstIndex { 2 * $0 <= threshold })
    let rule = try FittingRule(trainMSE: threshold)
    let run = try network.trained(
      on: images, targets: targets, optimizer: optimizer, steps: 400, until: rule, threads: 1)
    #expect(run.fitted == true)
    #expect(
      [first, first + 1].contains(run.stepsTaken),
      "stopped after \(run.stepsTaken), first fitted at \(first)")
    #expect(2 * run.losses.last! <= threshold)
    #expect(Array(run.losses.dropLast()) == Array(fixed.losses.prefix(run.stepsTaken)))
  }

  @Test(
    "Minibatch training checks once per epoch, so it stops on an epoch boundary",
    arguments: Parameterisation.allCases)
  func stopsOnAnEpochBoundary(_ parameterisation: Parameterisation) throws {
    let (network, images, targets) = try problem(parameterisation)
    let rate = parameterisation == .ntk ? 0.5 : 0.05
    let optimizer = Optimizer.sgd(learningRate: rate, batchSize: 4)
    let start = 2 * (try network.loss(on: images, targets: targets, threads: 1))
    let rule = try FittingRule(trainMSE: start / 4)
    let run = try network.trainedCentred(
      on: images, targets: targets, optimizer: optimizer, steps: 4_000, until: rule, seed: 1,
      threads: 1)
    #expect(run.fitted == true)
    #expect(
      run.stepsTaken > 0 && run.stepsTaken < 4_000 && run.stepsTaken % 4 == 0,
      "\(run.stepsTaken) steps")
    #expect(2 * run.losses.last! <= rule.trainMSE)
  }

  @Test(
    "A run that cannot fit within its cap stops at the cap and says it did not fit; a run without a rule gives no verdict"
  )
  func capReached() throws {
    let (network, images, targets) = try problem()
    let optimizer = Optimizer.gradientDescent(learningRate: 0.1)
    let capped = try network.trained(
      on: images, targets: targets, optimizer: optimizer, steps: 5,
      until: FittingRule(trainMSE: 1e-12),
      threads: 1)
    #expect(capped.fitted == false && capped.stepsTaken == 5)
    let plain = try network.trained(
      on: images, targets: targets, optimizer: optimizer, steps: 5, threads: 1)
    #expect(plain.fitted == nil && plain.stepsTaken == 5)
  }

  @Test(
    "A fitting threshold that is not positive and finite is a typed error",
    arguments: [0, -1, Double.nan, .infinity])
  func badThreshold(_ value: Double) {
    #expect(throws: FiniteError.self) { try FittingRule(trainMSE: value) }
  }
}
