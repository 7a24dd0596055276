import Learners

/// One point of a phase diagram: the NTK spectrum on the training images and the accuracies of
/// the NTK gradient-descent predictor at one training time.
///
/// The JSON keys are those of issue 10: `architecture`, `weight_variance`, `bias_variance`,
/// `depth`, `time`, `condition_number`, `lambda_max`, `lambda_min`, `train_accuracy`,
/// `test_accuracy`, and `train_count`, `test_count` (the images it was measured on).
public struct DepthRecord: Sendable, Hashable, Codable {
  /// The architecture's catalogue name.
  public let architecture: String
  /// The number of training images n.
  public let trainCount: Int
  /// The number of test images.
  public let testCount: Int
  /// W^2.
  public let weightVariance: Double
  /// b^2.
  public let biasVariance: Double
  /// The number of hidden layers L.
  public let depth: Int
  /// The training time t, in units of the top NTK mode's time constant (see `DepthExperiment`).
  public let time: Double
  /// lambda_max / lambda_min of the train-train NTK (infinite when lambda_min <= 0 in float64).
  public let conditionNumber: Double
  /// The largest eigenvalue of the train-train NTK.
  public let lambdaMax: Double
  /// The smallest eigenvalue of the train-train NTK (round-off can make it zero or negative).
  public let lambdaMin: Double
  /// The fraction of training images whose largest predicted output is their label.
  public let trainAccuracy: Double
  /// The same on the test images.
  public let testAccuracy: Double

  /// A record, field by field.
  public init(
    architecture: String, trainCount: Int, testCount: Int, weightVariance: Double,
    biasVariance: Double, depth: Int, time: Double,
    conditionNumber: Double, lambdaMax: Double, lambdaMin: Double, trainAccuracy: Double,
    testAccuracy: Double
  ) {
    self.architecture = architecture
    self.trainCount = trainCount
    self.testCount = testCount
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    self.depth = depth
    self.time = time
    self.conditionNumber = conditionNumber
    self.lambdaMax = lambdaMax
    self.lambdaMin = lambdaMin
    self.trainAccuracy = trainAccuracy
    self.testAccuracy = testAccuracy
  }

  enum CodingKeys: String, CodingKey {
    case architecture, depth, time
    case trainCount = "train_count"
    case testCount = "test_count"
    case weightVariance = "weight_variance"
    case biasVariance = "bias_variance"
    case conditionNumber = "condition_number"
    case lambdaMax = "lambda_max"
    case lambdaMin = "lambda_min"
    case trainAccuracy = "train_accuracy"
    case testAccuracy = "test_accuracy"
  }
}
