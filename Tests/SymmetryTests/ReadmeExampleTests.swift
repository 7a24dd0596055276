import Learners
import Probes
import Symmetries
import Testing

@Suite("The README's Swift example")
struct ReadmeExampleTests {
  @Test("The README's Swift example runs and finds CNN-GAP not invariant to pixel permutations")
  func readmeExample() throws {
    let data = try ExperimentData.load(.cifar10, size: 8, trainCount: 12, testCount: 4)
    let mine = try Architecture(parsing: "conv(3) relu conv(3) relu gap readout")
    let kernels = try mine.kernels(data.train.images, nil)
    #expect(kernels.nngp.rows == 12 && kernels.ntk.columns == 12)

    let g = try PixelPermutationFamily().element(for: data.train.images.shape, seed: 1)
    let probe = try KernelInvarianceProbe(train: data.train.images, test: data.test.images)
    let measured = try probe.measure(mine, under: g)
    #expect(Verdict(deviation: measured.algorithmic.ntk, thresholds: .kernel) == .notInvariant)

    let learner = KernelRegressionLearner(mine, kind: .ntk, diagReg: 1e-4)
    let predictions = try PredictionInvarianceProbe(
      train: data.train.images, targets: data.train.centredOneHotTargets, test: data.test.images
    ).measure(learner, under: g)
    #expect(predictions.algorithmic == .notInvariant)
  }
}
