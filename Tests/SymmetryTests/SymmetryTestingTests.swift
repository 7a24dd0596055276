import SymmetryTesting
import Testing

/// The test-support product judged by its own failures: each expectation below is reversed on
/// purpose inside `withKnownIssue`, whose matcher accepts the issue only when its message has
/// what a user needs. A reversed expectation that records nothing, or a message that lacks a
/// part, fails the test.

/// Whether every part occurs in the issue's comments.
private func says(_ issue: Issue, _ parts: [String]) -> Bool {
  let text = issue.comments.map(\.rawValue).joined(separator: "\n")
  return parts.allSatisfy { text.contains($0) }
}

/// A horizontal flip that declares itself a translation by one column: the rules then predict
/// the wrong verdicts, which the predicted-verdict expectation must catch.
private struct FlipCalledTranslation: GroupAction {
  var familyName: String { "flip-called-translation" }
  func validate(_ shape: ImageShape) throws(SymmetryError) {}
  func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try HorizontalFlip().apply(to: batch)
  }
  var inverse: any GroupAction { self }
  var description: String { "a flip called a translation" }
  func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try Translation(dy: 0, dx: 1).structure(on: shape)
  }
}

@Suite("SymmetryTesting: invariance expectations")
struct InvarianceExpectationTests {
  let gap = try! Architecture(parsing: "conv(3) relu conv(3) relu gap readout")

  @Test(
    "CNN-GAP's kernels keep translations and break pixel permutations, and the expectations say so silently"
  )
  func truthsPass() throws {
    let kept = try expectInvariant(gap, .algorithmic, under: TranslationFamily())
    try expectInvariant(gap, .functional, under: TranslationFamily())
    let broken = try expectNotInvariant(gap, .algorithmic, under: PixelPermutationFamily())
    try expectNotInvariant(gap, .functional, under: PixelPermutationFamily())
    #expect(kept.map(\.quantity) == ["NNGP", "NTK"])
    #expect(kept.allSatisfy { $0.algorithmicDeviation < 1e-12 })
    #expect(broken.allSatisfy { $0.algorithmicDeviation > 1e-3 })
  }

  @Test(
    "A reversed expectation fails at the caller's line with the deviation, the threshold, the layer that breaks it and a command line"
  )
  func reversedExpectationExplains() throws {
    let line = #line + 2
    try withKnownIssue {
      try expectInvariant(gap, .algorithmic, under: PixelPermutationFamily())
    } matching: { issue in
      issue.sourceLocation?.line == line
        && says(
          issue,
          [
            "should be algorithmically invariant under pixel-permutation", "NNGP deviation",
            "NTK deviation",
            "(not invariant)", "invariant at or below 1.0e-10, not invariant above 1.0e-04",
            "predicted by the layers: not invariant, layer 1 (conv(3,circular)):",
            "standard-normal images of 6x6x2",
            "reproduce: swift run -c release symmetry-probe table --layers \"conv(3) relu conv(3) relu gap readout\" --actions pixel-permutation --train 4 --test 2 --seed 0",
          ])
    }
  }

  @Test("A negative expectation on a symmetry the kernel has fails, naming the rule that keeps it")
  func reversedNegativeExpectationExplains() throws {
    try withKnownIssue {
      try expectNotInvariant(gap, .functional, under: TranslationFamily())
    } matching: { issue in
      says(
        issue,
        [
          "should be functionally not invariant under translation", "(invariant)",
          "kept by every layer",
        ])
    }
  }

  @Test(
    "A wrongly declared structure makes measured and predicted verdicts disagree, and the predicted-verdict expectation reports it"
  )
  func predictionMismatchIsCaught() throws {
    try withKnownIssue {
      try expectPredictedVerdicts(gap, under: TranslationFamily())
      try expectPredictedVerdicts(gap, under: LyingFamily())
      try expectPredictedVerdicts(
        KernelSubject("flip-only", gap), under: HorizontalFlipFamily())
    } matching: { issue in
      says(
        issue,
        [
          "should be functionally invariant under lying-flip", "as its layers predict",
          "kept by every layer",
          "the tool's catalogue has no action \"lying-flip\"",
        ])
        || says(issue, ["flip-only has no layers"])
    }
  }

  @Test(
    "The whole predicted row of a custom architecture holds on the catalogue, a user's action included"
  )
  func rowHolds() throws {
    try expectPredictedRow(
      LayerSpec("conv(1) relu conv(1) relu gap readout"),
      under: ActionCatalogue.families(adding: [TransposeFamily()]))
  }

  @Test(
    "An element that is the identity on the images cannot fail invariance, and a negative expectation says why"
  )
  func trivialElementIsNamed() throws {
    let grey = try ProbeImages.random(try ImageShape(height: 4, width: 4, channels: 1))
    try expectInvariant(gap, .algorithmic, under: ChannelPermutationFamily(), on: grey)
    try withKnownIssue {
      try expectNotInvariant(gap, .algorithmic, under: ChannelPermutationFamily(), on: grey)
    } matching: { issue in
      says(issue, ["is the identity on images of 4x4x1", "2 or more channels"])
    }
  }

  @Test("A layer list that does not parse throws from its own case instead of trapping")
  func badSpecThrows() {
    #expect(throws: ArchitectureError.self) {
      try expectInvariant(LayerSpec("conv(3) relu"), .algorithmic, under: TranslationFamily())
    }
    #expect(throws: ArchitectureError.self) { try LayerSpec.named(depth: 0) }
    #expect(throws: ProbeError.self) {
      try ProbeImages.random(try ImageShape(height: 4, width: 4, channels: 1), train: 0)
    }
  }
}

@Suite("SymmetryTesting: finite networks")
struct FiniteExpectationTests {
  @Test(
    "Gradient descent keeps CNN-GAP's translations (exact transport) and Adam breaks FCN's rotations, each reversed expectation explained"
  )
  func finiteVerdicts() throws {
    let gap = FiniteSubject(try Architecture(parsing: "conv(3) relu gap readout"))
    try expectInvariant(gap, .algorithmic, under: TranslationFamily())
    try expectInvariant(gap, .functional, under: TranslationFamily())
    let adam = FiniteSubject(
      try Architecture(parsing: "flatten dense relu readout"), optimizer: .adam(learningRate: 0.05))
    try expectNotInvariant(adam, .algorithmic, under: OrthogonalFamily())
    try withKnownIssue {
      try expectInvariant(adam, .algorithmic, under: OrthogonalFamily())
    } matching: { issue in
      says(
        issue,
        [
          "weight transport", "predicted by the layers: not invariant",
          "symmetry-probe train --layers \"flatten dense relu readout\" --action orthogonal --optimizer adam",
        ])
    }
  }
}

@Suite("SymmetryTesting: empirical claims")
struct ClaimExpectationTests {
  @Test(
    "A clear positive effect holds; reversed, it fails with its interval, hypothesis and verdict")
  func claimVerdicts() throws {
    let effects = [0.03, 0.05, 0.04, 0.06, 0.02]
    let held = try expectClaim("mine beats FCN", effects: effects, hypothesis: .positive)
    #expect(held.verdict == .held)
    try withKnownIssue {
      try expectClaim(
        "FCN beats mine", effects: effects, hypothesis: .negative, reproduce: "swift test")
    } matching: { issue in
      says(
        issue,
        [
          "FCN beats mine", "+0.0400 [", "over 5 paired repeats", "effect < 0", "verdict failed",
          "reproduce: swift test",
        ])
    }
  }

  @Test(
    "A known verdict passes while it stays, and a known verdict of 'held' is reported, not trapped")
  func knownVerdicts() throws {
    try expectClaim(
      "about equal", effects: [0.02, -0.01, 0.03], hypothesis: .equivalent(within: 0.01),
      known: KnownVerdict(.inconclusive, effect: 0.0133, interval: -0.0246...0.0513))
    try withKnownIssue {
      try expectClaim(
        "mine beats FCN", effects: [0.03, 0.05, 0.04], hypothesis: .positive,
        known: KnownVerdict(.held, effect: 0.04, interval: 0.015...0.065))
    } matching: { issue in
      says(issue, ["this one says held"])
    }
    #expect(throws: ProbeError.self) {
      try expectClaim("one repeat", effects: [0.1], hypothesis: .positive)
    }
  }
}

@Suite("SymmetryTesting: a user's action")
struct ActionFamilyLawExpectationTests {
  @Test(
    "Every catalogue family and a user's transpose pass the family laws",
    arguments: ActionCatalogue.families(adding: [TransposeFamily()]))
  func familiesPass(family: any ActionFamily) throws {
    try expectActionFamilyLaws(family, on: try ImageShape(height: 4, width: 4, channels: 3))
  }

  @Test("The family check catches a declared structure its matrix contradicts")
  func lyingFamilyIsCaught() throws {
    try withKnownIssue {
      try expectActionFamilyLaws(
        LyingFamily(), on: try ImageShape(height: 4, width: 4, channels: 2))
    } matching: { issue in
      says(issue, ["not only its declared source"])
    }
  }
}

/// A family of one element, the flip that claims to be a translation.
private struct LyingFamily: ActionFamily {
  var name: String { "lying-flip" }
  var formula: String { "(g x)(y, x, c) = x(y, W - 1 - x, c), declared as a translation" }
  func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  )
    throws(SymmetryError) -> any GroupAction
  { FlipCalledTranslation() }
  func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [FlipCalledTranslation()]
  }
  func groupOrder(for shape: ImageShape) -> Int? { 2 }
}

/// A user's action written with the public API only, as a package outside this one would:
/// the transpose of a square image, (g x)(y, x, c) = x(x, y, c).
private struct Transpose: GroupAction {
  var familyName: String { "transpose" }
  var description: String { "transpose" }
  var inverse: any GroupAction { self }

  func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape.height == shape.width else {
      throw .notSquare(action: "transpose", height: shape.height, width: shape.width)
    }
  }

  func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    let s = batch.shape
    var values = batch.values
    for image in 0..<batch.count {
      for y in 0..<s.height {
        for x in 0..<s.width {
          for c in 0..<s.channels {
            values[((image * s.height + y) * s.width + x) * s.channels + c] =
              batch.values[((image * s.height + x) * s.width + y) * s.channels + c]
          }
        }
      }
    }
    return try ImageBatch(shape: s, values: values)
  }

  func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    let n = shape.width
    let source = (0..<shape.pixelCount).map { p in (p % n) * n + p / n }
    return .pixelMap(motion: PixelMotion(kind: .permutation, source: source), channels: .none)
  }
}

/// The group {e, transpose}.
private struct TransposeFamily: ActionFamily {
  var name: String { "transpose" }
  var formula: String { "(g x)(y, x, c) = x(x, y, c) (square images)" }
  func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  )
    throws(SymmetryError) -> any GroupAction
  { Transpose() }
  func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    [Transpose()]
  }
  func groupOrder(for shape: ImageShape) -> Int? { shape.width > 1 ? 2 : 1 }
}
