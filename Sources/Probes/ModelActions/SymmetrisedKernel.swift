import Learners
import Symmetries

/// A kernel symmetrised algorithmically over group elements acting on both arguments:
/// K_G(x, x') = (1/|G|) Σ_{g ∈ G} K(g x, g x').
///
/// Averaging the model over a group instead of transforming the data: with G the whole of a
/// group the learner becomes algorithmically invariant under it (it can no longer use what G
/// destroys). For large or continuous groups `elements` is a Monte Carlo sample, whose size the
/// reports state.
/// It stays in Probes, not beside `PrecomposedKernel` in Learners, because its initialiser
/// throws `ProbeError`.
/// - Complexity: |G| evaluations of the base kernel.
public struct SymmetrisedKernel<Base: KernelFunction>: KernelFunction {
  /// The kernel K being symmetrised.
  public let base: Base
  /// The group elements averaged over (all of G, or a Monte Carlo sample).
  public let elements: [any GroupAction]

  /// E_g K(g x, g x') over `elements` for K = `base`; throws when `elements` is empty.
  public init(_ base: Base, elements: [any GroupAction]) throws(ProbeError) {
    guard !elements.isEmpty else {
      throw .invalidOption("a symmetrised kernel needs at least one element")
    }
    self.base = base
    self.elements = elements
  }

  /// A Monte Carlo symmetrisation over `draws` random elements of `family` (seeded).
  public static func monteCarlo(
    _ base: Base, family: any ActionFamily, shape: ImageShape, draws: Int, seed: UInt64
  ) throws -> Self {
    try Self(base, elements: drawElements(family, shape: shape, draws: draws, seed: seed))
  }

  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    try averaged(count: elements.count) { index in
      let element = elements[index]
      return try base.kernels(element.apply(to: x1), x2.map { try element.apply(to: $0) })
    }
  }
}

/// `draws` random elements of `family` for `shape`, from one seeded stream.
func drawElements(
  _ family: any ActionFamily, shape: ImageShape, draws: Int, seed: UInt64
) throws -> [any GroupAction] {
  guard draws > 0 else { throw ProbeError.invalidOption("draws must be positive, got \(draws)") }
  var generator = SeededGenerator(seed: seed)
  return try (0..<draws).map { _ in
    try family.element(for: shape, parameters: ActionParameters(), using: &generator)
  }
}

/// The entry-wise mean of `count` kernel matrices of one shape, accumulated one term at a time
/// so memory stays at two matrices whatever the count.
func averaged(
  count: Int, _ term: (Int) throws -> KernelMatrices
) rethrows -> KernelMatrices {
  var sum = try term(0)
  for index in 1..<max(count, 1) {
    let next = try term(index)
    for i in sum.nngp.storage.indices {
      sum.nngp.storage[i] += next.nngp.storage[i]
      sum.ntk.storage[i] += next.ntk.storage[i]
    }
  }
  let scale = 1 / Double(count)
  for i in sum.nngp.storage.indices {
    sum.nngp.storage[i] *= scale
    sum.ntk.storage[i] *= scale
  }
  return sum
}
