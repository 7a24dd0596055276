import Learners
import Symmetries

/// The inputs x* at which the ensemble probe compares f_{g.S}(g x*) with f_S(x*).
///
/// Algorithmic invariance says f_{g.S}(g x) and f_S(x) have one law for *every* input x, so
/// the probe may ask where a learner's break is largest:
///
/// - `natural`: the m test images, where the data live (the inputs of the 12-cell
///   gradient-descent grid, confirmed held out with them);
/// - `coordinates`: one probe per input coordinate, c e_k for k = 1...d (d = H W C), with c the
///   root-mean-square norm of the test images, so each probe has a test image's size.
///
/// Why coordinate probes for Adam: Adam scales every parameter coordinate by its own running
/// gradient size, so on natural images its first layer moves every pixel's weight by about the
/// same step whatever that pixel's share of the gradient, which a rotation of the inputs mixes
/// away. A coordinate probe reads one column of the first layer at a time, where that difference
/// is whole; a natural image averages over the columns, where it is a tenth of the prediction
/// (docs/finite-networks.md: rho about 0.1 at every Adam regime tried on the test images, 0.21
/// to 0.24 on coordinate probes at rate 0.03, seeds 0 to 2 of the tuning images). Gradient
/// descent moves the first layer only inside the span of the training images, and its grid was
/// confirmed on natural images, so it keeps them.
public enum ProbeInputs: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// The test images themselves.
  case natural
  /// One probe per input coordinate, c e_k, with c the test images' root-mean-square norm.
  case coordinates

  /// The command-line name: natural or coordinates.
  public var description: String { rawValue }

  /// The probe inputs of an optimiser when none is chosen: `coordinates` for Adam, whose break
  /// they were chosen to see, `natural` for gradient descent and SGD.
  public static func defaultInputs(for optimizer: Optimizer) -> ProbeInputs {
    if case .adam = optimizer { return .coordinates }
    return .natural
  }

  /// The probe images and their targets (k columns): the test images and their centred one-hot
  /// targets, or the d coordinate probes c e_k with targets 0 (they carry no label, so the test
  /// losses of a coordinate probe are half the mean square prediction, not an error).
  /// - Throws: `ProbeError.invalidOption` for an empty test set or one of all-zero images (no
  ///   size c to give the probes).
  /// - Complexity: O(d^2) for coordinate probes, O(1) for natural ones.
  public func inputs(test: ImageBatch, targets: Matrix) throws -> (
    images: ImageBatch, targets: Matrix
  ) {
    switch self {
    case .natural:
      return (test, targets)
    case .coordinates:
      guard test.count > 0 else {
        throw ProbeError.invalidOption("coordinate probes need test images to take their size from")
      }
      let size = (test.values.reduce(0) { $0 + $1 * $1 } / Double(test.count)).squareRoot()
      guard size > 0 else {
        throw ProbeError.invalidOption(
          "the test images are all zero: coordinate probes would have size 0; use natural probes")
      }
      let dimension = test.shape.dimension
      var values = [Double](repeating: 0, count: dimension * dimension)
      for coordinate in 0..<dimension { values[coordinate * dimension + coordinate] = size }
      return (
        try ImageBatch(shape: test.shape, values: values),
        try Matrix(rows: dimension, columns: targets.columns)
      )
    }
  }
}
