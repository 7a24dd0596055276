import Symmetries

/// Flatten: the H x W x C features become one vector of H W C values.
///
/// Kernel: S = mean_p K(p, p), T = mean_p T'(p, p): only the pixel diagonal survives (which is
/// why the LCN and CNN-VEC kernels coincide). Finite: the memory layout is unchanged.
///
/// Symmetry: flatten keeps each feature in place, so for the kernels it keeps every pixel map
/// (and, as the first layer, every orthogonal map: it then sees only <x, x'>); for one image
/// moved against another (functional) it keeps only the identity; the dense layer after it
/// absorbs the map of a finite network's features (transport).
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py`, `Flatten`.
struct Flatten: LayerKind {
  static let names = ["flatten"]
  static let syntax = ["flatten                       grid to vector, every feature kept in place"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Flatten
  {
    Flatten()
  }

  var description: String { "flatten" }
  var shortName: String { "flatten" }

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    guard stage == .grid else { throw .repeatedReduction(layer: position) }
    return .vector
  }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { .vector }

  func kernelStep(on grid: Grid) -> any KernelStep { FlattenKernelStep() }

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    FiniteStep(
      operation: FlattenOperation(), inputCells: input.cells, inputChannels: input.channels,
      outputCells: 1, outputChannels: input.cells * input.channels, outputHeight: 1, outputWidth: 1)
  }

  /// A leading flatten makes the engine's input dense (one covariance <x, x'> / d per pair);
  /// any other is the flatten readout.
  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    if program.input == nil {
      program.input = .dense
      return nil
    }
    guard program.input == .spatial, program.reduction == nil else {
      return EngineUnsupported("a reduction after a dense layer")
    }
    program.reduction = .flatten
    return nil
  }

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    switch (state, question) {
    case (.broken, _), (.vector, _):
      return state
    case (.flattened, .kernelAlgorithmic):
      return .vector(.none)
    case (.flattened, .transport):
      return .vector(.rotation)
    case (.flattened, .functional):
      return broken(
        at: position, "the inner product <x, g x'> of one image with another moved one changes")
    case (.pixels(let source, let channels, _), .functional):
      let identity = channels == .none && source.enumerated().allSatisfy { $0.offset == $0.element }
      return identity
        ? .vector(.none)
        : broken(
          at: position,
          "it keeps every feature in place, so moving one image's features against another's changes their pairing"
        )
    case (.pixels, .kernelAlgorithmic):
      return .vector(.none)
    case (.pixels(let source, let channels, _), .transport):
      let moves = !source.enumerated().allSatisfy { $0.offset == $0.element }
      let map: ChannelMap =
        channels.permutesCoordinates
        ? (moves || channels != .none ? .permutation : .none) : .rotation
      return .vector(map)
    }
  }
}

/// S = mean_p K(p, p), T = mean_p T'(p, p): the grid becomes one cell.
struct FlattenKernelStep: KernelStep {
  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    let cells = state.cells
    var sumS = 0.0
    var sumT = 0.0
    for p in 0..<cells {
      let index = state.allPairs ? p * cells + p : p
      sumS += state.s[index]
      sumT += state.t[index]
    }
    state.s[0] = sumS / Double(cells)
    state.t[0] = sumT / Double(cells)
    state.cells = 1
    state.allPairs = false
  }
}

/// The grid as one vector: a copy forward and backward.
struct FlattenOperation: FiniteOperation {
  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    y.update(from: x, count: count * step.inputSize)
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    dx?.update(from: dy, count: count * step.inputSize)
  }
}
