import Symmetries

/// The NNGP and NTK Gram matrices of one kernel between two batches.
///
/// Row i, column j compares image i of the first batch with image j of the second.
public struct KernelMatrices: Sendable, Equatable {
  /// The NNGP kernel: the covariance of the network outputs at initialisation.
  public var nngp: Matrix
  /// The neural tangent kernel.
  public var ntk: Matrix

  /// Two matrices of one shape; throws when their shapes differ.
  public init(nngp: Matrix, ntk: Matrix) throws(LinearAlgebraError) {
    guard nngp.rows == ntk.rows, nngp.columns == ntk.columns else {
      throw .dimensionMismatch(
        "the NNGP is \(nngp.rows) x \(nngp.columns) but the NTK is \(ntk.rows) x \(ntk.columns); "
          + "the two matrices of one kernel compare the same two batches, so pass matrices of one shape"
      )
    }
    self.init(uncheckedNNGP: nngp, ntk: ntk)
  }

  /// Two matrices of one shape, for the package's own callers, which fill both from one loop.
  package init(uncheckedNNGP nngp: Matrix, ntk: Matrix) {
    precondition(
      nngp.rows == ntk.rows && nngp.columns == ntk.columns,
      "internal: the NNGP and NTK matrices of one kernel have one shape")
    self.nngp = nngp
    self.ntk = ntk
  }
}
