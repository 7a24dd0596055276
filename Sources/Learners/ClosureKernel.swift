import Symmetries

/// A kernel given by a closure, so that any NNGP/NTK computation can stand in wherever a
/// `KernelFunction` is accepted.
public struct ClosureKernel: KernelFunction {
  /// The closure: (x1, x2 or nil for x1 with itself) -> Gram matrices.
  public let body: @Sendable (ImageBatch, ImageBatch?) throws -> KernelMatrices

  /// A kernel evaluating `body`.
  public init(_ body: @escaping @Sendable (ImageBatch, ImageBatch?) throws -> KernelMatrices) {
    self.body = body
  }

  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    try body(x1, x2)
  }
}
