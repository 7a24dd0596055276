import Symmetries

/// Global average pooling: every channel averaged over all pixels, giving a vector of C values.
///
/// Kernel: S = mean_{p,q} K(p, q), T = mean_{p,q} T'(p, q): every pixel pair contributes, so the
/// recursion before it tracks all pairs. Finite: the mean over cells per channel.
///
/// Symmetry: pooling sums every pixel pair, so it turns any pixel map into invariance, of both
/// kinds, when every pair is kept, and breaks what keeps only the diagonal (per-pixel
/// rotations); a finite network's pooled features keep the global channel map for the dense
/// layer after it, and cannot undo per-pixel rotations.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py`, `GlobalAvgPool`.
struct GlobalAveragePooling: LayerKind {
  static let names = ["gap"]
  static let syntax = [
    "gap                           grid to vector: global average pooling of every channel"
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> GlobalAveragePooling
  {
    GlobalAveragePooling()
  }

  var description: String { "gap" }
  var shortName: String { "gap" }

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    guard stage == .grid else { throw .repeatedReduction(layer: position) }
    return .vector
  }

  var needsAllPixelPairs: Bool { true }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { .vector }

  func kernelStep(on grid: Grid) -> any KernelStep { PoolKernelStep() }

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    FiniteStep(
      operation: PoolOperation(), inputCells: input.cells, inputChannels: input.channels,
      outputCells: 1, outputChannels: input.channels, outputHeight: 1, outputWidth: 1)
  }

  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    if program.input == nil { program.input = .spatial }
    guard program.input == .spatial, program.reduction == nil else {
      return EngineUnsupported("a reduction after a dense layer")
    }
    program.reduction = .pool
    return nil
  }

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    switch state {
    case .broken, .vector:
      return state
    case .flattened:
      return broken(
        at: position,
        "it averages pixels, and an orthogonal map of the flattened image changes the average")
    case .pixels(_, let channels, let diagonalOnly):
      if let diagonalOnly {
        return broken(at: position, "it sums every pixel pair K(p, q), but \(diagonalOnly)")
      }
      switch question {
      case .kernelAlgorithmic:
        return .vector(.none)
      case .functional:
        return channels == .none
          ? .vector(.none)
          : broken(
            at: position,
            "it averages over pixels, but one image's channels stay mapped (\(channels)) against the other's"
          )
      case .transport:
        guard channels.isGlobal else {
          return broken(
            at: position,
            "it averages pixels rotated differently, so no layer after it can undo the rotations")
        }
        return .vector(channels)
      }
    }
  }
}

/// S = mean_{p,q} K(p, q), T likewise: the grid becomes one cell.
///
/// Pairs (p, q) and (q, p) are added together first, so swapping the two images (which
/// transposes S and T) gives the same bits.
struct PoolKernelStep: KernelStep {
  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    precondition(state.allPairs, "internal: pooling needs all pixel pairs")
    let cells = state.cells
    let (s, t) = (state.s, state.t)
    var sumS = 0.0
    var sumT = 0.0
    for p in 0..<cells {
      var rowS = s[p * cells + p]
      var rowT = t[p * cells + p]
      for q in (p + 1)..<cells {
        rowS += s[p * cells + q] + s[q * cells + p]
        rowT += t[p * cells + q] + t[q * cells + p]
      }
      sumS += rowS
      sumT += rowT
    }
    let pairs = Double(cells * cells)
    s[0] = sumS / pairs
    t[0] = sumT / pairs
    state.cells = 1
    state.allPairs = false
  }
}

/// The mean over cells per channel; its adjoint spreads dL/dy / cells over the cells.
struct PoolOperation: FiniteOperation {
  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    let (inputCells, inputChannels) = (step.inputCells, step.inputChannels)
    let scale = 1 / Double(inputCells)
    for i in 0..<count {
      let out = y + i * inputChannels
      out.update(repeating: 0, count: inputChannels)
      for p in 0..<inputCells {
        let cell = x + (i * inputCells + p) * inputChannels
        for c in 0..<inputChannels { out[c] += cell[c] }
      }
      for c in 0..<inputChannels { out[c] *= scale }
    }
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    guard let dx else { return }
    let (inputCells, inputChannels) = (step.inputCells, step.inputChannels)
    let scale = 1 / Double(inputCells)
    for i in 0..<count {
      for p in 0..<inputCells {
        let cell = dx + (i * inputCells + p) * inputChannels
        for c in 0..<inputChannels { cell[c] = dy[i * inputChannels + c] * scale }
      }
    }
  }
}
