import Symmetries

/// The NNGP and NTK Gram matrices of two batches (or a block of them), and the per-thread
/// workspace the engine used to compute them.
public struct KernelMatrices: Sendable, Equatable {
  /// K_NNGP(x_i, y_j) at row i, column j.
  public var nngp: Matrix
  /// K_NTK(x_i, y_j) at row i, column j.
  public var ntk: Matrix
  /// Bytes of scratch memory each thread allocated (independent of the number of images).
  public var workspaceBytesPerThread: Int

  public init(nngp: Matrix, ntk: Matrix, workspaceBytesPerThread: Int) {
    self.nngp = nngp
    self.ntk = ntk
    self.workspaceBytesPerThread = workspaceBytesPerThread
  }
}
