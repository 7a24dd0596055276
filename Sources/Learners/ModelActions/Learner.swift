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
