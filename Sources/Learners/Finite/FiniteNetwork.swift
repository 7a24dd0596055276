import Symmetries

/// A finite-width network built from an `Architecture`'s layers, with its parameters, in NTK
/// parameterisation exactly as neural-tangents' `stax` (or in standard parameterisation, as its
/// `parameterization='standard'`; see `Parameterisation`).
///
/// Every hidden affine layer has `width` channels (units); the last affine layer (the readout)
/// has `outputCount` outputs, one per class. Parameters are one flat vector, layer by layer,
/// weights (row-major, see each kind's `LayerKind.finiteStep`) then biases. In NTK
/// parameterisation they are drawn i.i.d. N(0, 1) from the seed and each layer computes
/// z = W_std / sqrt(fan-in) * W x + b_std * b; in standard parameterisation the same draws are
/// scaled by W_std / sqrt(fan-in) and b_std at initialisation and each layer computes z = W x + b,
/// so one seed gives the same initial function in both.
///
/// Passes run on chunks of images of a size fixed by the network's shape, every matrix product
/// by `GEMM` (whose bits do not depend on the thread count), so a result has the same bits for
/// any number of threads.
public struct FiniteNetwork: Sendable {
  /// The layers.
  public let architecture: Architecture
  /// The image shape the network accepts.
  public let inputShape: ImageShape
  /// The channels (units) of every hidden affine layer.
  public let width: Int
  /// The number of outputs k of the readout.
  public let outputCount: Int
  /// Where the 1 / sqrt(fan-in) scaling sits, which decides how training moves each layer.
  public let parameterisation: Parameterisation
  /// All weights and biases, layer by layer.
  public internal(set) var parameters: [Double]
  /// The compiled layers.
  let steps: [FiniteStep]
  /// Images per chunk of a pass.
  let chunkSize: Int

  /// A network with parameters drawn from `seed`: i.i.d. N(0, 1) in NTK parameterisation, the
  /// same draws scaled to N(0, W_std^2 / fan-in) weights and N(0, b_std^2) biases in standard
  /// parameterisation.
  ///
  /// - Throws: `FiniteError.invalidWidth` for a width or output count below 1,
  ///   `.filterLargerThanImage` when a `valid` filter leaves no pixel.
  /// - Complexity: O(number of parameters).
  public init(
    architecture: Architecture, inputShape: ImageShape, width: Int, outputs: Int, seed: UInt64,
    parameterisation: Parameterisation = .ntk
  ) throws(FiniteError) {
    var steps = try Self.compile(
      architecture, inputShape: inputShape, width: width, outputs: outputs)
    let count = steps.reduce(0) { $0 + $1.parameterCount }
    var generator = SeededGenerator(seed: seed)
    var parameters = generator.gaussians(uncheckedCount: count)
    if parameterisation == .standard {
      for (index, step) in steps.enumerated() {
        let (standard, scalings) = step.standardised()
        steps[index] = standard
        for scaling in scalings {
          for i in scaling.range { parameters[i] *= scaling.factor }
        }
      }
    }
    self.init(
      architecture: architecture, inputShape: inputShape, width: width, outputCount: outputs,
      parameterisation: parameterisation, steps: steps, parameters: parameters)
  }

  init(
    architecture: Architecture, inputShape: ImageShape, width: Int, outputCount: Int,
    parameterisation: Parameterisation, steps: [FiniteStep], parameters: [Double]
  ) {
    self.architecture = architecture
    self.inputShape = inputShape
    self.width = width
    self.outputCount = outputCount
    self.parameterisation = parameterisation
    self.steps = steps
    self.parameters = parameters
    // About 32 MiB of patches per chunk: large GEMMs, bounded memory.
    let largest = steps.map { max($0.patchSize, $0.inputSize, $0.outputSize) }.max() ?? 1
    chunkSize = max(1, (1 << 22) / max(1, largest))
  }

  /// The number of parameters.
  public var parameterCount: Int { parameters.count }

  /// The same network with other parameters (e.g. a trained or transported copy).
  /// - Throws: `.parameterCountMismatch` for a vector of the wrong length.
  public func replacingParameters(_ newParameters: [Double]) throws(FiniteError) -> FiniteNetwork {
    guard newParameters.count == parameters.count else {
      throw .parameterCountMismatch(expected: parameters.count, actual: newParameters.count)
    }
    var copy = self
    copy.parameters = newParameters
    return copy
  }

  /// The layers compiled for `inputShape`.
  static func compile(
    _ architecture: Architecture, inputShape: ImageShape, width: Int, outputs: Int
  ) throws(FiniteError) -> [FiniteStep] {
    guard width >= 1 else { throw .invalidWidth(parameter: "width", value: width) }
    guard outputs >= 1 else { throw .invalidWidth(parameter: "outputs", value: outputs) }
    let grids: [Grid]
    do {
      grids = try architecture.grids(on: inputShape)
    } catch {
      switch error {
      case .filterLargerThanImage(let layer, let filterSize, let height, let width):
        throw .filterLargerThanImage(
          layer: layer, filterSize: filterSize, height: height, width: width)
      case .windowLargerThanImage, .strideLargerThanImage:
        throw .layerDoesNotFit(error)
      default:
        throw .layerDoesNotFit(error)
      }
    }
    var steps: [FiniteStep] = []
    var input = FiniteShape(
      height: inputShape.height, width: inputShape.width, channels: inputShape.channels)
    var offset = 0
    let lastWeighted = architecture.layers.lastIndex { $0.kind.hasWeights }
    for (index, layer) in architecture.layers.enumerated() {
      precondition(grids[index] == input.grid, "internal: the finite and kernel geometries agree")
      let step = layer.kind.finiteStep(
        on: input, channels: index == lastWeighted ? outputs : width, offset: offset)
      offset += step.parameterCount
      input = FiniteShape(
        height: step.outputHeight, width: step.outputWidth, channels: step.outputChannels)
      steps.append(step)
    }
    return steps
  }

  // MARK: - Checks

  /// Throws unless `images` have the network's input shape.
  func check(_ images: ImageBatch) throws(FiniteError) {
    guard images.shape == inputShape else {
      throw .shapeMismatch(expected: inputShape, actual: images.shape)
    }
  }

  /// Throws unless `targets` has one row per image and one column per output.
  func check(_ images: ImageBatch, targets: Matrix) throws(FiniteError) {
    try check(images)
    guard targets.rows == images.count, targets.columns == outputCount else {
      throw .targetMismatch(
        images: images.count, targetRows: targets.rows, targetColumns: targets.columns,
        outputs: outputCount)
    }
  }
}
