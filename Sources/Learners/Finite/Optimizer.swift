/// How a finite network's parameters move along the loss gradient g_t.
///
/// - gradient descent (full batch): theta <- theta - eta g_t;
/// - SGD: the same on minibatches of `batchSize` images, drawn without replacement from a
///   seeded permutation per epoch (a final partial batch is dropped, so every step sees
///   `batchSize` images);
/// - Adam (Kingma & Ba, 2015): m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2,
///   theta <- theta - eta m^ / (sqrt(v^) + epsilon) with m^ = m / (1 - beta1^t),
///   v^ = v / (1 - beta2^t), coordinate by coordinate, on full batches (`batchSize` nil) or
///   minibatches as SGD.
///
/// Gradient descent and SGD commute with every orthogonal map of the parameters; Adam, being
/// per-coordinate, only with (signed) coordinate permutations. That is why FCN with Adam keeps
/// pixel permutations but loses O(d).
public enum Optimizer: Sendable, Hashable, CustomStringConvertible {
  /// Full-batch gradient descent.
  case gradientDescent(learningRate: Double)
  /// Minibatch SGD with seeded shuffling.
  case sgd(learningRate: Double, batchSize: Int)
  /// Adam, full batch when `batchSize` is nil.
  case adam(
    learningRate: Double, batchSize: Int? = nil, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8)

  /// The command-line name: gd, sgd or adam.
  public var name: String {
    switch self {
    case .gradientDescent: return "gd"
    case .sgd: return "sgd"
    case .adam: return "adam"
    }
  }

  public var description: String {
    switch self {
    case .gradientDescent(let rate): return "gd(lr=\(rate))"
    case .sgd(let rate, let batch): return "sgd(lr=\(rate),batch=\(batch))"
    case .adam(let rate, let batch, let beta1, let beta2, let epsilon):
      return
        "adam(lr=\(rate),batch=\(batch.map(String.init) ?? "full"),b1=\(beta1),b2=\(beta2),eps=\(epsilon))"
    }
  }

  /// The learning rate eta.
  public var learningRate: Double {
    switch self {
    case .gradientDescent(let rate), .sgd(let rate, _), .adam(let rate, _, _, _, _): return rate
    }
  }

  /// The minibatch size, nil for full batches.
  public var batchSize: Int? {
    switch self {
    case .gradientDescent: return nil
    case .sgd(_, let batch): return batch
    case .adam(_, let batch, _, _, _): return batch
    }
  }

  /// Throws unless every constant is in its domain for a training set of `count` images.
  func validate(count: Int) throws(FiniteError) {
    guard learningRate.isFinite, learningRate > 0 else {
      throw .invalidHyperparameter(
        "the learning rate must be positive and finite, got \(learningRate)")
    }
    if let batchSize, !(1...max(1, count)).contains(batchSize) {
      throw .invalidHyperparameter(
        "the batch size must lie in 1...\(count) (the training set), got \(batchSize)")
    }
    if case .adam(_, _, let beta1, let beta2, let epsilon) = self {
      guard (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon.isFinite, epsilon > 0 else {
        throw .invalidHyperparameter(
          "Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got \(beta1), \(beta2), \(epsilon)")
      }
    }
  }
}
