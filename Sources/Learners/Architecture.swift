/// A validated stack of layers whose infinite-width NNGP and NTK kernels can be evaluated.
///
/// The shape rules: spatial layers (convolution, locally connected, activations) act on the pixel
/// grid; exactly one `flatten` or `globalAveragePooling` turns it into a vector; dense layers and
/// activations may follow; the last layer is the readout (`readout`, or a final dense layer).
/// The input covariance is S0(p, q) = <x_p, x'_q> / C over the channel vectors at pixels p, q, so
/// a leading flatten gives <x, x'> / (H W C).
public struct Architecture: Sendable, Hashable, CustomStringConvertible {
  /// The layers, input to readout.
  public let layers: [Layer]

  /// An architecture from its layers; throws on a list that does not describe a network
  /// ending in a readout on a vector.
  /// - Complexity: O(number of layers).
  public init(layers: [Layer]) throws(ArchitectureError) {
    guard !layers.isEmpty else { throw .emptyArchitecture }
    var reduced = false
    for (index, layer) in layers.enumerated() {
      let position = index + 1
      switch layer {
      case .affine(let affine):
        try Self.check(affine.weightStd, "W_std", layer: position)
        try Self.check(affine.biasStd, "b_std", layer: position)
        guard affine.filterSize >= 1 else {
          throw .invalidFilterSize(layer: position, size: affine.filterSize)
        }
        if affine.sharing == .none {
          guard reduced else { throw .denseBeforeReduction(layer: position) }
        } else if reduced {
          throw .spatialLayerAfterReduction(layer: position, description: layer.description)
        }
      case .readout(let weightStd, let biasStd):
        try Self.check(weightStd, "W_std", layer: position)
        try Self.check(biasStd, "b_std", layer: position)
        guard reduced else { throw .missingReduction }
        if position < layers.count {
          throw .layerAfterReadout(
            layer: position + 1, description: layers[position].description)
        }
      case .flatten, .globalAveragePooling:
        guard !reduced else { throw .repeatedReduction(layer: position) }
        reduced = true
      case .activation:
        break
      }
    }
    guard reduced else { throw .missingReduction }
    switch layers[layers.count - 1] {
    case .readout: break
    case .affine(let affine) where affine.sharing == .none: break
    default: throw .missingReadout(last: layers[layers.count - 1].description)
    }
    self.layers = layers
  }

  /// The architecture in the layer-list syntax of `Architecture(parsing:)`.
  public var description: String {
    layers.map(\.description).joined(separator: " ")
  }

  /// Whether the kernel needs every pixel pair (p, q), not only the diagonal (p, p): true when
  /// the grid is reduced by global average pooling.
  var needsAllPixelPairs: Bool {
    layers.contains(.globalAveragePooling)
  }

  private static func check(_ value: Double, _ name: String, layer: Int) throws(ArchitectureError) {
    guard value.isFinite, value >= 0 else {
      throw .invalidStandardDeviation(layer: layer, parameter: name, value: value)
    }
  }
}
