import Symmetries

/// A fitted predictor f_S.
public protocol Predictor: Sendable {
  /// f_S(x) for every image x: an (m x k) matrix.
  func predict(_ images: ImageBatch) throws -> Matrix
}
