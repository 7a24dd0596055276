import Symmetries

/// A learner precomposed with a group action, M∘g: it fits on g·S and predicts g x.
///
/// Acting on the model instead of the data; `PrecomposedLearner(L, g).fit(S).predict(x)` is by
/// construction `L.fit(g·S).predict(g x)`.
public struct PrecomposedLearner: Learner {
  /// The learner M before precomposition.
  public let base: any Learner
  /// The group element g applied to every input it fits on or predicts at.
  public let action: any GroupAction

  /// M∘g for M = `base` and g = `action`.
  public init(_ base: any Learner, action: any GroupAction) {
    self.base = base
    self.action = action
  }

  public func fit(_ images: ImageBatch, targets: Matrix) throws -> any Predictor {
    PrecomposedPredictor(
      base: try base.fit(action.apply(to: images), targets: targets), action: action)
  }
}

struct PrecomposedPredictor: Predictor {
  let base: any Predictor
  let action: any GroupAction
  func predict(_ images: ImageBatch) throws -> Matrix {
    try base.predict(action.apply(to: images))
  }
}
