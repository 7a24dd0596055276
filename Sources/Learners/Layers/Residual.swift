import Symmetries

/// A residual block `residual(LAYERS)`: x + f(x), f the block's layers; blocks nest and repeat.
///
/// Kernel (neural-tangents' `FanOut(2), parallel(serial(LAYERS), Identity()), FanInSum()`): the
/// NNGP and NTK of the sum are the sums of the two branches',
///
///     S = K + S_f,    T = T' + T_f,
///
/// because the cross terms E[x f(x')] vanish: the block's output is centred given its input
/// (it ends in a layer with fresh weights, possibly followed by odd activations or normalisations;
/// see Centring.swift), which `Architecture` checks. The block must keep the grid and the stage.
///
/// Finite: the block's layers with `width` channels, except its last layer with weights, which
/// outputs the block's input channels so that the sum is defined; the backward pass recomputes
/// the block's features and adds the block's input gradient to the skip's.
///
/// Symmetry: the output moves the way both branches move it: the rule composes the block's
/// layers from the input state and keeps the state only when the block ends in the same one
/// (the same pixel map and channel map); the kernels then keep the pairs both keep. A block that
/// breaks a symmetry breaks it for the sum, since the skip cannot undo the block's change.
///
/// Reference: K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition",
/// CVPR 2016; neural-tangents `stax/branching.py`, `FanInSum`.
struct Residual: LayerKind {
  /// The block f.
  let block: [Layer]

  // MARK: - Syntax

  static let names = ["residual"]
  static let syntax = [
    "residual(LAYERS)              x + LAYERS(x), e.g. residual(relu conv(3)); nests"
  ]
  static var takesLayerList: Bool { true }

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Residual
  {
    let text = arguments.takeText()
    let block = try Architecture.layers(
      parsing: text, defaults: arguments.defaults, enclosing: arguments.position,
      offset: arguments.textOffset)
    return Residual(block: block)
  }

  var description: String { "residual(" + block.map(\.description).joined(separator: " ") + ")" }
  var shortName: String { "residual(" + block.map(\.shortName).joined(separator: " ") + ")" }

  // MARK: - Shape

  /// Validates the block on the residual's stage; an error inside it names the block's layer.
  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    guard !block.isEmpty else {
      throw .invalidResidualBlock(
        layer: position, reason: "its block is empty; write e.g. residual(relu conv(3))")
    }
    var inner = stage
    for (index, layer) in block.enumerated() {
      do {
        inner = try layer.kind.validate(after: inner, position: index + 1)
      } catch {
        throw .invalidResidualBlock(layer: position, reason: "in its block, \(error)")
      }
      if layer.kind.isReadout {
        throw .invalidResidualBlock(
          layer: position,
          reason: "its block holds a readout; end the block with conv, local or dense")
      }
    }
    guard inner == stage else {
      throw .invalidResidualBlock(
        layer: position,
        reason:
          "its block turns the pixel grid into a vector (flatten or gap), so x + block(x) has no shape; keep reductions outside the block"
      )
    }
    return stage
  }

  /// The block's own requirements (a normalisation inside it) hold with the residual's input;
  /// the block's output must be centred given its input (checked from an uncentred input, so
  /// only the block's own fresh weights count), and the sum is centred when the input is.
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    var centred = inputCentred
    var fresh = false
    for (index, layer) in block.enumerated() {
      do {
        centred = try layer.kind.outputCentred(inputCentred: centred, position: index + 1)
      } catch {
        throw .invalidResidualBlock(layer: position, reason: "in its block, \(error)")
      }
      fresh = (try? layer.kind.outputCentred(inputCentred: fresh, position: index + 1)) ?? false
    }
    guard fresh else {
      throw .invalidResidualBlock(
        layer: position,
        reason:
          "its block ends in '\(block.last!.description)', whose output is not centred given the block's input, so the two branches "
          + "are correlated and their kernels do not add (neural-tangents' FanInSum); end the block with conv, local or dense "
          + "(optionally followed by layernorm, identity, erf, sign or sin)")
    }
    return inputCentred
  }

  var needsAllPixelPairs: Bool { block.contains { $0.kind.needsAllPixelPairs } }
  var hasWeights: Bool { block.contains { $0.kind.hasWeights } }

  /// The grid each of the block's layers reads, and the grid it outputs.
  private func innerGrids(on grid: Grid, position: Int) throws(KernelError) -> (
    reads: [Grid], output: Grid
  ) {
    var current = grid
    var reads: [Grid] = []
    for layer in block {
      reads.append(current)
      current = try layer.kind.outputGrid(of: current, position: position)
    }
    return (reads, current)
  }

  /// The grids of a geometry `outputGrid` accepted.
  private func validatedGrids(on grid: Grid) -> [Grid] {
    do {
      return try innerGrids(on: grid, position: 0).reads
    } catch {
      preconditionFailure("internal: the geometry was validated by Architecture.grids(on:)")
    }
  }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid {
    let output = try innerGrids(on: grid, position: position).output
    guard output == grid else {
      throw .residualChangesShape(
        layer: position, height: grid.height, width: grid.width, blockHeight: output.height,
        blockWidth: output.width)
    }
    return grid
  }

  // MARK: - Kernel

  func kernelStep(on grid: Grid) -> any KernelStep {
    ResidualKernelStep(
      block: zip(block, validatedGrids(on: grid)).map { $0.kind.kernelStep(on: $1) })
  }

  // MARK: - Finite

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    let lastWeighted = block.lastIndex { $0.kind.hasWeights }
    var steps: [FiniteStep] = []
    var shape = input
    var parameterOffset = offset
    for (index, layer) in block.enumerated() {
      let step = layer.kind.finiteStep(
        on: shape, channels: index == lastWeighted ? input.channels : channels,
        offset: parameterOffset)
      parameterOffset += step.parameterCount
      shape = FiniteShape(
        height: step.outputHeight, width: step.outputWidth, channels: step.outputChannels)
      steps.append(step)
    }
    return .pointwise(ResidualOperation(steps: steps), on: input)
  }

  // MARK: - Symmetry

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    if case .broken = state { return state }
    var inner = state
    for (layer, innerGrid) in zip(block, validatedGrids(on: grid)) {
      inner = layer.kind.symmetryRule(
        inner, question: question, grid: innerGrid, position: position)
    }
    let mismatch =
      "the skip connection carries the input as the action left it, and the block moves it differently"
    switch (state, inner) {
    case (_, .broken):
      return inner
    case (
      .pixels(let source, let channels, let skipDiagonal),
      .pixels(let blockSource, let blockChannels, let blockDiagonal)
    ):
      guard source == blockSource, channels == blockChannels else {
        return broken(at: position, mismatch)
      }
      return .pixels(
        source: source, channels: channels, diagonalOnly: skipDiagonal ?? blockDiagonal)
    case (.vector(let channels), .vector(let blockChannels)):
      return channels == blockChannels ? state : broken(at: position, mismatch)
    case (.flattened, .flattened):
      return state
    default:
      return broken(at: position, mismatch)
    }
  }
}

/// S = K + S_f, T = T' + T_f: the block's steps run on the state, then the input is added back.
struct ResidualKernelStep: KernelStep {
  let block: [any KernelStep]

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    let count = state.count
    let skipS = Array(state.s[0..<count])
    let skipT = Array(state.t[0..<count])
    let cells = state.cells
    for step in block { step.apply(&state, variances: &variances) }
    precondition(
      state.cells == cells && state.count == count, "internal: a residual block keeps the grid")
    for i in 0..<count {
      state.s[i] += skipS[i]
      state.t[i] += skipT[i]
    }
  }
}

/// x + f(x) over the block's finite steps.
///
/// Scratch per image: `patches` holds the block's features (each step's output) and then the
/// steps' own patches; `patchGradient` holds two feature gradients and then the steps' own
/// patch gradients. The backward pass recomputes the features, since other layers reuse the
/// scratch between the passes.
struct ResidualOperation: FiniteOperation {
  let steps: [FiniteStep]

  private var featureSizes: [Int] { steps.map(\.outputSize) }
  private var largestFeature: Int { max(steps[0].inputSize, featureSizes.max() ?? 0) }
  private var innerPatchSize: Int { steps.map(\.patchSize).max() ?? 0 }

  func parameterCount(_ step: FiniteStep) -> Int { steps.reduce(0) { $0 + $1.parameterCount } }

  func patchSize(_ step: FiniteStep) -> Int {
    max(featureSizes.reduce(0, +), 2 * largestFeature) + innerPatchSize
  }

  /// Runs the block on `count` images into `patches`; returns where each step's output starts.
  private func blockForward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, threads: Int
  ) -> [UnsafeMutablePointer<Double>] {
    let scratch = patches + count * (patchSize(step) - innerPatchSize)
    var outputs: [UnsafeMutablePointer<Double>] = []
    var next = patches
    var input = x
    for inner in steps {
      inner.forward(
        input, count: count, parameters: parameters, patches: scratch, into: next, threads: threads)
      outputs.append(next)
      input = UnsafePointer(next)
      next += count * inner.outputSize
    }
    return outputs
  }

  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    let outputs = blockForward(
      step, x, count: count, parameters: parameters, patches: patches, threads: threads)
    let last = outputs[outputs.count - 1]
    for i in 0..<(count * step.inputSize) { y[i] = x[i] + last[i] }
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    let outputs = blockForward(
      step, x, count: count, parameters: parameters, patches: patches, threads: threads)
    let scratch = patches + count * (patchSize(step) - innerPatchSize)
    let scratchGradient = patchGradient + count * (patchSize(step) - innerPatchSize)
    var current = patchGradient
    var next = patchGradient + count * largestFeature
    current.update(from: dy, count: count * step.inputSize)
    for s in stride(from: steps.count - 1, through: 0, by: -1) {
      let input = s == 0 ? x : UnsafePointer(outputs[s - 1])
      let wantsInputGradient = s > 0 || dx != nil
      steps[s].backward(
        current, x: input, count: count, parameters: parameters, gradient: gradient,
        patches: scratch,
        patchGradient: scratchGradient, dx: wantsInputGradient ? next : nil, threads: threads)
      swap(&current, &next)
    }
    guard let dx else { return }
    for i in 0..<(count * step.inputSize) { dx[i] = dy[i] + current[i] }
  }
}
