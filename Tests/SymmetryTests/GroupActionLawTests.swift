import CheckerSupport
import Symmetries
import SymmetryTesting
import Testing

/// Shapes that exercise square and non-square images and one, two and three channels.
let lawShapes = [shape(4, 4, 2), shape(4, 6, 3), shape(6, 6, 1), shape(2, 2, 3)]

/// The testing elements of `family` for `shape`, or nil when the family rightly refuses the
/// shape (a quarter turn of a non-square image), which is itself checked.
func testingElements(
  _ family: any ActionFamily, _ shape: ImageShape,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [any GroupAction]? {
  do {
    return try family.testingElements(for: shape)
  } catch .notSquare where shape.height != shape.width {
    return nil
  }
}

@Suite("Group-action laws, for every action in the catalogue")
struct GroupActionLawTests {
  @Test(
    "Every action is orthogonal and invertible: it preserves inner products and its inverse undoes it",
    arguments: ActionCatalogue.names, lawShapes)
  func lawsHold(name: String, shape: ImageShape) throws {
    let family = try ActionCatalogue.family(named: name)
    guard let elements = try testingElements(family, shape) else { return }
    #expect(!elements.isEmpty)
    for element in elements {
      try checkGroupActionLaws(element, on: randomBatch(shape, count: 3, seed: 7))
    }
    let drawn = try family.element(for: shape, seed: 99)
    try checkGroupActionLaws(drawn, on: randomBatch(shape, count: 3, seed: 8))
  }

  @Test(
    "Every action's declared structure (pixel map, channel map) is what its matrix does",
    arguments: ActionCatalogue.names, lawShapes)
  func structureIsTrue(name: String, shape: ImageShape) throws {
    let family = try ActionCatalogue.family(named: name)
    guard let elements = try testingElements(family, shape) else { return }
    for element in elements + [try family.element(for: shape, seed: 99)] {
      try checkDeclaredStructure(element, on: shape)
    }
    try checkDeclaredStructure(IdentityAction(), on: shape)
  }

  @Test(
    "Composition acts as one action after the other, and its inverse undoes it",
    arguments: ActionCatalogue.names, ActionCatalogue.names)
  func compositionLaw(first: String, second: String) throws {
    let s = shape(4, 4, 2)
    let g = try ActionCatalogue.family(named: first).element(for: s, seed: 21)
    let h = try ActionCatalogue.family(named: second).element(for: s, seed: 22)
    let x = randomBatch(s, count: 2, seed: 23)
    let composed = g.then(h)
    expectClose(
      try composed.apply(to: x).values, try h.apply(to: g.apply(to: x)).values,
      tolerance: 0, "\(first) then \(second)")
    expectClose(
      try composed.inverse.apply(to: composed.apply(to: x)).values, x.values,
      tolerance: actionRoundOff, "inverse of \(first) then \(second)")
    try checkDeclaredStructure(composed, on: s)
  }

  @Test("The identity is neutral on both sides", arguments: ActionCatalogue.names)
  func identityIsNeutral(name: String) throws {
    let s = shape(4, 4, 3)
    let g = try ActionCatalogue.family(named: name).element(for: s, seed: 31)
    let x = randomBatch(s, count: 2, seed: 32)
    let expected = try g.apply(to: x).values
    #expect(try IdentityAction().then(g).apply(to: x).values == expected)
    #expect(try g.then(IdentityAction()).apply(to: x).values == expected)
    #expect(try IdentityAction().apply(to: x) == x)
  }

  @Test(
    "Random draws are determined by the seed and differ between seeds",
    arguments: ActionCatalogue.names)
  func drawsAreSeeded(name: String) throws {
    let s = shape(4, 4, 3)
    let family = try ActionCatalogue.family(named: name)
    let x = randomBatch(s, count: 1, seed: 41)
    let a = try family.element(for: s, seed: 5).apply(to: x)
    let b = try family.element(for: s, seed: 5).apply(to: x)
    #expect(a == b)
    // A group of two elements ({e, flip}) has one non-identity element to draw; any larger
    // group must draw more than one.
    if (family.groupOrder(for: s) ?? .max) > 2 {
      let draws = try (6..<12).map { try family.element(for: s, seed: $0).apply(to: x) }
      #expect(
        draws.contains { $0 != a },
        "six seeds all drew the same \(name) element; if its group has only two elements, say so in groupOrder(for:)"
      )
    }
  }

  @Test(
    "No drawn element is the identity on a shape where the family is non-trivial",
    arguments: ActionCatalogue.names)
  func drawsAreNotIdentity(name: String) throws {
    let s = shape(4, 4, 3)
    let family = try ActionCatalogue.family(named: name)
    for seed in UInt64(0)..<5 {
      #expect(try !family.element(for: s, seed: seed).isIdentity(on: s))
    }
  }
}

/// A deliberately false declaration: a horizontal flip claiming to be a translation by one
/// column. The structure checker must catch it (a negative control for the law above).
private struct MislabelledFlip: GroupAction {
  var familyName: String { "mislabelled-flip" }
  func validate(_ shape: ImageShape) throws(SymmetryError) {}
  func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try HorizontalFlip().apply(to: batch)
  }
  var inverse: any GroupAction { self }
  var description: String { "mislabelled flip" }
  func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try Translation(dy: 0, dx: 1).structure(on: shape)
  }
}

@Suite("The structure checker")
struct StructureCheckerTests {
  @Test("A structure that does not match the action's matrix is caught")
  func falseDeclarationIsCaught() throws {
    let mismatch = try structureMismatch(MislabelledFlip(), on: shape(4, 4, 2))
    #expect(mismatch?.contains("not only its declared source") == true, "\(mismatch ?? "nil")")
    #expect(try structureMismatch(HorizontalFlip(), on: shape(4, 4, 2)) == nil)
  }

  @Test("Group orders: flips have two elements, translations H W, channel permutations C!")
  func groupOrders() {
    let s = shape(4, 6, 3)
    #expect(HorizontalFlipFamily().groupOrder(for: s) == 2)
    #expect(TranslationFamily().groupOrder(for: s) == 24)
    #expect(ChannelPermutationFamily().groupOrder(for: s) == 6)
    #expect(OrthogonalFamily().groupOrder(for: s) == nil)
    #expect(PixelPermutationFamily().groupOrder(for: shape(8, 8, 1)) == nil)
  }
}
