/// An affine layer z = W x / sqrt(fan-in) + b in NTK parameterisation: dense, convolutional or
/// locally connected, chosen by `sharing`.
///
/// Weights are i.i.d. N(0, 1) scaled by `weightStd` / sqrt(fan-in) (fan-in = C k^2 for a k x k
/// filter over C channels, padded zeros included), biases N(0, biasStd^2). In the infinite-width
/// limit its kernel recursion is, with K the input covariance, T' the input NTK and the mean over
/// the k^2 filter offsets d (see `Padding` for the offsets and the border):
///
///     S(p, q) = b^2 + W^2 mean_d K(p + d, q + d)          (p = q only, for `perLocation`)
///     T(p, q) = S(p, q) + W^2 mean_d T'(p + d, q + d)
///
/// A dense layer is the case of a 1 x 1 "image" (a vector after flatten or pooling) with one tap.
public struct AffineLayer: Sendable, Hashable {
  /// How weights are shared across locations: dense, locally connected or convolution.
  public var sharing: WeightSharing
  /// The side k of the k x k filter (1 for a dense layer).
  public var filterSize: Int
  /// The border treatment (irrelevant for a dense layer, which has no border).
  public var padding: Padding
  /// The weight standard deviation W (before the 1 / sqrt(fan-in) scaling).
  public var weightStd: Double
  /// The bias standard deviation b.
  public var biasStd: Double

  /// An affine layer; `Architecture` validates the numbers (positive k, finite non-negative
  /// standard deviations) when the layer joins an architecture.
  public init(
    sharing: WeightSharing, filterSize: Int, padding: Padding, weightStd: Double, biasStd: Double
  ) {
    self.sharing = sharing
    self.filterSize = sharing == .none ? 1 : filterSize
    self.padding = sharing == .none ? .valid : padding
    self.weightStd = weightStd
    self.biasStd = biasStd
  }
}
