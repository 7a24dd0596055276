import CheckerSupport
import Learners
import Symmetries
import Testing

/// The ten actions docs/design.md's tables speak of (a later catalogue action has no row there; the
/// table suite measures it against its predictions instead).
private let designActions = [
  "orthogonal", "pixel-permutation", "pixelwise-channel-rotation", "channel-rotation",
  "channel-permutation", "translation", "horizontal-flip", "vertical-flip", "quarter-turn",
  "patch-shuffle",
]

/// docs/design.md's table of expected invariances of the infinite-width kernels (3x3 filters,
/// stride 1, circular padding), transcribed: the rules must derive it, not restate it.
private let designTable: [NamedArchitecture: (algorithmic: Set<String>, functional: Set<String>)] =
  {
    let geometric: Set<String> = [
      "translation", "horizontal-flip", "vertical-flip", "quarter-turn",
    ]
    let channel: Set<String> = ["channel-rotation", "channel-permutation"]
    let local = geometric.union(channel).union(["pixelwise-channel-rotation"])
    return [
      .fcn: (Set(designActions), []),
      .lcn: (local, []),
      .cnnVec: (local, []),
      .cnnGap: (geometric.union(channel), ["translation"]),
    ]
  }()

/// docs/design.md's finite-width statements, transcribed: which actions gradient descent or SGD from
/// i.i.d. Gaussian initialisation keeps (FCN O(d), LCN O(C)^P, CNN-VEC loses O(C)^P, CNN-GAP
/// keeps O(C) and translations), and Adam's coordinate permutations for FCN.
private let designFinite: [NamedArchitecture: Set<String>] = {
  let geometric: Set<String> = ["translation", "horizontal-flip", "vertical-flip", "quarter-turn"]
  let channel: Set<String> = ["channel-rotation", "channel-permutation"]
  return [
    .fcn: Set(designActions),
    .lcn: geometric.union(channel).union(["pixelwise-channel-rotation"]),
    .cnnVec: geometric.union(channel),
    .cnnGap: geometric.union(channel),
  ]
}()

/// 8 x 8 images with 3 channels, as the main job's, so no action is trivial.
private let ruleShape = shape(8, 8, 3)

private func predict(
  _ layers: String, _ action: String, regime: LearnerRegime = .kernel,
  shape: ImageShape = ruleShape,
  parameters: ActionParameters = ActionParameters()
) throws -> InvariancePrediction {
  let element = try ActionCatalogue.family(named: action).element(
    for: shape, parameters: parameters, seed: 3)
  return try Architecture(parsing: layers).predictedInvariance(
    under: element, on: shape, regime: regime)
}

@Suite("Symmetry rules: every row predicted from the layers")
struct SymmetryRuleTests {
  @Test(
    "The four named architectures' predicted kernel rows equal docs/design.md's table",
    arguments: NamedArchitecture.allCases, designActions)
  func namedRowsEqualDesign(architecture: NamedArchitecture, action: String) throws {
    let element = try ActionCatalogue.family(named: action).element(for: ruleShape, seed: 3)
    for activation in Activation.allCases {
      let prediction = try architecture.architecture(depth: 2, activation: activation)
        .predictedInvariance(under: element, on: ruleShape)
      let expected = try #require(designTable[architecture])
      #expect(!prediction.trivial)
      #expect(
        prediction.algorithmic.invariant == expected.algorithmic.contains(action),
        "\(prediction.algorithmic)")
      #expect(
        prediction.functional.invariant == expected.functional.contains(action),
        "\(prediction.functional)")
    }
  }

  @Test(
    "Finite networks trained by GD or SGD keep what docs/design.md says; FCN with Adam keeps only coordinate permutations",
    arguments: NamedArchitecture.allCases, designActions)
  func finiteRowsEqualDesign(architecture: NamedArchitecture, action: String) throws {
    let element = try ActionCatalogue.family(named: action).element(for: ruleShape, seed: 3)
    let layers = try architecture.architecture(depth: 2, activation: .relu)
    let descent = try layers.predictedInvariance(
      under: element, on: ruleShape, regime: .gradientDescent)
    #expect(
      descent.algorithmic.invariant == designFinite[architecture]!.contains(action),
      "\(descent.algorithmic)")
    let kernel = try layers.predictedInvariance(under: element, on: ruleShape)
    #expect(descent.functional == kernel.functional)
    if architecture == .fcn {
      let adam = try layers.predictedInvariance(under: element, on: ruleShape, regime: .adam)
      let coordinatePermutations: Set<String> = [
        "pixel-permutation", "patch-shuffle", "channel-permutation", "translation",
        "horizontal-flip",
        "vertical-flip", "quarter-turn",
      ]
      #expect(
        adam.algorithmic.invariant == coordinatePermutations.contains(action), "\(adam.algorithmic)"
      )
    }
  }

  @Test("Each break names the first layer that breaks it")
  func reasonsNameTheLayer() throws {
    let vec = try predict("conv(3) relu conv(3) relu flatten readout", "pixel-permutation")
    #expect(
      vec.algorithmic.layer == 1 && vec.algorithmic.reason.hasPrefix("layer 1 (conv(3,circular))"))
    let gap = try predict("conv(3) relu conv(3) relu gap readout", "pixelwise-channel-rotation")
    #expect(gap.algorithmic.layer == 5, "\(gap.algorithmic)")
    #expect(gap.algorithmic.reason.contains("per-pixel channel rotation"))
    let flip = try predict("conv(3) relu gap readout", "horizontal-flip")
    #expect(flip.algorithmic.invariant && flip.algorithmic.reason == "kept by every layer")
    #expect(flip.functional.layer == 1, "\(flip.functional)")
    let vecFinite = try predict(
      "conv(3) relu flatten readout", "pixelwise-channel-rotation", regime: .gradientDescent)
    #expect(vecFinite.algorithmic.reason.contains("weight sharing"), "\(vecFinite.algorithmic)")
  }

  @Test(
    "1x1 convolutions with pooling keep every pixel permutation, functionally too; with flatten, algorithmically only"
  )
  func pointwiseConvolutions() throws {
    for action in ["pixel-permutation", "patch-shuffle", "translation", "quarter-turn"] {
      let pooled = try predict("conv(1) relu conv(1) relu gap readout", action)
      #expect(pooled.algorithmic.invariant && pooled.functional.invariant, "\(action): \(pooled)")
      let flattened = try predict("conv(1) relu conv(1) relu flatten readout", action)
      #expect(
        flattened.algorithmic.invariant && !flattened.functional.invariant,
        "\(action): \(flattened)")
    }
    #expect(
      try !predict("conv(1) relu gap readout", "pixelwise-channel-rotation").algorithmic.invariant)
    #expect(try !predict("conv(1) relu gap readout", "orthogonal").algorithmic.invariant)
  }

  @Test("Zero and valid padding break translations but keep flips and quarter turns")
  func paddingBreaksTranslations() throws {
    for padding in ["same", "valid"] {
      let layers = "conv(3,\(padding)) relu conv(3,\(padding)) relu gap readout"
      let translation = try predict(layers, "translation")
      #expect(
        !translation.algorithmic.invariant
          && translation.algorithmic.reason.contains("\(padding) padding"))
      for action in ["horizontal-flip", "vertical-flip", "quarter-turn", "channel-rotation"] {
        #expect(try predict(layers, action).algorithmic.invariant, "\(padding) \(action)")
      }
      #expect(
        try predict(layers, "translation", regime: .gradientDescent).algorithmic.invariant == false)
      #expect(
        try predict(layers, "horizontal-flip", regime: .gradientDescent).algorithmic.invariant)
    }
  }

  @Test(
    "A locally connected network with pooling keeps per-pixel channel rotations, like LCN; a 2x2 filter keeps flips only up to a shift"
  )
  func localWithPooling() throws {
    let lcnGap = "local(3) relu local(3) relu gap readout"
    for action in ["pixelwise-channel-rotation", "translation", "quarter-turn"] {
      let prediction = try predict(lcnGap, action)
      #expect(
        prediction.algorithmic.invariant && !prediction.functional.invariant,
        "\(action): \(prediction)")
    }
    #expect(try !predict(lcnGap, "pixel-permutation").algorithmic.invariant)
    // An even filter's window is not symmetric: a flip maps it to a window one pixel over, which
    // circular padding still covers, so the kernel keeps the flip (as a flip then a shift).
    #expect(
      try predict("conv(2) relu conv(2) relu gap readout", "horizontal-flip").algorithmic.invariant)
    #expect(try !predict("conv(2,same) relu gap readout", "horizontal-flip").algorithmic.invariant)
  }

  @Test("The identity on the images is trivial; a channel permutation of one-channel images is one")
  func trivialCells() throws {
    let prediction = try predict(
      "conv(3) relu gap readout", "channel-permutation", shape: shape(8, 8, 1))
    #expect(
      prediction.trivial && prediction.algorithmic.invariant && prediction.functional.invariant)
    #expect(try !predict("conv(3) relu gap readout", "channel-permutation").trivial)
  }
}
