/// One permutation σ of the C channels, the same at every pixel.
///
/// (g x)(p, c) = x(p, σ(c)). A finite subgroup of the channel rotations O(C); the identity when
/// C = 1, so tables mark that case as trivial.
public struct ChannelPermutation: GroupAction {
  /// source[c] = σ(c): output channel c is input channel source[c].
  public let source: [Int]

  /// The permutation with output channel c = input channel `source[c]`; throws unless `source`
  /// is a permutation of 0..<C.
  public init(source: [Int]) throws(SymmetryError) {
    try validatePermutation(source, count: source.count, of: "channels")
    guard !source.isEmpty else {
      throw .notAPermutation("a channel permutation needs at least one channel")
    }
    self.source = source
  }

  public var familyName: String { ChannelPermutationFamily().name }

  public func validate(_ shape: ImageShape) throws(SymmetryError) {
    guard shape.channels == source.count else {
      throw .invalidShape(
        "this channel permutation acts on \(source.count) channels but the images have "
          + "\(shape.channels); draw it for the batch's shape")
    }
  }

  /// - Complexity: O(n H W C).
  public func apply(to batch: ImageBatch) throws(SymmetryError) -> ImageBatch {
    try validate(batch.shape)
    let channels = source.count
    return source.withUnsafeBufferPointer { map in
      batch.mapValues { input, output in
        for pixel in 0..<(batch.count * batch.shape.pixelCount) {
          let base = pixel * channels
          for c in 0..<channels { output[base + c] = input[base + map[c]] }
        }
      }
    }
  }

  public func structure(on shape: ImageShape) throws(SymmetryError) -> ActionStructure {
    try validate(shape)
    let identity = source == Array(source.indices)
    return .pixelMap(
      motion: .none(pixels: shape.pixelCount), channels: identity ? .none : .permutation)
  }

  public var inverse: any GroupAction {
    // The inverse of a permutation is a permutation: this cannot fail.
    try! ChannelPermutation(source: invertPermutation(source))
  }

  public var description: String { "channel permutation \(source)" }
}

/// The catalogue family `channel-permutation`: uniform over non-identity permutations of C.
public struct ChannelPermutationFamily: ActionFamily {
  /// The family (it has no parameters).
  public init() {}
  public var name: String { "channel-permutation" }
  public var formula: String {
    "(g x)(p, c) = x(p, sigma(c)), sigma a permutation of the C channels"
  }

  public func element(
    for shape: ImageShape, parameters: ActionParameters, using generator: inout SeededGenerator
  ) throws(SymmetryError) -> any GroupAction {
    try ChannelPermutation(source: randomNonIdentityPermutation(shape.channels, using: &generator))
  }

  public func testingElements(for shape: ImageShape) throws(SymmetryError) -> [any GroupAction] {
    let c = shape.channels
    let cycle = (0..<c).map { ($0 + 1) % c }
    return [try ChannelPermutation(source: cycle), try element(for: shape, seed: 6)]
  }

  /// S_C.
  public func groupOrder(for shape: ImageShape) -> Int? { Self.factorial(shape.channels) }
}
