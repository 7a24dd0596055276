import MyArchitecture
import SymmetryTesting
import Testing

/// Five claims about this package's architecture and action. The kernel claims run on the
/// product's standard probe images (6 x 6 x 2, seeded): milliseconds each; the empirical one
/// on CIFAR-10 at 4 x 4 (seconds), a known issue with its measured numbers.
@Suite("Claims about the pooled network and the transpose")
struct PooledNetworkClaims {
  @Test("The transpose is a group action the symmetry rules can trust")
  func transposeIsAnAction() throws {
    try expectActionFamilyLaws(
      TransposeFamily(), on: try ImageShape(height: 6, width: 6, channels: 2))
  }

  @Test(
    "The pooled network's measured row is its predicted row, for every catalogue action and the transpose",
    arguments: ActionCatalogue.families(adding: [TransposeFamily()]))
  func rowIsPredicted(family: any ActionFamily) throws {
    try expectPredictedVerdicts(LayerSpec(pooledNetwork), under: family)
  }

  @Test(
    "Pooling by 2 keeps even translations and breaks odd ones and the spurious pixel permutations")
  func poolingBreaksSymmetries() throws {
    let mine = try pooledArchitecture()
    try expectInvariant(
      mine, .algorithmic, under: TranslationFamily(),
      parameters: ActionParameters(shift: PixelShift(dy: 2, dx: 0)))
    try expectNotInvariant(
      mine, .algorithmic, under: TranslationFamily(),
      parameters: ActionParameters(shift: PixelShift(dy: 1, dx: 0)))
    try expectNotInvariant(mine, .algorithmic, under: PixelPermutationFamily())
  }

  @Test(
    "Gradient descent keeps the transpose at finite width (exact weight transport), for this network and CNN-GAP",
    arguments: [LayerSpec(pooledNetwork), "conv(3) relu conv(3) relu gap readout"])
  func finiteNetworkKeepsTranspose(spec: LayerSpec) throws {
    try expectInvariant(
      FiniteSubject(try spec.architecture()), .algorithmic, under: TransposeFamily())
  }

  @Test(
    "On CIFAR-10 at 4 x 4 the pooled network is as accurate as CNN-GAP (within 0.01), kernel regression, 5 paired repeats"
  )
  func accuracyTiesWithGap() throws {
    let data = try ExperimentData.load(.cifar10, size: 4, trainCount: 5 * 16, testCount: 100)
    let mine = KernelRegressionLearner(try pooledArchitecture(), kind: .nngp, diagReg: 1e-4)
    let gap = KernelRegressionLearner(
      try NamedArchitecture.cnnGap.architecture(depth: 2, activation: .relu), kind: .nngp,
      diagReg: 1e-4)
    let effects = try (0..<5).map { r in
      let subset = try data.train.images.selecting(16 * r..<16 * (r + 1))
      let targets = try Matrix(
        rows: 16, columns: 10,
        storage: Array(data.train.centredOneHotTargets.storage[160 * r..<160 * (r + 1)]))
      return try accuracy(mine, subset, targets, data.test)
        - accuracy(gap, subset, targets, data.test)
    }
    // Measured once (swift test, 2026-12-05: +0.0040 [-0.0071, +0.0151], minimum detectable
    // effect 0.0149) and recorded: 5 repeats of 16 images cannot confirm a tie to one point, so
    // the claim stays inconclusive at this cost; a change of verdict fails the test.
    try expectClaim(
      "pooled network ties with CNN-GAP", effects: effects, hypothesis: .equivalent(within: 0.01),
      known: KnownVerdict(.inconclusive, effect: 0.0040, interval: -0.0071...0.0151),
      reproduce:
        "swift test --package-path examples/MyArchitectureClaims --filter accuracyTiesWithGap")
  }
}

/// The fraction of test images whose largest prediction is their label.
private func accuracy(
  _ learner: some Learner, _ images: ImageBatch, _ targets: Matrix, _ test: LabelledImages
) throws -> Double {
  let predictions = try learner.fit(images, targets: targets).predict(test.images)
  var correct = 0
  for i in 0..<test.count {
    let row = (0..<predictions.columns).map { predictions[i, $0] }
    if row.indices.max(by: { row[$0] < row[$1] }) == test.labels[i] { correct += 1 }
  }
  return Double(correct) / Double(test.count)
}
