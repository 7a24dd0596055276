import CheckerSupport
import Symmetries
import Testing

@Suite("Bad input to actions gets a typed error, never a crash")
struct ActionErrorTests {
  @Test("A patch size that does not divide the image is refused")
  func patchMustDivide() {
    #expect(throws: SymmetryError.patchDoesNotDivide(patch: 3, height: 4, width: 4)) {
      try PatchShuffleFamily().element(
        for: shape(4, 4, 1), parameters: ActionParameters(patch: 3), seed: 1)
    }
    #expect(throws: SymmetryError.patchDoesNotDivide(patch: 0, height: 4, width: 4)) {
      try PatchShuffle(shape: shape(4, 4, 1), patch: 0, sourcePatch: [])
    }
  }

  @Test("A quarter turn of a non-square image is refused")
  func quarterTurnNeedsSquare() {
    let x = randomBatch(shape(3, 4, 1), count: 1, seed: 1)
    #expect(throws: SymmetryError.notSquare(action: "a quarter turn", height: 3, width: 4)) {
      try QuarterTurn(turns: 1).apply(to: x)
    }
    #expect(throws: SymmetryError.notSquare(action: "a quarter turn", height: 3, width: 4)) {
      try QuarterTurnFamily().element(for: x.shape, seed: 1)
    }
  }

  @Test("NaN or infinite pixels are refused when the batch is built")
  func nonFinitePixels() {
    #expect(throws: SymmetryError.nonFiniteValue(index: 2, value: .infinity)) {
      try ImageBatch(count: 1, height: 2, width: 2, channels: 1, values: [0, 1, .infinity, 3])
    }
    #expect {
      try ImageBatch(count: 1, height: 2, width: 2, channels: 1, values: [0, .nan, 2, 3])
    } throws: { error in
      guard case SymmetryError.nonFiniteValue(index: 1, _) = error else { return false }
      return true
    }
  }

  @Test("Values that do not fill the stated shape, and non-positive dimensions, are refused")
  func badShapes() {
    #expect(throws: SymmetryError.self) {
      try ImageBatch(count: 2, height: 2, width: 2, channels: 1, values: [0, 1, 2])
    }
    #expect(throws: SymmetryError.self) { try ImageShape(height: 0, width: 2, channels: 1) }
    #expect(throws: SymmetryError.self) { try ImageShape(height: 2, width: 2, channels: -1) }
  }

  @Test("An unknown action name is refused with the list of known names")
  func unknownName() {
    #expect(throws: SymmetryError.unknownAction(name: "rotate", known: ActionCatalogue.names)) {
      try ActionCatalogue.family(named: "rotate")
    }
    let message = SymmetryError.unknownAction(name: "rotate", known: ActionCatalogue.names)
      .description
    #expect(message.contains("pixel-permutation"))
  }

  @Test("A matrix that is not orthogonal is refused as a rotation")
  func notOrthogonal() throws {
    // Columns (1, 0) and (1, 1): Q^T Q = [[1, 1], [1, 2]], one away from I.
    let shear = try Matrix([[1, 1], [0, 1]])
    #expect(throws: SymmetryError.notOrthogonal(deviation: 1)) {
      try ChannelRotation(rotation: shear)
    }
    #expect(throws: SymmetryError.notOrthogonal(deviation: 1)) {
      try OrthogonalAction(shape: shape(1, 2, 1), matrix: shear)
    }
    #expect(throws: SymmetryError.self) {
      try OrthogonalAction(shape: shape(1, 3, 1), matrix: try Matrix.identity(2))
    }
  }

  @Test("An array that is not a permutation is refused")
  func notAPermutation() {
    #expect(throws: SymmetryError.self) {
      try PixelPermutation(shape: shape(1, 3, 1), source: [0, 0, 1])
    }
    #expect(throws: SymmetryError.self) {
      try PixelPermutation(shape: shape(1, 3, 1), source: [0, 1, 3])
    }
    #expect(throws: SymmetryError.self) {
      try PixelPermutation(shape: shape(1, 3, 1), source: [0, 1])
    }
    #expect(throws: SymmetryError.self) { try ChannelPermutation(source: [1, -1]) }
  }

  @Test(
    "An action refuses exactly the shapes its validation refuses, with the same typed error",
    arguments: ActionCatalogue.names)
  func shapeMismatch(name: String) throws {
    let g = try ActionCatalogue.family(named: name).element(for: shape(4, 4, 3), seed: 1)
    for other in [shape(4, 4, 2), shape(4, 6, 3), shape(4, 4, 3)] {
      let batch = randomBatch(other, count: 1, seed: 2)
      do {
        try g.validate(other)
        #expect(try g.apply(to: batch).shape == other, "\(g) on \(other)")
      } catch let refusal {
        #expect(throws: refusal) { try g.apply(to: batch) }
      }
    }
  }
}
