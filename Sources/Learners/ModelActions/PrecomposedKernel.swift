import Symmetries

/// The kernel of a model precomposed with a group action, M∘g: K_g(x, x') = K(g x, g x').
///
/// Acting on the model instead of the data: kernel regression with K_g on S equals kernel
/// regression with K on g·S evaluated at g x, so the two experiments must agree exactly.
public struct PrecomposedKernel<Base: KernelFunction>: KernelFunction {
  /// The kernel K of the model before precomposition.
  public let base: Base
  /// The group element g applied to both arguments.
  public let action: any GroupAction

  /// K_g(x, x') = K(g x, g x') for K = `base` and g = `action`.
  public init(_ base: Base, action: any GroupAction) {
    self.base = base
    self.action = action
  }

  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    try base.kernels(action.apply(to: x1), x2.map { try action.apply(to: $0) })
  }
}
