import Learners
import Symmetries

/// Which of a kernel function's two kernels.
public enum KernelKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  case nngp, ntk
  public var description: String { rawValue }

  /// This kind's matrix.
  public func matrix(of kernels: KernelMatrices) -> Matrix {
    self == .nngp ? kernels.nngp : kernels.ntk
  }
}
