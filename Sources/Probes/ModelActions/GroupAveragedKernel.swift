import Learners
import Symmetries

/// A kernel averaged over a group acting on its second argument:
/// K_G(x, x') = (1/|G|) Σ_{g ∈ G} K(x, g x').
///
/// When K is algorithmically invariant under G, K_G is functionally invariant (the learner it
/// defines predicts the same at x and g x). Exact for a finite group listed in full (all
/// circular translations); a Monte Carlo estimate over `elements.count` draws otherwise, which
/// the reports state.
/// It stays in Probes, not beside `PrecomposedKernel` in Learners, because its initialiser
/// throws `ProbeError`.
/// - Complexity: |G| evaluations of the base kernel.
public struct GroupAveragedKernel<Base: KernelFunction>: KernelFunction {
  /// The kernel K being averaged.
  public let base: Base
  /// The group elements averaged over.
  public let elements: [any GroupAction]
  /// Whether `elements` is the whole group (exact) or a random sample (Monte Carlo).
  public let isExact: Bool

  /// The average over the listed elements.
  public init(_ base: Base, elements: [any GroupAction], isExact: Bool) throws(ProbeError) {
    guard !elements.isEmpty else {
      throw .invalidOption("a group average needs at least one element")
    }
    self.base = base
    self.elements = elements
    self.isExact = isExact
  }

  /// The exact average over all H W circular translations of `shape`.
  public static func overTranslations(_ base: Base, shape: ImageShape) -> Self {
    let shifts = (0..<shape.pixelCount).map {
      Translation(dy: $0 / shape.width, dx: $0 % shape.width) as any GroupAction
    }
    return try! Self(base, elements: shifts, isExact: true)
  }

  /// A Monte Carlo average over `draws` random elements of `family` (seeded).
  public static func monteCarlo(
    _ base: Base, family: any ActionFamily, shape: ImageShape, draws: Int, seed: UInt64
  ) throws -> Self {
    try Self(
      base, elements: drawElements(family, shape: shape, draws: draws, seed: seed), isExact: false)
  }

  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    let second = x2 ?? x1
    return try averaged(count: elements.count) {
      try base.kernels(x1, elements[$0].apply(to: second))
    }
  }
}
