/// One layer of an architecture: a value of one of the layer kinds in `Layer.catalogue` (affine,
/// activation, flatten, global average pooling, readout, ...), each of which carries its syntax,
/// shape, finite pass, kernel recursion, symmetry rule and engine lowering in one file (see
/// `LayerKind`).
///
/// Build layers with the thin constructors below or parse them (`Architecture(parsing:)`);
/// `description` prints a layer in the layer-list syntax with every argument explicit.
public struct Layer: Sendable, Hashable, CustomStringConvertible {
  /// The layer's kind and arguments.
  let kind: any LayerKind

  init(_ kind: some LayerKind) {
    self.kind = kind
  }

  /// Every layer kind the layer-list syntax knows, in the order of its help. A new kind is one
  /// file and one line here.
  static let catalogue: [any LayerKind.Type] = [
    AffineLayer.self,
    Readout.self,
    Activation.self,
    Flatten.self,
    GlobalAveragePooling.self,
    PiecewiseLinearActivation.self,
    GeluActivation.self,
    SignActivation.self,
    SineActivation.self,
    RbfActivation.self,
    IdentityActivation.self,
    WindowPooling.self,
    LayerNorm.self,
    Residual.self,
    Attention.self,
  ]

  public static func == (lhs: Layer, rhs: Layer) -> Bool { lhs.kind.isEqual(to: rhs.kind) }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(ObjectIdentifier(type(of: kind)))
    kind.hash(into: &hasher)
  }

  /// The layer in the layer-list syntax of `Architecture(parsing:)`, with every argument
  /// explicit, so that parsing the description gives the layer back.
  public var description: String { kind.description }

  /// The layer's name and geometry, without its standard deviations, for reasons.
  var shortName: String { kind.shortName }

  // MARK: - Thin constructors

  /// A dense, convolutional or locally connected layer.
  public static func affine(_ layer: AffineLayer) -> Layer { Layer(layer) }

  /// A pointwise nonlinearity.
  public static func activation(_ activation: Activation) -> Layer { Layer(activation) }

  /// A dense layer on a vector (after flatten or pooling).
  public static func dense(weightStd: Double, biasStd: Double) -> Layer {
    .affine(
      AffineLayer(
        sharing: .none, filterSize: 1, padding: .valid, weightStd: weightStd, biasStd: biasStd))
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
  /// Flatten the H x W x C features into a vector (only the pixel diagonal survives).
  public static var flatten: Layer { Layer(Flatten()) }
  /// Average every channel over all pixels.
  public static var globalAveragePooling: Layer { Layer(GlobalAveragePooling()) }
  /// The final dense layer with one output.
  public static func readout(weightStd: Double, biasStd: Double) -> Layer {
    Layer(Readout(weightStd: weightStd, biasStd: biasStd))
  }
}
