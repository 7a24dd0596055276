import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

/// The scale of every claim below, one for all cells and never per claim.
///
/// Small (the default, for the debug build's speed, chosen before the verdicts were known):
/// CIFAR-10 average-pooled to 4 x 4 x 3 (the smallest images on which the architectures
/// differ), 32 training and 100 test images, width 8, 40 steps, Adam at rate 0.01, the probe's
/// own sequential rule from 12 pairs (12, 24, 48 while inconclusive): 24 to 96 tiny trainings
/// of the centred learner per claim.
///
/// Full (`SYMMETRY_PROBES_FULL_CLAIMS=1`, for a release build): the grid of `symmetry-probe
/// train` exactly (8 x 8, 128 and 500 images, width 32, 100 steps, Adam at its default rate
/// 0.001, 16, 32, 64 pairs; seed 0), so these claims restate the README's table.
private struct Scale {
  let size: Int
  let trainCount: Int
  let testCount: Int
  let width: Int
  let steps: Int
  let seeds: Int
  let adamRate: Double

  static let small = Scale(size: 4, trainCount: 32, testCount: 100, width: 8, steps: 40, seeds: 12, adamRate: 1e-2)
  static let full = Scale(size: 8, trainCount: 128, testCount: 500, width: 32, steps: 100, seeds: 16, adamRate: 1e-3)
}

private let scale = isFullScaleRun ? Scale.full : Scale.small
private let data = try! ExperimentData.load(
  .cifar10, size: scale.size, trainCount: scale.trainCount, testCount: scale.testCount)

private func ensemble(
  _ name: NamedArchitecture, _ family: any ActionFamily, _ optimizer: Optimizer, seed: UInt64 = 0
) throws -> EnsembleMeasurement {
  let shape = data.train.images.shape
  let action = try family.element(for: shape, seed: seed)
  let probe = EnsembleInvarianceProbe(
    architecture: try name.architecture(depth: 1, activation: .relu), width: scale.width,
    optimizer: optimizer, steps: scale.steps, seeds: scale.seeds, seed: seed &+ 1)
  return try probe.measure(
    under: action, train: data.train.images, targets: data.train.centredOneHotTargets,
    test: data.test.images, testTargets: data.test.centredOneHotTargets)
}

private let descent = Optimizer.gradientDescent(learningRate: 1)
private let adam = Optimizer.adam(learningRate: scale.adamRate)

/// "rho 0.052, interval [0.000, 0.081]" for a failure message.
private func summary(_ measurement: EnsembleMeasurement) -> String {
  "rho \(measurement.effect), interval \(measurement.interval), \(measurement.pairs) pairs"
}

@Suite("Ensemble probe: finite networks in distribution over initialisations")
struct EnsembleProbeTests {
  @Test("The ensemble probe finds FCN trained by gradient descent invariant under O(d)")
  func fcnDescentKeepsOrthogonal() throws {
    let measurement = try ensemble(.fcn, OrthogonalFamily(), descent)
    #expect(measurement.verdict == .invariant, "\(summary(measurement))")
  }

  @Test("The ensemble probe finds FCN trained by gradient descent invariant under pixel permutations")
  func fcnDescentKeepsPixelPermutations() throws {
    let measurement = try ensemble(.fcn, PixelPermutationFamily(), descent)
    #expect(measurement.verdict == .invariant, "\(summary(measurement))")
  }

  /// On 4 x 4 images (where one 3 x 3 window covers 9 of the 16 pixels) the break is detected
  /// but stays under the margin; at 8 x 8 the grid measures rho 0.14, not invariant.
  @Test("The ensemble probe finds finite CNN-GAP not invariant under pixel permutations")
  func cnnGapLosesPixelPermutations() throws {
    let measurement = try ensemble(.cnnGap, PixelPermutationFamily(), descent)
    #expect(measurement.differenceDetected, "\(summary(measurement))")
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale: "width 8, 4 x 4 images, 24 pairs: measured rho 0.079, interval [0.050, 0.099]: detected, below the 0.1 margin"
    ) {
      #expect(measurement.verdict == .notInvariant, "\(summary(measurement))")
    }
  }

  @Test("The ensemble probe finds finite CNN-VEC not invariant under per-pixel channel rotations")
  func cnnVecLosesPixelwiseRotations() throws {
    let measurement = try ensemble(.cnnVec, PixelwiseChannelRotationFamily(), descent)
    #expect(measurement.verdict == .notInvariant, "\(summary(measurement))")
  }

  @Test("The ensemble probe finds finite CNN-VEC trained by gradient descent invariant under translations")
  func cnnVecKeepsTranslations() throws {
    let measurement = try ensemble(.cnnVec, TranslationFamily(), descent)
    #expect(measurement.verdict == .invariant, "\(summary(measurement))")
  }

  /// Adam's break of O(d) is real per seed (the transport probe's runs part by 0.15 to 0.6) but
  /// small in distribution: at the grid's scale rho is 0.05 to 0.08 (intervals that exclude 0 at
  /// rate 0.03, below the 0.1 margin; docs/finite-networks.md), and here it is not resolved.
  @Test("The ensemble probe finds FCN with Adam not invariant under O(d)")
  func fcnAdamLosesOrthogonal() throws {
    let measurement = try ensemble(.fcn, OrthogonalFamily(), adam)
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale: "width 8, 4 x 4 images, 48 pairs: measured rho 0.050, interval [0.000, 0.110]: inconclusive",
      knownAtFullScale: "the grid's cell: measured rho 0.025, interval [0.000, 0.062], 32 pairs: invariant within the margin"
    ) {
      #expect(measurement.verdict == .notInvariant, "\(summary(measurement))")
    }
  }

  @Test("The ensemble probe finds FCN with Adam invariant under pixel permutations")
  func fcnAdamKeepsPixelPermutations() throws {
    let measurement = try ensemble(.fcn, PixelPermutationFamily(), adam)
    #expect(measurement.verdict == .invariant, "\(summary(measurement))")
  }

  @Test("Ensemble training gives the same measurement whatever the number of networks trained side by side")
  func workersDoNotChangeResults() throws {
    let shape = data.train.images.shape
    let action = try TranslationFamily().element(for: shape, seed: 3)
    func measure(workers: Int) throws -> EnsembleMeasurement {
      var probe = EnsembleInvarianceProbe(
        architecture: try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu),
        width: 4, optimizer: descent, steps: 5, seeds: 3, seed: 9)
      probe.workers = workers
      return try probe.measure(
        under: action, train: data.train.images, targets: data.train.centredOneHotTargets,
        test: data.test.images, testTargets: data.test.centredOneHotTargets)
    }
    #expect(try measure(workers: 1) == measure(workers: 2))
  }

  @Test("The null arm's run s is the S arm's run K + s: fresh seeds, the same learner")
  func nullArmUsesFreshSeeds() throws {
    let shape = data.train.images.shape
    let action = try TranslationFamily().element(for: shape, seed: 3)
    let architecture = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu)
    func sample(seeds: Int, seed: UInt64, nullArm: Bool) throws -> EnsembleSample {
      try EnsembleSample.train(
        architecture: architecture, width: 4, optimizer: descent, steps: 3, seeds: seeds, seed: seed,
        under: action, train: data.train.images, targets: data.train.centredOneHotTargets,
        test: data.test.images, testTargets: data.test.centredOneHotTargets, nullArm: nullArm)
    }
    let withNull = try sample(seeds: 2, seed: 5, nullArm: true)
    let later = try sample(seeds: 2, seed: 7, nullArm: false)
    #expect(withNull.fresh.count == 2)
    #expect(withNull.fresh == later.original)
    #expect(withNull.fresh != withNull.original)
  }

  @Test("Each look hands over its new pairs' predictions, consecutive from pair 0 to the last one used, with a null arm of the same size")
  func samplesCoverThePairs() throws {
    var probe = EnsembleInvarianceProbe(
      architecture: try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu), width: 4,
      optimizer: descent, steps: 2, seeds: 3, seed: 4)
    probe.nullArm = true
    var looks: [(EnsembleSample, Range<Int>)] = []
    let measurement = try probe.measure(
      under: try OrthogonalFamily().element(for: data.train.images.shape, seed: 1),
      train: data.train.images, targets: data.train.centredOneHotTargets, test: data.test.images,
      testTargets: data.test.centredOneHotTargets, samples: { looks.append(($0, $1)) })
    #expect(looks.first?.1.lowerBound == 0 && looks.last?.1.upperBound == measurement.pairs)
    #expect(zip(looks, looks.dropFirst()).allSatisfy { $0.1.upperBound == $1.1.lowerBound })
    for (sample, pairs) in looks {
      #expect(sample.moved.count == pairs.count && sample.original.count == pairs.count)
      #expect(sample.fresh.count == pairs.count)
      // Fresh seeds: no null network repeats a pair's S network.
      #expect(sample.fresh.allSatisfy { fresh in !looks.contains { $0.0.original.contains(fresh) } })
    }
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

  @Test("An ensemble of two networks (too few for the jackknife) is a typed error")
  func twoSeedsThrow() throws {
    let probe = EnsembleInvarianceProbe(
      architecture: try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu), width: 4,
      optimizer: descent, steps: 1, seeds: 2)
    #expect(throws: ProbeError.self) {
      try probe.measure(
        under: Translation(dy: 1, dx: 0), train: data.train.images,
        targets: data.train.centredOneHotTargets, test: data.test.images,
        testTargets: data.test.centredOneHotTargets)
    }
  }
}
