import Learners
import Symmetries

/// Prediction-level invariance probes of any learner under one group action, on a fixed
/// training set S = (X, Y) and test images X*.
///
/// - algorithmic: f_{g·S}(g X*) against f_S(X*): train on transformed data, predict on
///   transformed inputs, compare with the untransformed run;
/// - functional: f_S(g X*) against f_S(X*).
/// Each deviation is max |moved - base| / max |base| over all test predictions.
public struct PredictionInvarianceProbe: Sendable {
  /// The training images S.
  public let train: ImageBatch
  /// The training targets, one row per training image.
  public let targets: Matrix
  /// The test images X* the predictions are compared on.
  public let test: ImageBatch

  /// A probe on `train` with `targets`, predicting `test`; throws when the shapes or counts
  /// disagree or a set is empty.
  public init(train: ImageBatch, targets: Matrix, test: ImageBatch) throws(ProbeError) {
    guard train.shape == test.shape else {
      throw .mismatch("train images are \(train.shape) but test images are \(test.shape)")
    }
    guard targets.rows == train.count else {
      throw .mismatch("\(train.count) training images but \(targets.rows) rows of targets")
    }
    guard train.count > 0, test.count > 0 else {
      throw .tooFewImages("a probe needs at least one train and one test image")
    }
    self.train = train
    self.targets = targets
    self.test = test
  }

  /// The algorithmic and functional deviations of `learner`'s predictions under `action`.
  /// - Complexity: two fits and three predictions.
  public func measure(_ learner: some Learner, under action: any GroupAction) throws
    -> PredictionInvarianceMeasurement
  {
    let fitted = try learner.fit(train, targets: targets)
    let base = try fitted.predict(test).storage
    let movedTest = try action.apply(to: test)
    let retrained = try learner.fit(action.apply(to: train), targets: targets)
    let algorithmic = deviation(try retrained.predict(movedTest).storage, from: base)
    let functional = deviation(try fitted.predict(movedTest).storage, from: base)
    return PredictionInvarianceMeasurement(
      algorithmicDeviation: algorithmic, functionalDeviation: functional,
      algorithmic: Verdict(deviation: algorithmic, thresholds: .prediction),
      functional: Verdict(deviation: functional, thresholds: .prediction))
  }
}

/// What a prediction-level probe measured, and its verdicts (`VerdictThresholds.prediction`).
public struct PredictionInvarianceMeasurement: Sendable, Hashable, Codable {
  /// max |f_{g·S}(g X*) - f_S(X*)| / max |f_S(X*)|.
  public var algorithmicDeviation: Double
  /// max |f_S(g X*) - f_S(X*)| / max |f_S(X*)|.
  public var functionalDeviation: Double
  /// The verdict on algorithmic invariance.
  public var algorithmic: Verdict
  /// The verdict on functional invariance.
  public var functional: Verdict
}
