import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

/// 24 train and 8 test CIFAR-10 images at 8 x 8 x 3, standardised, with centred one-hot targets.
private let data = try! ExperimentData.load(.cifar10, size: 8, trainCount: 24, testCount: 8)
private let probe = try! PredictionInvarianceProbe(
  train: data.train.images, targets: data.train.centredOneHotTargets, test: data.test.images)

@Suite("Prediction-level probes on real images")
struct PredictionProbeTests {
  @Test(
    "FCN kernel regression predictions are unchanged by a random O(d) acting on train and test data",
    arguments: KernelKind.allCases, Activation.allCases)
  func fcnIsOrthogonallyInvariant(kind: KernelKind, activation: Activation) throws {
    let fcn = try NamedArchitecture.fcn.architecture(depth: 2, activation: activation)
    let g = try OrthogonalFamily().element(for: data.train.images.shape, seed: 17)
    let measured = try probe.measure(KernelRegressionLearner(fcn, kind: kind), under: g)
    #expect(measured.algorithmic == .invariant, "deviation \(measured.algorithmicDeviation)")
    #expect(measured.functional == .notInvariant, "deviation \(measured.functionalDeviation)")
  }

  @Test(
    "CNN-GAP predictions change when pixels are permuted in train and test data (negative control)")
  func gapIsNotPermutationInvariant() throws {
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu)
    let g = try PixelPermutationFamily().element(for: data.train.images.shape, seed: 3)
    let measured = try probe.measure(KernelRegressionLearner(gap, kind: .nngp), under: g)
    #expect(measured.algorithmic == .notInvariant, "deviation \(measured.algorithmicDeviation)")
  }

  @Test(
    "A CNN-GAP kernel regressor predicts the same on every circular translation of a test image")
  func gapIsFunctionallyTranslationInvariant() throws {
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .erf)
    let measured = try probe.measure(
      KernelRegressionLearner(gap, kind: .ntk, time: 100), under: Translation(dy: 3, dx: 5))
    #expect(measured.functional == .invariant, "deviation \(measured.functionalDeviation)")
    #expect(measured.algorithmic == .invariant, "deviation \(measured.algorithmicDeviation)")
  }

  @Test("Precomposing the learner with g is the same experiment as acting on the data with g")
  func precomposedLearnerIsActingOnData() throws {
    let vec = try NamedArchitecture.cnnVec.architecture(depth: 1, activation: .relu)
    let learner = KernelRegressionLearner(vec, kind: .nngp, diagReg: 1e-4)
    let g = try PatchShuffleFamily().element(for: data.train.images.shape, seed: 8)
    let onModel = try PrecomposedLearner(learner, action: g)
      .fit(data.train.images, targets: data.train.centredOneHotTargets).predict(data.test.images)
    let onData = try learner.fit(
      g.apply(to: data.train.images), targets: data.train.centredOneHotTargets
    )
    .predict(g.apply(to: data.test.images))
    #expect(onModel == onData)
  }

  @Test("Mismatched targets and images are refused with a typed error")
  func mismatchedTargets() throws {
    #expect(throws: ProbeError.self) {
      try PredictionInvarianceProbe(
        train: data.train.images, targets: try Matrix(rows: 3, columns: 10), test: data.test.images)
    }
    let fcn = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    #expect(throws: ProbeError.self) {
      try KernelRegressionLearner(fcn, kind: .nngp).fit(
        data.train.images, targets: try Matrix(rows: 2, columns: 10))
    }
  }
}
