/// The inference half of a learning curve's learner (the `kernel` field of its JSON): kernel
/// regression at t = infinity with an infinite-width kernel, or the finite network of the same
/// architecture trained by minibatch SGD, whose NTK at initialisation the kernel is in the
/// infinite-width limit.
///
/// A separate type from `KernelKind`, which names the two matrices of a kernel function and is
/// iterated by the invariance table: a finite network has no such matrix.
public enum CurveKernel: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible
{
  /// The NNGP posterior mean.
  case nngp
  /// The NTK gradient-flow predictor at t = infinity.
  case ntk
  /// A finite-width network trained by minibatch SGD on the same images (`FiniteCurveExperiment`).
  case finiteSGD = "finite-sgd"

  /// The kernel regression of `kind`.
  public init(_ kind: KernelKind) {
    switch kind {
    case .nngp: self = .nngp
    case .ntk: self = .ntk
    }
  }

  /// The label in tables and plot legends: NNGP, NTK or SGD.
  public var label: String {
    switch self {
    case .nngp: return "NNGP"
    case .ntk: return "NTK"
    case .finiteSGD: return "SGD"
    }
  }

  public var description: String { rawValue }
}
