import Learners
import Symmetries

/// A learner (model M with inference algorithm I): maps a training set S = {(x_i, y_i)} to a
/// predictor f_S.
///
/// Anything that conforms can be probed: a kernel learner, a finite network trained by gradient
/// descent, or a user's own. A random learner (SGD from a random initialisation) owns its seed,
/// so `fit` is a deterministic function of its inputs.
public protocol Learner: Sendable {
  /// Fits to training images and their targets (n x k) and returns the predictor f_S.
  func fit(_ images: ImageBatch, targets: Matrix) throws -> any Predictor
}

/// A fitted predictor f_S.
public protocol Predictor: Sendable {
  /// f_S(x) for every image x: an (m x k) matrix.
  func predict(_ images: ImageBatch) throws -> Matrix
}

/// Kernel regression with one kernel of a `KernelFunction`: the NNGP posterior mean, or the NTK
/// gradient-flow predictor at time t (t = nil for infinity), in neural-tangents' conventions
/// (see `KernelRegression`).
public struct KernelRegressionLearner<Kernel: KernelFunction>: Learner {
  public let kernel: Kernel
  /// Which of the kernel's two matrices.
  public let kind: KernelKind
  /// Ridge, relative to the mean diagonal: K + diagReg * trace(K) / n * I.
  public let diagReg: Double
  /// Training time for the gradient-flow predictor; nil is t = infinity.
  public let time: Double?

  public init(_ kernel: Kernel, kind: KernelKind, diagReg: Double = 0, time: Double? = nil) {
    self.kernel = kernel
    self.kind = kind
    self.diagReg = diagReg
    self.time = time
  }

  public func fit(_ images: ImageBatch, targets: Matrix) throws -> any Predictor {
    guard targets.rows == images.count else {
      throw ProbeError.mismatch("\(images.count) training images but \(targets.rows) rows of targets")
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

/// A learner precomposed with a group action, M∘g: it fits on g·S and predicts g x.
///
/// Acting on the model instead of the data; `PrecomposedLearner(L, g).fit(S).predict(x)` is by
/// construction `L.fit(g·S).predict(g x)`.
public struct PrecomposedLearner: Learner {
  public let base: any Learner
  public let action: any GroupAction

  public init(_ base: any Learner, action: any GroupAction) {
    self.base = base
    self.action = action
  }

  public func fit(_ images: ImageBatch, targets: Matrix) throws -> any Predictor {
    PrecomposedPredictor(base: try base.fit(action.apply(to: images), targets: targets), action: action)
  }
}

struct PrecomposedPredictor: Predictor {
  let base: any Predictor
  let action: any GroupAction
  func predict(_ images: ImageBatch) throws -> Matrix {
    try base.predict(action.apply(to: images))
  }
}
