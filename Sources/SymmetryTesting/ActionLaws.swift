import Testing

// MARK: - Tolerances

/// Round-off bound for the group laws: rotations and inner products are sums of at most d terms,
/// so their error is about d * 1.1e-16 of the largest value; for images of d <= 900 values
/// (e.g. 15 x 15 x 4) 1e-12 leaves an order of magnitude to spare, while a wrong index moves
/// values by O(1). Larger images need a proportionally larger tolerance.
public let actionRoundOff = 1e-12

// MARK: - Helpers

/// Inner products <x_i, x_j> of the flattened images, row-major n x n.
public func gram(_ batch: ImageBatch) -> [Double] {
  var result: [Double] = []
  for i in 0..<batch.count {
    for j in 0..<batch.count {
      result.append(zip(batch.image(i), batch.image(j)).reduce(0) { $0 + $1.0 * $1.1 })
    }
  }
  return result
}

// MARK: - Checkers

/// Records an issue unless `actual` matches `expected` under the project's rule
/// (`relativeDeviation`) within `tolerance`.
public func expectClose(
  _ actual: some Collection<Double>, _ expected: some Collection<Double>,
  tolerance: Double, _ what: @autoclosure () -> String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let deviation = relativeDeviation(actual, expected)
  #expect(
    deviation <= tolerance,
    "\(what()): relative deviation \(deviation) exceeds \(tolerance)",
    sourceLocation: sourceLocation)
}

/// Checks the group-action laws of `action` on `batch`: inverse both ways, linearity,
/// orthogonality (inner products of every pair of images), and that its matrix is orthogonal,
/// each to `actionRoundOff`.
/// - Throws: `ProbeError.tooFewImages` for a batch of fewer than two images (linearity needs
///   two), and what the action throws on the batch's shape.
public func checkGroupActionLaws(
  _ action: any GroupAction, on batch: ImageBatch, tolerance: Double = actionRoundOff,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  guard batch.count >= 2 else {
    throw ProbeError.tooFewImages(
      "the group-law check needs at least two images, got \(batch.count)")
  }
  let moved = try action.apply(to: batch)
  #expect(moved.shape == batch.shape, "\(action) changed the shape", sourceLocation: sourceLocation)
  expectClose(
    try action.inverse.apply(to: moved).values, batch.values, tolerance: tolerance,
    "\(action): inverse after action", sourceLocation: sourceLocation)
  expectClose(
    try action.apply(to: action.inverse.apply(to: batch)).values, batch.values,
    tolerance: tolerance, "\(action): action after inverse", sourceLocation: sourceLocation)
  expectClose(
    gram(moved), gram(batch), tolerance: tolerance,
    "\(action): inner products", sourceLocation: sourceLocation)

  // Linearity: g(2 x_0 - 3 x_1) = 2 g x_0 - 3 g x_1.
  let combination = zip(batch.image(0), batch.image(1)).map { 2 * $0 - 3 * $1 }
  let single = try ImageBatch(shape: batch.shape, values: combination)
  let expected = zip(moved.image(0), moved.image(1)).map { 2 * $0 - 3 * $1 }
  expectClose(
    try action.apply(to: single).values, expected, tolerance: tolerance,
    "\(action): linearity", sourceLocation: sourceLocation)

  let m = try action.matrix(for: batch.shape)
  let product = try m.transposed.multiplied(by: m)
  expectClose(
    product.storage, try Matrix.identity(batch.shape.dimension).storage, tolerance: tolerance,
    "\(action): matrix orthogonality", sourceLocation: sourceLocation)
}

/// Records an issue unless `action`'s declared `structure(on:)` is true of its matrix on
/// `shape` (see `structureMismatch`).
public func checkDeclaredStructure(
  _ action: any GroupAction, on shape: ImageShape,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let mismatch = try structureMismatch(action, on: shape)
  #expect(mismatch == nil, "\(mismatch ?? "")", sourceLocation: sourceLocation)
}

/// Why `action`'s declared `structure(on:)` is false of its matrix on `shape`, nil when it is
/// true: a pixel map must read exactly one input pixel per output pixel, `source[p]`, through a
/// C x C block that is the identity (`none`), one permutation matrix or one matrix for every
/// pixel (`permutation`, `rotation`); and the structure is the identity exactly when the matrix
/// is. Blocks are compared exactly: pixel maps copy values, so their matrices hold the blocks'
/// own entries.
public func structureMismatch(_ action: any GroupAction, on shape: ImageShape) throws -> String? {
  let structure = try action.structure(on: shape)
  let g = try action.matrix(for: shape)
  if structure.isIdentity != (try g == Matrix.identity(shape.dimension)) {
    return
      "\(action) declares \(structure), but its matrix \(structure.isIdentity ? "is not" : "is") the identity"
  }
  guard case .pixelMap(let motion, let channels) = structure else { return nil }
  let c = shape.channels
  guard motion.source.count == shape.pixelCount else {
    return "\(action) declares \(motion.source.count) pixel sources for \(shape.pixelCount) pixels"
  }
  var blocks: [[Double]] = []
  for p in 0..<shape.pixelCount {
    let q = motion.source[p]
    var block: [Double] = []
    for i in 0..<c {
      for column in 0..<g.columns {
        let value = g[p * c + i, column]
        if column / c == q {
          block.append(value)
        } else if value != 0 {
          return
            "\(action): output pixel \(p) reads input pixel \(column / c), not only its declared source \(q)"
        }
      }
    }
    blocks.append(block)
  }
  let identity = try Matrix.identity(c).storage
  switch channels {
  case .none:
    if !blocks.allSatisfy({ $0 == identity }) {
      return "\(action) declares no channel map but maps channels"
    }
  case .permutation, .rotation:
    if !blocks.allSatisfy({ $0 == blocks[0] }) {
      return "\(action) declares one channel map for every pixel, but they differ"
    }
    if channels == .permutation,
      !(blocks[0].allSatisfy { $0 == 0 || $0 == 1 } && blocks[0].filter { $0 == 1 }.count == c)
    {
      return "\(action) declares a channel permutation, but its block is not a permutation matrix"
    }
  case .pixelwiseRotation:
    break
  }
  return nil
}

// MARK: - A whole family

/// Checks what a family must satisfy to join the catalogue, on images of `shape`: every testing
/// element and a drawn one obey the group laws (`checkGroupActionLaws`) and their declared
/// structure (`checkDeclaredStructure`, which the symmetry rules trust); a seed determines its
/// element; a group of more than two elements draws different elements from different seeds;
/// no drawn element is the identity; and the name is not already a catalogue name.
///
/// With this, a user's action is as trustworthy as a catalogue one in the same suite's
/// parameterised claims (`ActionCatalogue.families(adding:)`).
/// - Throws: what the family throws for `shape` (e.g. `SymmetryError.notSquare`).
public func expectActionFamilyLaws(
  _ family: any ActionFamily, on shape: ImageShape, tolerance: Double = actionRoundOff,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  if let clash = ActionCatalogue.families.first(where: { $0.name == family.name }),
    type(of: clash) != type(of: family)
  {
    Issue.record(
      "\(family.name) is already the name of a catalogue action; pick another name",
      sourceLocation: sourceLocation)
  }
  let elements = try family.testingElements(for: shape)
  #expect(
    !elements.isEmpty, "\(family.name) lists no testing elements", sourceLocation: sourceLocation)
  let batch = try gaussianBatch(shape, count: 3, seed: 7)
  for element in elements + [try family.element(for: shape, seed: 99)] {
    try checkGroupActionLaws(
      element, on: batch, tolerance: tolerance, sourceLocation: sourceLocation)
    try checkDeclaredStructure(element, on: shape, sourceLocation: sourceLocation)
  }
  let probe = try gaussianBatch(shape, count: 1, seed: 41)
  let first = try family.element(for: shape, seed: 5).apply(to: probe)
  #expect(
    try family.element(for: shape, seed: 5).apply(to: probe) == first,
    "\(family.name): the same seed drew different elements", sourceLocation: sourceLocation)
  if (family.groupOrder(for: shape) ?? .max) > 2 {
    let draws = try (6..<12).map { try family.element(for: shape, seed: $0).apply(to: probe) }
    #expect(
      draws.contains { $0 != first },
      "\(family.name): six seeds drew the same element; if the group has only two elements, say so in groupOrder(for:)",
      sourceLocation: sourceLocation)
  }
  for seed in UInt64(0)..<5 {
    #expect(
      try !family.element(for: shape, seed: seed).isIdentity(on: shape),
      "\(family.name): seed \(seed) drew the identity, which no probe can learn from",
      sourceLocation: sourceLocation)
  }
}
