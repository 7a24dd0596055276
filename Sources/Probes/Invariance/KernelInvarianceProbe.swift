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

/// The two deviations of one probe.
public struct KernelInvarianceMeasurement: Sendable, Hashable, Codable {
  /// max |K(gA, gX) - K(A, X)| / max |K(A, X)| for each kernel.
  public var algorithmic: KernelDeviations
  /// max |K(A, gX) - K(A, X)| / max |K(A, X)| for each kernel.
  public var functional: KernelDeviations
}
