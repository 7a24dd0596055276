import Learners
import Symmetries

/// Which of a kernel function's two kernels.
public enum KernelKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// The NNGP (the prior covariance of the infinitely wide network) and the NTK (the kernel of
  /// its gradient-descent training).
  case nngp, ntk
  public var description: String { rawValue }

  /// This kind's matrix.
  public func matrix(of kernels: KernelMatrices) -> Matrix {
    self == .nngp ? kernels.nngp : kernels.ntk
  }
}
