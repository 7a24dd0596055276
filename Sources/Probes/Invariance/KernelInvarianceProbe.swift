import Learners
import Symmetries

/// Kernel-level invariance probes of a kernel under one group action, on fixed train and test
/// images X and X*.
///
/// With A = X ∪ X* (train-train and test-train blocks) and every deviation relative to
/// max |K(A, X)|:
/// - algorithmic: max |K(gA, gX) - K(A, X)|, which vanishes iff the learner cannot tell the
///   g-transformed task from the original (K(g x, g x') = K(x, x'));
/// - functional: max |K(A, gX) - K(A, X)|, which vanishes iff predictions do not change when a
///   training input is replaced by its image under g (K(x, g x') = K(x, x')).
public struct KernelInvarianceProbe: Sendable {
  /// Training images X.
  public let train: ImageBatch
  /// Test images X*.
  public let test: ImageBatch
  /// A = X followed by X*.
  let all: ImageBatch

  /// A probe on these images; throws if their shapes differ or a set is empty.
  public init(train: ImageBatch, test: ImageBatch) throws(ProbeError) {
    guard train.shape == test.shape else {
      throw .mismatch("train images are \(train.shape) but test images are \(test.shape)")
    }
    guard train.count > 0, test.count > 0 else {
      throw .tooFewImages("a probe needs at least one train and one test image")
    }
    self.train = train
    self.test = test
    all = try! ImageBatch(shape: train.shape, values: train.values + test.values)
  }

  /// The algorithmic and functional deviations of `kernel`'s NNGP and NTK under `action`.
  /// - Complexity: three kernel evaluations of (n + m) x n pairs.
  public func measure(_ kernel: some KernelFunction, under action: any GroupAction) throws
    -> KernelInvarianceMeasurement
  {
    let base = try kernel.kernels(all, train)
    let movedTrain = try action.apply(to: train)
    let algorithmic = try kernel.kernels(action.apply(to: all), movedTrain)
    let functional = try kernel.kernels(all, movedTrain)
    return KernelInvarianceMeasurement(
      algorithmic: KernelDeviations(base, algorithmic),
      functional: KernelDeviations(base, functional))
  }
}

/// The deviations an invariance probe measured, for the NNGP and the NTK.
public struct KernelDeviations: Sendable, Hashable, Codable {
  public var nngp: Double
  public var ntk: Double

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

/// The two deviations of one probe.
public struct KernelInvarianceMeasurement: Sendable, Hashable, Codable {
  public var algorithmic: KernelDeviations
  public var functional: KernelDeviations
}

/// Which of a kernel function's two kernels.
public enum KernelKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  case nngp, ntk
  public var description: String { rawValue }

  /// This kind's matrix.
  public func matrix(of kernels: KernelMatrices) -> Matrix {
    self == .nngp ? kernels.nngp : kernels.ntk
  }
}

/// max_i |moved_i - base_i| / max_i |base_i| (infinite on a non-finite value or a count
/// mismatch): the probes' deviation, relative to the unmoved values. NaN when both are all
/// zeros: nothing was measured, and `Verdict` reads that as "no signal", not as invariance.
public func deviation(_ moved: [Double], from base: [Double]) -> Double {
  guard moved.count == base.count else { return .infinity }
  var difference = 0.0
  var scale = 0.0
  for (m, b) in zip(moved, base) {
    guard m.isFinite, b.isFinite else { return .infinity }
    difference = max(difference, abs(m - b))
    scale = max(scale, abs(b))
  }
  if scale == 0 { return difference == 0 ? .nan : .infinity }
  return difference / scale
}
