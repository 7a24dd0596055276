import Symmetries

/// A validated stack of layers whose infinite-width NNGP and NTK kernels can be evaluated.
///
/// The shape rules, each stated by its layer kind (`LayerKind.validate`): spatial layers
/// (convolution, locally connected) act on the pixel grid; exactly one `flatten` or
/// `globalAveragePooling` turns it into a vector; dense layers and activations may follow; the
/// last layer is the readout (`readout`, or a final dense layer). The input covariance is
/// S0(p, q) = <x_p, x'_q> / C over the channel vectors at pixels p, q, so a leading flatten
/// gives <x, x'> / (H W C).
public struct Architecture: Sendable, Hashable, CustomStringConvertible {
  /// The layers, input to readout.
  public let layers: [Layer]

  /// An architecture from its layers; throws on a list that does not describe a network
  /// ending in a readout on a vector.
  /// - Complexity: O(number of layers).
  public init(layers: [Layer]) throws(ArchitectureError) {
    guard let last = layers.last else { throw .emptyArchitecture }
    var stage = FeatureStage.grid
    var centred = false
    for (index, layer) in layers.enumerated() {
      let position = index + 1
      stage = try layer.kind.validate(after: stage, position: position)
      centred = try layer.kind.outputCentred(inputCentred: centred, position: position)
      if layer.kind.isReadout, position < layers.count {
        throw .layerAfterReadout(layer: position + 1, description: layers[position].description)
      }
    }
    guard stage == .vector else { throw .missingReduction }
    guard last.kind.canEndNetwork else { throw .missingReadout(last: last.description) }
    self.layers = layers
  }

  /// The architecture in the layer-list syntax of `Architecture(parsing:)`.
  public var description: String {
    layers.map(\.description).joined(separator: " ")
  }

  /// Whether the kernel needs every pixel pair (p, q), not only the diagonal (p, p): true when
  /// some layer reads off-diagonal pairs (global average pooling does).
  var needsAllPixelPairs: Bool {
    layers.contains { $0.kind.needsAllPixelPairs }
  }

  /// The grid each layer reads on images of `shape`: the one shape check of every path
  /// (kernels, engine, finite networks, predicted invariances).
  /// - Throws: the first layer's error that does not fit the grid it reads, e.g.
  ///   `filterLargerThanImage` for a `valid` filter.
  /// - Complexity: O(number of layers).
  func grids(on shape: ImageShape) throws(KernelError) -> [Grid] {
    var grid = Grid(height: shape.height, width: shape.width)
    var grids: [Grid] = []
    grids.reserveCapacity(layers.count)
    for (index, layer) in layers.enumerated() {
      grids.append(grid)
      grid = try layer.kind.outputGrid(of: grid, position: index + 1)
    }
    return grids
  }
}
