import Learners
import Probes
import Symmetries
import Testing

/// CIFAR-10 average-pooled to 4 x 4 x 3: the smallest images on which the architectures differ,
/// so that debug builds train the ensembles in seconds.
private let data = try! ExperimentData.load(.cifar10, size: 4, trainCount: 32, testCount: 100)

/// Width, steps and seeds of every claim below: one scale for all cells, chosen for the debug
/// build's speed before the verdicts were known, never per claim.
private let width = 8
private let steps = 40
private let seeds = 12

private func ensemble(
  _ name: NamedArchitecture, _ family: any ActionFamily, _ optimizer: Optimizer, seed: UInt64 = 0
) throws -> EnsembleMeasurement {
  let shape = data.train.images.shape
  let action = try family.element(for: shape, seed: seed)
  return try EnsembleInvarianceProbe(
    architecture: name.architecture(depth: 1, activation: .relu), width: width,
    optimizer: optimizer, steps: steps, seeds: seeds, seed: seed &+ 1
  ).measure(
    under: action, train: data.train.images, targets: data.train.centredOneHotTargets,
    test: data.test.images, testTargets: data.test.centredOneHotTargets)
}

private let descent = Optimizer.gradientDescent(learningRate: 1)
private let adam = Optimizer.adam(learningRate: 1e-2)

@Suite("Ensemble probe: finite networks in distribution over initialisations")
struct EnsembleProbeTests {
  @Test("The ensemble probe finds FCN trained by gradient descent invariant under O(d)")
  func fcnDescentKeepsOrthogonal() throws {
    let measurement = try ensemble(.fcn, OrthogonalFamily(), descent)
    #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("The ensemble probe finds finite CNN-VEC not invariant under per-pixel channel rotations")
  func cnnVecLosesPixelwiseRotations() throws {
    let measurement = try ensemble(.cnnVec, PixelwiseChannelRotationFamily(), descent)
    #expect(measurement.verdict == .notInvariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("The ensemble probe finds finite CNN-VEC trained by gradient descent invariant under translations")
  func cnnVecKeepsTranslations() throws {
    let measurement = try ensemble(.cnnVec, TranslationFamily(), descent)
    #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("The ensemble probe finds FCN with Adam not invariant under O(d)")
  func fcnAdamLosesOrthogonal() throws {
    let measurement = try ensemble(.fcn, OrthogonalFamily(), adam)
    #expect(measurement.verdict == .notInvariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("The ensemble probe finds FCN with Adam invariant under pixel permutations")
  func fcnAdamKeepsPixelPermutations() throws {
    let measurement = try ensemble(.fcn, PixelPermutationFamily(), adam)
    #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("Ensemble training gives the same losses whatever the number of networks trained side by side")
  func workersDoNotChangeResults() throws {
    let shape = data.train.images.shape
    let action = try TranslationFamily().element(for: shape, seed: 3)
    func losses(workers: Int) throws -> [Double] {
      var probe = EnsembleInvarianceProbe(
        architecture: try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu),
        width: 4, optimizer: descent, steps: 5, seeds: 3, seed: 9)
      probe.workers = workers
      let measurement = try probe.measure(
        under: action, train: data.train.images, targets: data.train.centredOneHotTargets,
        test: data.test.images, testTargets: data.test.centredOneHotTargets)
      return measurement.movedLosses + measurement.originalLosses
    }
    #expect(try losses(workers: 1) == losses(workers: 2))
  }

  @Test("An ensemble of one network is a typed error")
  func oneSeedThrows() throws {
    let probe = EnsembleInvarianceProbe(
      architecture: try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu), width: 4,
      optimizer: descent, steps: 1, seeds: 1)
    #expect(throws: ProbeError.self) {
      try probe.measure(
        under: Translation(dy: 1, dx: 0), train: data.train.images,
        targets: data.train.centredOneHotTargets, test: data.test.images,
        testTargets: data.test.centredOneHotTargets)
    }
  }
}
