import CheckerSupport
import Symmetries
import SymmetryTesting
import Testing

/// A 3 x 3 one-channel image with pixel values 0...8 in row-major order:
///   0 1 2
///   3 4 5
///   6 7 8
private func counting(_ height: Int, _ width: Int, _ channels: Int = 1) -> ImageBatch {
  let s = shape(height, width, channels)
  return try! ImageBatch(shape: s, values: (0..<s.dimension).map(Double.init))
}

@Suite("Each action does what its formula says on small hand-checked images")
struct ActionFormulaTests {
  @Test("A translation by (1, 0) moves every row down one, wrapping the last row to the top")
  func translationDown() throws {
    let moved = try Translation(dy: 1, dx: 0).apply(to: counting(3, 3))
    #expect(moved.values == [6, 7, 8, 0, 1, 2, 3, 4, 5])
  }

  @Test("A translation by (0, -1) moves every column left one, wrapping")
  func translationLeft() throws {
    let moved = try Translation(dy: 0, dx: -1).apply(to: counting(3, 3))
    #expect(moved.values == [1, 2, 0, 4, 5, 3, 7, 8, 6])
  }

  @Test(
    "Translations compose to the translation by the summed shift, and a full period is the identity"
  )
  func translationsCompose() throws {
    let x = randomBatch(shape(4, 5, 2), count: 2, seed: 1)
    let a = Translation(dy: 1, dx: 3)
    let b = Translation(dy: 2, dx: -4)
    #expect(try a.then(b).apply(to: x) == a.composed(with: b).apply(to: x))
    #expect(try Translation(dy: 4, dx: 5).apply(to: x) == x)
    #expect(try Translation(dy: -8, dx: 10).apply(to: x) == x)
  }

  @Test("A horizontal flip reverses each row; a vertical flip reverses the row order")
  func flips() throws {
    #expect(try HorizontalFlip().apply(to: counting(3, 3)).values == [2, 1, 0, 5, 4, 3, 8, 7, 6])
    #expect(try VerticalFlip().apply(to: counting(3, 3)).values == [6, 7, 8, 3, 4, 5, 0, 1, 2])
    #expect(try HorizontalFlip().apply(to: counting(2, 3)).values == [2, 1, 0, 5, 4, 3])
  }

  @Test("One quarter turn rotates counter-clockwise, as numpy.rot90")
  func quarterTurn() throws {
    // np.rot90(np.arange(9).reshape(3, 3)) == [[2, 5, 8], [1, 4, 7], [0, 3, 6]]
    #expect(
      try QuarterTurn(turns: 1).apply(to: counting(3, 3)).values == [2, 5, 8, 1, 4, 7, 0, 3, 6])
  }

  @Test("A quarter turn has order 4, and two turns are both flips")
  func quarterTurnOrder() throws {
    let x = randomBatch(shape(5, 5, 2), count: 2, seed: 2)
    let turn = QuarterTurn(turns: 1)
    var y = x
    for step in 1...4 {
      y = try turn.apply(to: y)
      #expect((y == x) == (step == 4), "after \(step) turns")
    }
    #expect(
      try QuarterTurn(turns: 2).apply(to: x) == HorizontalFlip().then(VerticalFlip()).apply(to: x))
    #expect(try QuarterTurn(turns: -1).apply(to: x) == QuarterTurn(turns: 3).apply(to: x))
  }

  @Test("A pixel permutation moves whole pixels, channels together")
  func pixelPermutation() throws {
    let x = counting(1, 3, 2)  // pixels (0,1) (2,3) (4,5)
    let g = try PixelPermutation(shape: x.shape, source: [2, 0, 1])
    #expect(try g.apply(to: x).values == [4, 5, 0, 1, 2, 3])
  }

  @Test("A patch shuffle moves 2 x 2 blocks intact")
  func patchShuffle() throws {
    let x = counting(2, 4)  // rows 0 1 2 3 / 4 5 6 7: patches [0 1 / 4 5] and [2 3 / 6 7]
    let g = try PatchShuffle(shape: x.shape, patch: 2, sourcePatch: [1, 0])
    #expect(try g.apply(to: x).values == [2, 3, 0, 1, 6, 7, 4, 5])
  }

  @Test("A patch shuffle with 1 x 1 patches is the pixel permutation with the same map")
  func unitPatchIsPixelPermutation() throws {
    let x = randomBatch(shape(3, 4, 2), count: 2, seed: 3)
    var generator = SeededGenerator(seed: 4)
    let map = try generator.permutation(12)
    #expect(
      try PatchShuffle(shape: x.shape, patch: 1, sourcePatch: map).apply(to: x)
        == PixelPermutation(shape: x.shape, source: map).apply(to: x))
  }

  @Test("A channel permutation reorders the channels of every pixel")
  func channelPermutation() throws {
    let x = counting(1, 2, 3)  // pixels (0,1,2) (3,4,5)
    #expect(try ChannelPermutation(source: [2, 0, 1]).apply(to: x).values == [2, 0, 1, 5, 3, 4])
  }

  @Test("A channel rotation by 90 degrees maps (a, b) to (-b, a) at every pixel")
  func channelRotation() throws {
    let x = counting(1, 2, 2)  // pixels (0,1) (2,3)
    let r = try Matrix([[0, -1], [1, 0]])
    #expect(try ChannelRotation(rotation: r).apply(to: x).values == [-1, 0, -3, 2])
  }

  @Test("A pixelwise channel rotation uses each pixel's own matrix")
  func pixelwiseChannelRotation() throws {
    let x = counting(1, 2, 2)
    let quarter = try Matrix([[0, -1], [1, 0]])
    let swap = try Matrix([[0, 1], [1, 0]])
    let g = try PixelwiseChannelRotation(shape: x.shape, rotations: [quarter, swap])
    #expect(try g.apply(to: x).values == [-1, 0, 3, 2])
  }

  @Test("An orthogonal map multiplies the flattened image by Q")
  func orthogonalMap() throws {
    let x = counting(1, 2, 1)  // (0, 1)
    let q = try Matrix([[0.6, -0.8], [0.8, 0.6]])
    let moved = try OrthogonalAction(shape: x.shape, matrix: q).apply(to: x)
    expectClose(moved.values, [-0.8, 0.6], tolerance: 1e-15, "Q x")
  }
}
