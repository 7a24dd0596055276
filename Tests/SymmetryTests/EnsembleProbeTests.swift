import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

/// The scale of every claim below, one for all cells and never per claim.
///
/// Small (the default, for the debug build's speed, chosen before the verdicts were known):
/// CIFAR-10 average-pooled to 4 x 4 x 3 (the smallest images on which the architectures
/// differ), 32 training and 100 test images, width 8, 40 steps, Adam at rate 0.01, looks at 12
/// and 24 pairs, 3 group elements: 48 or 96 tiny trainings of the centred learner per claim.
/// Adam cells compare at coordinate probes, gradient descent at the test images, as `train`
/// does (`ProbeInputs.defaultInputs(for:)`).
/// Two looks keep the debug suite fast; they are enough to call the large breaks, and where
/// transport is exact the summary rests on it while the ensembles must merely not contradict it.
///
/// Full (`SYMMETRY_PROBES_FULL_CLAIMS=1`, for a release build): `symmetry-probe train` at its
/// defaults exactly (8 x 8, 128 and 500 images, width 32, 100 steps, each optimiser's default
/// rate, 16, 32, 64 pairs, 3 elements).
///
/// Both run on the confirmation: held-out images and streams (`FiniteInvarianceJob.heldOut`) at
/// a seed no tuning run used, so these claims confirm the rule rather than replay its tuning.
private struct Scale {
  let size: Int
  let trainCount: Int
  let testCount: Int
  let width: Int
  let steps: Int
  let seeds: Int
  let maxSeeds: Int
  let adam: Optimizer

  static let small = Scale(
    size: 4, trainCount: 32, testCount: 100, width: 8, steps: 40, seeds: 12, maxSeeds: 24,
    adam: .adam(learningRate: 1e-2))
  static let full = Scale(
    size: 8, trainCount: 128, testCount: 500, width: 32, steps: 100, seeds: 16, maxSeeds: 64,
    adam: try! FiniteInvarianceJob.defaultOptimizer(named: "adam"))
}

private let scale = isFullScaleRun ? Scale.full : Scale.small
/// The confirmation seed of these claims (held out).
private let confirmationSeed: UInt64 = 7
private let data = try! ExperimentData.load(
  .cifar10, size: scale.size, trainCount: scale.trainCount, testCount: scale.testCount,
  selection: .heldOut(seed: 0))

/// One cell of `symmetry-probe train` at the claims' scale, held out, decided alone.
private func cell(
  _ name: NamedArchitecture, _ family: any ActionFamily, _ optimizer: Optimizer
) throws -> FiniteInvarianceReport {
  var job = FiniteInvarianceJob()
  job.architecture = name
  job.action = family
  job.optimizer = optimizer
  job.size = scale.size
  job.trainCount = scale.trainCount
  job.testCount = scale.testCount
  job.width = scale.width
  job.steps = scale.steps
  job.seeds = scale.seeds
  job.maxSeeds = scale.maxSeeds
  job.seed = confirmationSeed
  job.heldOut = true
  return try job.run()
}

private let descent = Optimizer.gradientDescent(learningRate: 1)

/// "invariant: exact ..., distributions ..., worst rho 0.052 [0.000, 0.081] ..." for a failure message.
private func summary(_ report: FiniteInvarianceReport) -> String {
  "\(report.verdict): exact \(report.exact) (deviation \(report.transportDeviation.map { "\($0)" } ?? "-")), "
    + "distributions \(report.distributional), worst rho \(report.ensembleEffect) \(report.ensembleInterval), "
    + "elements \(report.ensembleElementEffects), \(report.ensembleSeeds) pairs, p(equal) \(report.ensemblePEqual), "
    + "p(differ) \(report.ensemblePDiffer)"
}

@Suite(
  "Ensemble probe: finite networks in distribution over initialisations (held-out confirmation)")
struct EnsembleProbeTests {
  @Test("FCN trained by gradient descent is invariant under O(d): exactly, and in distribution")
  func fcnDescentKeepsOrthogonal() throws {
    let report = try cell(.fcn, OrthogonalFamily(), descent)
    #expect(report.exact == .invariant && report.verdict == .invariant, "\(summary(report))")
    if isFullScaleRun { #expect(report.distributional == .equal, "\(summary(report))") }
  }

  @Test("FCN trained by gradient descent is invariant under pixel permutations")
  func fcnDescentKeepsPixelPermutations() throws {
    let report = try cell(.fcn, PixelPermutationFamily(), descent)
    #expect(report.exact == .invariant && report.verdict == .invariant, "\(summary(report))")
    if isFullScaleRun { #expect(report.distributional == .equal, "\(summary(report))") }
  }

  /// On 4 x 4 images (where one 3 x 3 window covers 9 of the 16 pixels) the break is small;
  /// at 8 x 8 the grid measures rho about 0.14.
  @Test("Finite CNN-GAP is not invariant under pixel permutations")
  func cnnGapLosesPixelPermutations() throws {
    let report = try cell(.cnnGap, PixelPermutationFamily(), descent)
    #expect(report.exact == .unknown, "\(summary(report))")
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale:
        "width 8, 4 x 4 images, held out: worst rho 0.061 [0, 0.086] at 24 pairs: equal within the margin"
    ) {
      #expect(report.verdict == .notInvariant, "\(summary(report))")
    }
  }

  @Test("Finite CNN-VEC is not invariant under per-pixel channel rotations (its kernel is)")
  func cnnVecLosesPixelwiseRotations() throws {
    let report = try cell(.cnnVec, PixelwiseChannelRotationFamily(), descent)
    #expect(report.exact == .unknown && report.ensembleDifferenceDetected, "\(summary(report))")
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale:
        "width 8, 4 x 4 images, held out: worst rho 0.162 [0.088, 0.211] at 24 pairs, p(differ) 0.055: inconclusive"
    ) {
      #expect(report.verdict == .notInvariant, "\(summary(report))")
    }
  }

  @Test("Finite CNN-VEC trained by gradient descent is invariant under translations")
  func cnnVecKeepsTranslations() throws {
    let report = try cell(.cnnVec, TranslationFamily(), descent)
    #expect(report.exact == .invariant && report.verdict == .invariant, "\(summary(report))")
  }

  @Test("Finite CNN-GAP trained by gradient descent is invariant under translations")
  func cnnGapKeepsTranslations() throws {
    let report = try cell(.cnnGap, TranslationFamily(), descent)
    #expect(report.exact == .invariant && report.verdict == .invariant, "\(summary(report))")
  }

  /// Adam's per-coordinate scaling does not commute with a rotation of the inputs: the
  /// transported runs part, so the summary can never be plain "invariant". In distribution the
  /// break is about a tenth of the root-mean-square prediction at the test images, at the
  /// margin; at coordinate probes (Adam's default) and `train`'s Adam rate 0.03 it is 0.24 on
  /// the tuning images (seed 0), and the confirmation (held out, seed 7) measured 0.268
  /// [0.217, 0.311] (docs/finite-networks.md).
  @Test("FCN with Adam is not invariant under O(d)")
  func fcnAdamLosesOrthogonal() throws {
    let report = try cell(.fcn, OrthogonalFamily(), scale.adam)
    #expect(report.exact == .notInvariant && report.verdict != .invariant, "\(summary(report))")
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale:
        "width 8, 4 x 4 images, Adam rate 0.01, coordinate probes, held out: transport deviation 0.43; worst rho 0.132 [0, 0.221] at 24 pairs: distributions inconclusive"
    ) {
      #expect(report.verdict == .notInvariant, "\(summary(report))")
    }
  }

  /// Pairing each g.S network with an S network from the transported parameters T_g(theta_s)
  /// leaves the two laws as they were (T_g keeps the initialisation's law) but makes the pairs
  /// differ only by the optimiser's break. At the test images (this claim's probes) and full
  /// scale (held out, seed 7) this measured rho 0.035 [0.023, 0.044] for Adam at its former
  /// rate 0.001, a difference a third of the margin, and 0 exactly for gradient descent; at
  /// today's rate 0.03, 0.110 [0.104, 0.115] at 64 pairs (`train --transport-paired --probes
  /// natural --held-out --seed 7`, docs/finite-networks.md).
  @Test(
    "Transport-paired ensembles detect Adam's break of O(d) in distribution, and find none for gradient descent"
  )
  func transportPairingDetectsAdam() throws {
    func pairedCell(_ optimizer: Optimizer) throws -> FiniteInvarianceReport {
      var job = FiniteInvarianceJob()
      job.architecture = .fcn
      job.action = OrthogonalFamily()
      job.optimizer = optimizer
      job.size = scale.size
      job.trainCount = scale.trainCount
      job.testCount = scale.testCount
      job.width = scale.width
      job.steps = scale.steps
      job.seeds = scale.seeds
      job.maxSeeds = scale.maxSeeds
      job.seed = confirmationSeed
      job.heldOut = true
      job.transportPaired = true
      job.probeInputs = .natural
      return try job.run()
    }
    let adam = try pairedCell(scale.adam)
    #expect(adam.exact == .notInvariant && adam.verdict != .invariant, "\(summary(adam))")
    claim(
      atFullScale: isFullScaleRun,
      knownAtSmallScale:
        "width 8, 4 x 4 images, held out: worst rho 0.048 [0, 0.088] at 12 pairs: equal within the margin, no difference detected (the first look settles 'equal')"
    ) {
      #expect(adam.ensembleDifferenceDetected, "\(summary(adam))")
    }
    // Gradient descent commutes with the transport: the pairs coincide to round-off.
    let descent = try pairedCell(descent)
    #expect(
      descent.verdict == .invariant && descent.ensembleEffect < 1e-9
        && !descent.ensembleDifferenceDetected, "\(summary(descent))")
  }

  @Test(
    "FCN with Adam is invariant under pixel permutations (coordinate permutations commute with Adam)"
  )
  func fcnAdamKeepsPixelPermutations() throws {
    let report = try cell(.fcn, PixelPermutationFamily(), scale.adam)
    #expect(report.exact == .invariant && report.verdict == .invariant, "\(summary(report))")
  }

  @Test(
    "Ensemble training gives the same measurement whatever the number of networks trained side by side"
  )
  func workersDoNotChangeResults() throws {
    let shape = data.train.images.shape
    let actions = try [
      TranslationFamily().element(for: shape, seed: 3),
      PixelPermutationFamily().element(for: shape, seed: 3),
    ]
    func measure(workers: Int) throws -> EnsembleCellMeasurement {
      var probe = EnsembleInvarianceProbe(
        architecture: try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu),
        width: 4, optimizer: descent, steps: 5, seeds: 3, seed: 9)
      probe.workers = workers
      return try probe.measure(
        under: actions, train: data.train.images, targets: data.train.centredOneHotTargets,
        test: data.test.images, testTargets: data.test.centredOneHotTargets)
    }
    #expect(try measure(workers: 1) == measure(workers: 2))
  }

  @Test(
    "The null arm's run r is an S network from the null stream: reproducible, and never a pair's network"
  )
  func nullArmUsesItsOwnStream() throws {
    let shape = data.train.images.shape
    let action = try TranslationFamily().element(for: shape, seed: 3)
    let architecture = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu)
    let sample = try EnsembleSample.train(
      architecture: architecture, width: 4, optimizer: descent, steps: 3, runs: 0..<2, seed: 5,
      under: [action], train: data.train.images, targets: data.train.centredOneHotTargets,
      test: data.test.images, testTargets: data.test.centredOneHotTargets, nullArm: true)
    let nullSeed = derivedSeed(5, stream: .null, index: 1)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: shape, width: 4, outputs: 10, seed: nullSeed)
    let trained = try network.trained(
      on: data.train.images, targets: data.train.centredOneHotTargets, optimizer: descent, steps: 3,
      seed: nullSeed, threads: 1)
    #expect(sample.fresh.count == 2)
    #expect(
      sample.fresh[1] == (try trained.network.predictions(data.test.images, threads: 1).storage))
    #expect(sample.fresh.allSatisfy { !sample.original.contains($0) })
  }

  @Test(
    "Seeds derive disjoint streams: no two experiment seeds, streams or runs share an initialisation"
  )
  func seedStreamsAreDisjoint() {
    var seen = Set<UInt64>()
    var count = 0
    for seed in [
      0, 1, 2, 3, derivedSeed(0, stream: .confirmation, index: 0),
      derivedSeed(1, stream: .confirmation, index: 0),
    ] {
      for stream in SeedStream.allCases {
        for run in 0..<256 {
          seen.insert(derivedSeed(seed, stream: stream, index: run))
          count += 1
        }
      }
    }
    #expect(seen.count == count)
    // The old scheme, seed + 1 + s, shared 15 of 16 runs between seeds 0 and 1.
    let zero = Set((0..<16).map { derivedSeed(0, stream: .pair, index: $0) })
    #expect(zero.isDisjoint(with: (0..<16).map { derivedSeed(1, stream: .pair, index: $0) }))
  }

  @Test("Held-out images come from after the tuning pool, differ by seed, and repeat for one seed")
  func heldOutImagesAvoidTheTuningPool() throws {
    let first = try ImageSelection.heldOut(seed: 3).indices(
      128, of: 5_000, after: 1_024, stream: .heldOutTrainImages)
    let again = try ImageSelection.heldOut(seed: 3).indices(
      128, of: 5_000, after: 1_024, stream: .heldOutTrainImages)
    let other = try ImageSelection.heldOut(seed: 4).indices(
      128, of: 5_000, after: 1_024, stream: .heldOutTrainImages)
    #expect(first == again && first != other)
    #expect(first.allSatisfy { (1_024..<5_000).contains($0) } && Set(first).count == 128)
    #expect(
      try ImageSelection.first.indices(3, of: 10, after: 5, stream: .heldOutTestImages) == [
        0, 1, 2,
      ])
    let tests = try ImageSelection.heldOut(seed: 3).indices(
      500, of: 1_000, after: 500, stream: .heldOutTestImages)
    #expect(Set(tests) == Set(500..<1_000))
    #expect(throws: ProbeError.self) {
      try ImageSelection.heldOut(seed: 3).indices(
        501, of: 1_000, after: 500, stream: .heldOutTestImages)
    }
    #expect(throws: ProbeError.self) {
      try ExperimentData.load(.digits, trainCount: 10, testCount: 10, selection: .heldOut(seed: 0))
    }
  }

  @Test(
    "Each look hands over its new pairs' predictions, one g.S arm per element, consecutive from pair 0 to the last one used, with a null arm of the same size"
  )
  func samplesCoverThePairs() throws {
    var probe = EnsembleInvarianceProbe(
      architecture: try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu), width: 4,
      optimizer: descent, steps: 2, seeds: 3, seed: 4)
    probe.nullArm = true
    var looks: [(EnsembleSample, Range<Int>)] = []
    let shape = data.train.images.shape
    let cell = try probe.measure(
      under: [
        try OrthogonalFamily().element(for: shape, seed: 1),
        try OrthogonalFamily().element(for: shape, seed: 2),
      ],
      train: data.train.images, targets: data.train.centredOneHotTargets, test: data.test.images,
      testTargets: data.test.centredOneHotTargets, samples: { looks.append(($0, $1)) })
    #expect(cell.elements.count == 2)
    #expect(looks.first?.1.lowerBound == 0 && looks.last?.1.upperBound == cell.pairs)
    #expect(zip(looks, looks.dropFirst()).allSatisfy { $0.1.upperBound == $1.1.lowerBound })
    for (sample, pairs) in looks {
      #expect(sample.moved.count == 2 && sample.moved.allSatisfy { $0.count == pairs.count })
      #expect(sample.original.count == pairs.count && sample.fresh.count == pairs.count)
      // Fresh seeds: no null network repeats a pair's S network.
      #expect(
        sample.fresh.allSatisfy { fresh in !looks.contains { $0.0.original.contains(fresh) } })
    }
  }

  @Test(
    "The sequential rule looks at K, 2K and 4K pairs by default, and at K alone when capped there")
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
        under: [Translation(dy: 1, dx: 0)], train: data.train.images,
        targets: data.train.centredOneHotTargets, test: data.test.images,
        testTargets: data.test.centredOneHotTargets)
    }
    var noElements = probe
    noElements.seeds = 3
    #expect(throws: ProbeError.self) {
      try noElements.measure(
        under: [], train: data.train.images, targets: data.train.centredOneHotTargets,
        test: data.test.images, testTargets: data.test.centredOneHotTargets)
    }
  }
}
