import Learners
import Symmetries

/// Kernel regression with one kernel of a `KernelFunction`: the NNGP posterior mean, or the NTK
/// gradient-flow predictor at time t (t = nil for infinity), in neural-tangents' conventions
/// (see `KernelRegression`). It stays in Probes, not beside `Learner` in Learners, because its
/// errors are `ProbeError`s and it picks a matrix by the probes' `KernelKind`.
public struct KernelRegressionLearner<Kernel: KernelFunction>: Learner {
  /// The kernel function whose `kind` matrix is regressed with.
  public let kernel: Kernel
  /// Which of the kernel's two matrices.
  public let kind: KernelKind
  /// Ridge, relative to the mean diagonal: K + diagReg * trace(K) / n * I.
  public let diagReg: Double
  /// Training time for the gradient-flow predictor; nil is t = infinity.
  public let time: Double?

  /// Regression with `kernel`'s `kind` matrix, ridge `diagReg`, at time `time` (nil: infinity).
  public init(_ kernel: Kernel, kind: KernelKind, diagReg: Double = 0, time: Double? = nil) {
    self.kernel = kernel
    self.kind = kind
    self.diagReg = diagReg
    self.time = time
  }

  public func fit(_ images: ImageBatch, targets: Matrix) throws -> any Predictor {
    guard targets.rows == images.count else {
      throw ProbeError.mismatch(
        "\(images.count) training images but \(targets.rows) rows of targets")
    }
    return KernelRegressionPredictor(
      learner: self, train: images, targets: targets,
      trainTrain: kind.matrix(of: try kernel.kernels(images, nil)))
  }
}

/// A fitted kernel-regression predictor: it keeps the training images, targets and Gram matrix.
struct KernelRegressionPredictor<Kernel: KernelFunction>: Predictor {
  let learner: KernelRegressionLearner<Kernel>
  let train: ImageBatch
  let targets: Matrix
  let trainTrain: Matrix

  func predict(_ images: ImageBatch) throws -> Matrix {
    let testTrain = learner.kind.matrix(of: try learner.kernel.kernels(images, train))
    if let time = learner.time {
      return try KernelRegression.gradientFlow(
        trainTrain: trainTrain, testTrain: testTrain, targets: targets, time: time,
        diagReg: learner.diagReg)
    }
    return try KernelRegression.posteriorMean(
      trainTrain: trainTrain, testTrain: testTrain, targets: targets, diagReg: learner.diagReg)
  }
}
