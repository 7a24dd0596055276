import Symmetries

/// The NNGP and NTK Gram matrices of one kernel between two batches.
///
/// Row i, column j compares image i of the first batch with image j of the second.
public struct KernelMatrices: Sendable, Equatable {
  /// The NNGP kernel: the covariance of the network outputs at initialisation.
  public var nngp: Matrix
  /// The neural tangent kernel.
  public var ntk: Matrix

  /// Two matrices of one shape.
  public init(nngp: Matrix, ntk: Matrix) {
    precondition(
      nngp.rows == ntk.rows && nngp.columns == ntk.columns,
      "the NNGP and NTK matrices of one kernel have one shape")
    self.nngp = nngp
    self.ntk = ntk
  }
}
