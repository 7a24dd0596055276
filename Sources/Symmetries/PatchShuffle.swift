/// A permutation of the non-overlapping k x k patches of an image, each patch kept intact.
///
/// With patches indexed b = (Y, X) on the (H/k) x (W/k) grid and σ a permutation of them:
/// (g x)(kY + i, kX + j, c) = x(k σ(b)_Y + i, k σ(b)_X + j, c). It keeps locality inside a
/// patch and destroys it between patches; k = 1 is a pixel permutation.
public struct PatchShuffle: GroupAction {
  /// The shape this shuffle acts on.
  public let shape: ImageShape
  /// The patch side k, dividing H and W.
  public let patch: Int
  /// sourcePatch[b] = σ(b): output patch b is input patch sourcePatch[b] (row-major patches).
  public let sourcePatch: [Int]

  /// The shuffle of `patch` x `patch` patches with output patch b = input patch `sourcePatch[b]`;
  /// throws unless `patch` divides H and W and `sourcePatch` permutes the patches.
  public init(shape: ImageShape, patch: Int, sourcePatch: [Int]) throws(SymmetryError) {
    guard patch > 0, shape.height % patch == 0, shape.width % patch == 0 else {
      throw .patchDoesNotDivide(patch: patch, height: shape.height, width: shape.width)
    }
    let patches = (shape.height / patch) * (shape.width / patch)
    try validatePermutation(sourcePatch, count: patches, of: "patches")
    self.shape = shape
    self.patch = patch
    self.sourcePatch = sourcePatch
  }

  public var familyName: String { PatchShuffleFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape == self.shape else { throw .shapeMismatch(expected: self.shape, actual: shape) }
  }

  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    return batch.gatheringPixels(from: pixelSource)
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    return .pixelMap(
      motion: PixelMotion(kind: .patchShuffle(patch: patch), source: pixelSource), channels: .none)
  }

  /// The input pixel read by every output pixel.
  private var pixelSource: [Int] {
    let w = shape.width
    let across = w / patch
    var source = [Int](repeating: 0, count: shape.pixelCount)
    for y in 0..<shape.height {
      for x in 0..<w {
        let block = sourcePatch[(y / patch) * across + x / patch]
        let sy = (block / across) * patch + y % patch
        let sx = (block % across) * patch + x % patch
        source[y * w + x] = sy * w + sx
      }
    }
    return source
  }

  public var inverse: any GroupAction {
    // The inverse of a patch permutation is one: this cannot fail.
    try! PatchShuffle(shape: shape, patch: patch, sourcePatch: invertPermutation(sourcePatch))
  }

  public var description: String { "patch-shuffle of \(patch)x\(patch) patches" }
}

/// The catalogue family `patch-shuffle`: uniform over permutations of the k x k patches
/// (k from `--patch`, default 2).
public struct PatchShuffleFamily: ActionFamily {
  /// The patch side used when the parameters give none.
  public static let defaultPatch = 2

  /// The family (its patch side comes from the parameters, else `defaultPatch`).
  public init() {}
  public var name: String { "patch-shuffle" }
  public var fixableParameters: Set<ActionParameters.Field> { [.patch] }
  public var formula: String {
    "permute the (H/k)*(W/k) non-overlapping k x k patches, each kept intact"
  }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    let patch = parameters.patch ?? Self.defaultPatch
    guard patch > 0, shape.height % patch == 0, shape.width % patch == 0 else {
      throw .patchDoesNotDivide(patch: patch, height: shape.height, width: shape.width)
    }
    let patches = (shape.height / patch) * (shape.width / patch)
    return try PatchShuffle(
      shape: shape, patch: patch,
      sourcePatch: randomNonIdentityPermutation(patches, using: &generator))
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    let sides = (1...min(shape.height, shape.width)).filter {
      shape.height % $0 == 0 && shape.width % $0 == 0
        && (shape.height / $0) * (shape.width / $0) > 1
    }
    guard !sides.isEmpty else {
      throw .patchDoesNotDivide(patch: 1, height: shape.height, width: shape.width)
    }
    var elements: [any GroupAction] = []
    for side in sides {
      elements.append(try element(for: shape, parameters: ActionParameters(patch: side), seed: 5))
    }
    return elements
  }

  /// S_n on the n patches of the default side k = 2 (a `--patch` k gives another group).
  public func groupOrder(for shape: ImageShape) -> Int? {
    let patch = Self.defaultPatch
    guard shape.height % patch == 0, shape.width % patch == 0 else { return nil }
    return Self.factorial((shape.height / patch) * (shape.width / patch))
  }
}
