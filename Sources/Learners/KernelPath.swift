/// Which implementation computes an architecture's NNGP and NTK (`Architecture.kernelPath`):
/// an explicit capability check that `kernel --explain` and `table --explain` report.
public enum KernelPath: Sendable, Hashable, CustomStringConvertible {
  /// The fast `KernelEngine`, running this program.
  case engine(KernelProgram)
  /// The layer-by-layer reference definition, and why the engine does not run.
  case reference(reason: String)

  public var description: String {
    switch self {
    case .engine: return "the fast engine"
    case .reference(let reason): return "the reference path (\(reason))"
    }
  }
}
