import Learners

/// The deviations an invariance probe measured, for the NNGP and the NTK.
public struct KernelDeviations: Sendable, Hashable, Codable {
  /// The deviation of the NNGP.
  public var nngp: Double
  /// The deviation of the NTK.
  public var ntk: Double

  /// The deviations `nngp` and `ntk`.
  public init(nngp: Double, ntk: Double) {
    self.nngp = nngp
    self.ntk = ntk
  }

  /// max |moved - base| / max |base|, per kernel.
  init(_ base: KernelMatrices, _ moved: KernelMatrices) {
    nngp = deviation(moved.nngp.storage, from: base.nngp.storage)
    ntk = deviation(moved.ntk.storage, from: base.ntk.storage)
  }

  /// The deviation for one kernel kind.
  public subscript(kind: KernelKind) -> Double {
    switch kind {
    case .nngp: return nngp
    case .ntk: return ntk
    }
  }
}
