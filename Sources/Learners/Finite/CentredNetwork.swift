import LinearAlgebra
import Symmetries

/// The centred learner x -> f_theta(x) - f_theta0(x): a network trained from theta0 minus its own
/// initial function.
///
/// At initialisation a network in NTK parameterisation outputs a random function f_theta0 of
/// variance about the NNGP diagonal (~1, against 0.09 for centred one-hot targets). Training
/// removes it on the training images but not elsewhere, so the test predictions of f_theta carry
/// most of f_theta0. The centred learner subtracts it: trained on targets Y, it fits
/// f_theta - f_theta0 to Y, which has the gradients of fitting f_theta to Y + f_theta0(X_train)
/// (the two residuals are equal), so it trains the ordinary network on shifted targets and
/// predicts f_T(x) - f_theta0(x). It is a standard learner of the lazy-training / NTK
/// literature: its infinitely wide gradient-flow limit is the NTK predictor (the kernels'
/// predictors, being means over initialisations, have no f_theta0 either). It is a function of
/// theta0 and the data only, so a data action g acts on it exactly as on the uncentred network.
public struct CentredNetwork: Sendable {
  /// The parameters theta0 the run started from.
  public let initial: FiniteNetwork
  /// The trained parameters theta_T.
  public let network: FiniteNetwork
  /// `TrainingRun.losses` of the run on the shifted targets: the centred learner's own loss,
  /// 1 / (2 n k) sum (f_theta - f_theta0 - Y)^2 on each step's batch, then on the training set.
  public let losses: [Double]
  /// The steps taken (see `TrainingRun.stepsTaken`).
  public var stepsTaken: Int { losses.count - 1 }
  /// Whether the run met its `FittingRule` (on the centred learner's own training MSE); nil
  /// when it had none.
  public let fitted: Bool?

  /// f_theta_T(x) - f_theta0(x) on `images`, n x outputCount.
  /// - Throws: `.shapeMismatch`, `.nonFinitePrediction`.
  /// - Complexity: two forward passes.
  public func predictions(
    _ images: ImageBatch, threads: Int = GEMM.defaultThreadCount
  ) throws(FiniteError) -> Matrix {
    var output = try network.predictions(images, threads: threads)
    let start = try initial.predictions(images, threads: threads)
    for index in output.storage.indices { output.storage[index] -= start.storage[index] }
    return output
  }
}

extension FiniteNetwork {
  /// Trains the centred learner f_theta - f_theta0 (theta0 = `self`) on (images, targets):
  /// `trained` on the targets Y + f_theta0(images), with the same optimiser, steps (or fitting
  /// rule: the shifted residuals are the centred learner's own), batch order and thread count.
  ///
  /// - Throws: as `trained`.
  /// - Complexity: one forward pass more than `trained`.
  public func trainedCentred(
    on images: ImageBatch, targets: Matrix, optimizer: Optimizer, steps: Int,
    until rule: FittingRule? = nil, seed: UInt64 = 0, threads: Int = GEMM.defaultThreadCount,
    progress: ((Int, Double) -> Void)? = nil
  ) throws(FiniteError) -> CentredNetwork {
    try check(images, targets: targets)
    var shifted = targets
    let start = try predictions(images, threads: threads)
    for index in shifted.storage.indices { shifted.storage[index] += start.storage[index] }
    let run = try trained(
      on: images, targets: shifted, optimizer: optimizer, steps: steps, until: rule, seed: seed,
      threads: threads, progress: progress)
    return CentredNetwork(
      initial: self, network: run.network, losses: run.losses, fitted: run.fitted)
  }
}
