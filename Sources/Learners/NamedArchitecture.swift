/// The catalogue of named architectures, as neural-tangents builds them in the reference data.
///
/// With depth L, activation phi, k x k filters and one W_std, b_std for every layer (readout
/// included):
///
/// - FCN: flatten, L x (dense, phi), readout
/// - LCN: L x (locally connected k x k, phi), flatten, readout
/// - CNN-VEC: L x (conv k x k, phi), flatten, readout
/// - CNN-GAP: L x (conv k x k, phi), global average pooling, readout
///
/// A new named architecture is one case here; every claim parameterised over `allCases` then
/// covers it.
public enum NamedArchitecture: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  /// Fully connected network on the flattened image.
  case fcn = "FCN"
  /// Locally connected network with a flatten readout.
  case lcn = "LCN"
  /// Convolutional network with a flatten (vectorising) readout.
  case cnnVec = "CNN-VEC"
  /// Convolutional network with global average pooling before the readout.
  case cnnGap = "CNN-GAP"

  public var description: String { rawValue }

  /// The catalogue entry with this stable name (case-insensitive).
  public init(named name: String) throws(ArchitectureError) {
    guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() })
    else {
      throw .unknownArchitecture(name: name, known: Self.allCases.map(\.rawValue))
    }
    self = match
  }

  /// The architecture of depth L with the given activation, filter size, padding and standard
  /// deviations (the reference data use W_std = sqrt(2), b_std = 0.1, 3 x 3 circular filters).
  ///
  /// `filterSize` and `padding` are ignored by FCN.
  /// - Complexity: O(depth).
  public func architecture(
    depth: Int,
    activation: Activation,
    filterSize: Int = 3,
    padding: Padding = .circular,
    weightStd: Double = 2.0.squareRoot(),
    biasStd: Double = 0.1
  ) throws(ArchitectureError) -> Architecture {
    guard depth >= 1 else { throw .invalidDepth(depth) }
    let hidden: Layer
    switch self {
    case .fcn:
      hidden = .dense(weightStd: weightStd, biasStd: biasStd)
    case .lcn:
      hidden = .locallyConnected(
        filterSize, padding: padding, weightStd: weightStd, biasStd: biasStd)
    case .cnnVec, .cnnGap:
      hidden = .conv(filterSize, padding: padding, weightStd: weightStd, biasStd: biasStd)
    }
    let block = Array(repeating: [hidden, .activation(activation)], count: depth).flatMap { $0 }
    let readout = Layer.readout(weightStd: weightStd, biasStd: biasStd)
    switch self {
    case .fcn:
      return try Architecture(layers: [.flatten] + block + [readout])
    case .lcn, .cnnVec:
      return try Architecture(layers: block + [.flatten, readout])
    case .cnnGap:
      return try Architecture(layers: block + [.globalAveragePooling, readout])
    }
  }
}
