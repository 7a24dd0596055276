import Symmetries

/// An architecture compiled for one input shape: each layer with its grid geometry resolved.
///
/// The pair state between steps is the NNGP S and NTK T of two images over the current grid:
/// all pixel pairs (cells^2 values, when the grid is later pooled) or only the pixel diagonal
/// (cells values, when it is flattened; every layer maps the diagonal to the diagonal, since an
/// affine layer reads K(p + d, q + d) at the same offset d for both pixels).
struct KernelPlan: Sendable {
  /// One layer's recursion with its geometry.
  enum Step: Sendable {
    /// Affine: W^2 and b^2, whether pixels share weights, and the taps.
    case affine(weightVariance: Double, biasVariance: Double, shared: Bool, table: TapTable)
    /// Activation number `index` (its variances are the index-th of each image's trajectory).
    case activation(Activation, index: Int)
    /// Mean over the pixel diagonal.
    case flatten
    /// Mean over all pixel pairs.
    case pool
  }

  /// The input image shape.
  let shape: ImageShape
  /// Whether the grid part tracks all pixel pairs (global pooling) or only the diagonal.
  let allPairs: Bool
  /// The steps, input to readout.
  let steps: [Step]
  /// The largest pair-state length over all steps.
  let capacity: Int
  /// The number of activation steps.
  let activationCount: Int

  /// Resolves every layer's geometry on `shape`; throws when a `valid` filter does not fit.
  /// - Complexity: O(sum over affine layers of H W k^2).
  init(_ architecture: Architecture, shape: ImageShape) throws(KernelError) {
    self.shape = shape
    allPairs = architecture.needsAllPixelPairs
    var height = shape.height
    var width = shape.width
    var largestGrid = height * width
    var activations = 0
    var steps: [Step] = []
    for (index, layer) in architecture.layers.enumerated() {
      switch layer {
      case .affine(let affine):
        guard let table = TapTable(affine, height: height, width: width) else {
          throw .filterLargerThanImage(
            layer: index + 1, filterSize: affine.filterSize, height: height, width: width)
        }
        height = table.outputHeight
        width = table.outputWidth
        largestGrid = max(largestGrid, height * width)
        steps.append(
          .affine(
            weightVariance: affine.weightStd * affine.weightStd,
            biasVariance: affine.biasStd * affine.biasStd,
            shared: affine.sharing != .perLocation, table: table))
      case .readout(let weightStd, let biasStd):
        steps.append(
          .affine(
            weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd, shared: true,
            table: .vector))
      case .activation(let activation):
        steps.append(.activation(activation, index: activations))
        activations += 1
      case .flatten:
        steps.append(.flatten)
        height = 1
        width = 1
      case .globalAveragePooling:
        steps.append(.pool)
        height = 1
        width = 1
      }
    }
    self.steps = steps
    activationCount = activations
    capacity = allPairs ? largestGrid * largestGrid : largestGrid
  }
}
