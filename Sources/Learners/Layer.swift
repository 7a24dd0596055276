/// One layer of an architecture: an affine map, a pointwise activation, a reduction of the
/// pixel grid to a vector (flatten or global average pooling), or the readout.
///
/// Each layer carries its infinite-width kernel recursion on the pair state (NNGP S, NTK T over
/// pixel pairs of two images): see `AffineLayer`, `Activation`, and for the reductions
///
///     flatten:                S = mean_p K(p, p),      T = mean_p T'(p, p)
///     global average pooling: S = mean_{p,q} K(p, q),  T = mean_{p,q} T'(p, q)
///
/// The readout is a dense layer with one output; its width does not enter the kernel.
public enum Layer: Sendable, Hashable, CustomStringConvertible {
  /// A dense, convolutional or locally connected layer.
  case affine(AffineLayer)
  /// A pointwise nonlinearity.
  case activation(Activation)
  /// Flatten the H x W x C features into a vector (only the pixel diagonal survives).
  case flatten
  /// Average every channel over all pixels.
  case globalAveragePooling
  /// The final dense layer with one output.
  case readout(weightStd: Double, biasStd: Double)

  // MARK: - Thin constructors

  /// A dense layer on a vector (after flatten or pooling).
  public static func dense(weightStd: Double, biasStd: Double) -> Layer {
    .affine(AffineLayer(sharing: .none, filterSize: 1, padding: .valid, weightStd: weightStd, biasStd: biasStd))
  }

  /// A k x k convolution, stride 1: one filter shared by every location.
  public static func conv(
    _ filterSize: Int, padding: Padding, weightStd: Double, biasStd: Double
  ) -> Layer {
    .affine(
      AffineLayer(
        sharing: .everywhere, filterSize: filterSize, padding: padding, weightStd: weightStd,
        biasStd: biasStd))
  }

  /// A k x k locally connected layer, stride 1: the geometry of `conv` without weight sharing.
  public static func locallyConnected(
    _ filterSize: Int, padding: Padding, weightStd: Double, biasStd: Double
  ) -> Layer {
    .affine(
      AffineLayer(
        sharing: .perLocation, filterSize: filterSize, padding: padding, weightStd: weightStd,
        biasStd: biasStd))
  }

  /// ReLU.
  public static var relu: Layer { .activation(.relu) }
  /// erf(x).
  public static var erf: Layer { .activation(.erf) }

  // MARK: - Layer-list syntax

  /// The layer in the layer-list syntax of `Architecture(parsing:)`, with every argument
  /// explicit, so that parsing the description gives the layer back.
  public var description: String {
    switch self {
    case .affine(let layer):
      let stds = "w=\(layer.weightStd),b=\(layer.biasStd)"
      switch layer.sharing {
      case .none: return "dense(\(stds))"
      case .perLocation: return "local(\(layer.filterSize),\(layer.padding),\(stds))"
      case .everywhere: return "conv(\(layer.filterSize),\(layer.padding),\(stds))"
      }
    case .activation(let activation): return activation.rawValue
    case .flatten: return "flatten"
    case .globalAveragePooling: return "gap"
    case .readout(let weightStd, let biasStd): return "readout(w=\(weightStd),b=\(biasStd))"
    }
  }

  /// Whether the layer needs the pixel grid (so cannot follow flatten or pooling).
  var isSpatial: Bool {
    if case .affine(let layer) = self { return layer.sharing != .none }
    return false
  }

  /// Whether the layer turns the pixel grid into a vector.
  var isReduction: Bool {
    switch self {
    case .flatten, .globalAveragePooling: return true
    default: return false
    }
  }
}
