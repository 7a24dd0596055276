/// When training stops before its step cap: as soon as the training set is fitted, i.e. the
/// training MSE (the mean of (f_j(x_i) - Y_ij)^2 over all n k outputs of the whole training
/// set, twice `FiniteNetwork.lossAndGradient`'s loss) is at or below `trainMSE`.
///
/// The threshold is fixed before training, never read off a run. The check runs once per epoch
/// (every ceil(n / b) steps of a minibatch optimiser, every step of a full-batch one): when the
/// mean of that epoch's minibatch losses says the threshold may be met, one forward pass over
/// the training set decides, so a run pays a full pass only near its end. A run that reaches the
/// step cap first stops there, unfitted, and says so (`TrainingRun.fitted`).
public struct FittingRule: Sendable, Hashable, CustomStringConvertible {
  /// The training MSE at or below which the training set counts as fitted.
  public let trainMSE: Double

  /// A rule stopping at training MSE <= `trainMSE`.
  /// - Throws: `FiniteError.invalidHyperparameter` unless `trainMSE` is positive and finite.
  public init(trainMSE: Double) throws(FiniteError) {
    guard trainMSE.isFinite, trainMSE > 0 else {
      throw .invalidHyperparameter(
        "the training MSE that counts as fitted must be positive and finite, got \(trainMSE)")
    }
    self.trainMSE = trainMSE
  }

  public var description: String { "until train MSE <= \(trainMSE)" }

  /// The steps between checks for `count` training images and `optimizer`: one epoch.
  func interval(count: Int, optimizer: Optimizer) -> Int {
    guard let batch = optimizer.batchSize else { return 1 }
    return Swift.max(1, count / batch)
  }
}
