/// A malformed architecture or layer list, with what was wrong and how to fix it.
///
/// Thrown when building, naming or parsing an architecture; the library throws instead of
/// trapping, so one bad case fails alone.
public enum ArchitectureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The layer list is empty.
  case emptyArchitecture
  /// A layer name the parser does not know, at `position` in the list.
  case unknownLayer(name: String, position: LayerPosition, known: [String])
  /// A layer's arguments could not be read, or its parentheses do not balance; `layer` is the
  /// layer's text and `position` where it starts.
  case malformedArguments(layer: String, position: LayerPosition, reason: String)
  /// An architecture name not in the catalogue.
  case unknownArchitecture(name: String, known: [String])
  /// An activation name that is not known.
  case unknownActivation(name: String, known: [String])
  /// A weight or bias standard deviation that is negative, NaN or infinite.
  case invalidStandardDeviation(layer: Int, parameter: String, value: Double)
  /// A depth (number of hidden layers) below 1.
  case invalidDepth(Int)
  /// A filter size below 1.
  case invalidFilterSize(layer: Int, size: Int)
  /// A pooling window below 1.
  case invalidWindow(layer: Int, name: String, size: Int)
  /// A stride below 1.
  case invalidStride(layer: Int, name: String, stride: Int)
  /// No flatten or pooling layer turns the pixel grid into the vector the readout needs.
  case missingReduction
  /// A second flatten or pooling layer.
  case repeatedReduction(layer: Int)
  /// A convolution or locally connected layer after the grid became a vector.
  case spatialLayerAfterReduction(layer: Int, description: String)
  /// A dense layer while the features are still a pixel grid.
  case denseBeforeReduction(layer: Int)
  /// The last layer is not a dense or readout layer.
  case missingReadout(last: String)
  /// A layer follows the readout.
  case layerAfterReadout(layer: Int, description: String)
  /// A residual block that is empty, malformed, turns the grid into a vector, or whose output
  /// is not centred given its input (so its kernel is not the sum of the branches').
  case invalidResidualBlock(layer: Int, reason: String)
  /// A layer normalisation of features that are not centred.
  case uncentredNormalisation(layer: Int, description: String)

  public var description: String {
    switch self {
    case .emptyArchitecture:
      return "the architecture has no layers; give at least a reduction and a readout, "
        + "e.g. \"flatten dense\""
    case .unknownLayer(let name, let position, let known):
      return "unknown layer '\(name)' (\(position)); known layers: \(known.joined(separator: ", "))"
    case .malformedArguments(let layer, let position, let reason):
      return "malformed arguments in '\(layer)' (\(position)): \(reason)"
    case .unknownArchitecture(let name, let known):
      return "unknown architecture '\(name)'; known architectures: \(known.joined(separator: ", "))"
    case .unknownActivation(let name, let known):
      return "unknown activation '\(name)'; known activations: \(known.joined(separator: ", "))"
    case .invalidStandardDeviation(let layer, let parameter, let value):
      return "layer \(layer) has \(parameter) = \(value); a standard deviation must be finite "
        + "and non-negative"
    case .invalidDepth(let depth):
      return "depth \(depth) is not allowed; the number of hidden layers must be at least 1"
    case .invalidFilterSize(let layer, let size):
      return "layer \(layer) has filter size \(size); use a positive filter size such as 3"
    case .invalidWindow(let layer, let name, let size):
      return "layer \(layer) '\(name)' has window \(size); use a positive window such as 2"
    case .invalidStride(let layer, let name, let stride):
      return "layer \(layer) '\(name)' has stride \(stride); use a positive stride such as 1 or 2"
    case .missingReduction:
      return "the readout needs a vector, but no layer turns the pixel grid into one; "
        + "insert 'flatten' or 'gap' before the dense layers"
    case .repeatedReduction(let layer):
      return "layer \(layer) flattens or pools a second time; keep exactly one 'flatten' or 'gap'"
    case .spatialLayerAfterReduction(let layer, let description):
      return "layer \(layer) '\(description)' needs a pixel grid, but the features were already "
        + "flattened or pooled; move it before the 'flatten' or 'gap'"
    case .denseBeforeReduction(let layer):
      return "layer \(layer) is dense but the features are still a pixel grid; insert 'flatten' "
        + "or 'gap' before it, or use 'conv(1)' for a per-pixel dense layer"
    case .missingReadout(let last):
      return "the architecture ends with '\(last)' instead of a readout; append 'dense' or "
        + "'readout' as the last layer"
    case .layerAfterReadout(let layer, let description):
      return "layer \(layer) '\(description)' comes after the readout; the readout must be "
        + "the last layer"
    case .invalidResidualBlock(let layer, let reason):
      return "layer \(layer) (residual): \(reason)"
    case .uncentredNormalisation(let layer, let description):
      return "layer \(layer) '\(description)' normalises features that are not centred (their "
        + "mean over channels does not vanish, e.g. after relu or on the raw image), where its "
        + "infinite-width kernel is not defined; put a conv, local or dense layer right before it"
    }
  }
}
