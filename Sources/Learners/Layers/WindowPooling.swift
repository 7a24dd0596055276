import Symmetries

/// Average or sum pooling over k x k windows moved by a stride s (default s = k) with `valid`
/// (default), `same` or `circular` padding: every channel is summed over the window's pixels,
/// and divided by k^2 for the average (padded zeros count, as neural-tangents'
/// `normalize_edges=False`).
///
/// Kernel: with A the output-by-input window matrix (A[o, i] = the number of taps of window o
/// reading pixel i, scaled by 1 / k^2 for the average), S' = A S A^T and T' = A T A^T: the
/// covariance of two pooled pixels is the window average of every pixel-pair covariance, so the
/// recursion before it tracks all pairs. The window geometry is `TapTable`'s (neural-tangents'
/// SAME padding with stride, wrapped for `circular`). Finite: the same window sum per channel.
///
/// Symmetry: pooling is a fixed filter that weighs every tap alike, so a pixel map g survives it
/// exactly when g carries every window onto a window as a set (padded zeros counted); the output
/// is then moved by the induced map of windows, for the kernels and for one image moved against
/// the other alike. With stride s, translations survive only by multiples of s; flips and
/// quarter turns only when the windows tile the image symmetrically (e.g. valid pooling with
/// window 2 on an even size). Pooling sums pixel pairs, so it breaks what keeps only the pixel
/// diagonal (per-pixel channel rotations) unless the window is one pixel; a channel map the same
/// at every pixel commutes with it and passes on.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py`, `AvgPool`, `SumPool`
/// (`_pool_kernel` pools both pixel axes of the covariance).
struct WindowPooling: LayerKind {
  /// Whether the window sum is divided by the window size.
  enum Reduction: String, Sendable, Hashable {
    case average = "avgpool"
    case sum = "sumpool"
  }

  let reduction: Reduction
  /// The side k of the k x k window.
  let window: Int
  /// How far the window moves between output pixels.
  let stride: Int
  let padding: Padding

  // MARK: - Syntax

  static let names = ["avgpool", "sumpool"]

  static let syntax = [
    "avgpool(k, padding)           k x k average pooling, stride=s (default k), valid padding by default",
    "sumpool(k, padding)           k x k sum pooling: avgpool without dividing by k^2",
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> WindowPooling
  {
    guard let window = try arguments.integer("k", positional: true, what: "window") else {
      throw .malformedArguments(
        layer: arguments.token, position: arguments.position,
        reason: "the window size is missing; write e.g. \(name)(2)")
    }
    return WindowPooling(
      reduction: name == "sumpool" ? .sum : .average, window: window,
      stride: try arguments.integer("stride", what: "stride") ?? window,
      padding: try arguments.padding() ?? .valid)
  }

  var description: String { "\(reduction.rawValue)(\(window),\(padding),stride=\(stride))" }
  var shortName: String { description }

  // MARK: - Shape

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    guard window >= 1 else { throw .invalidWindow(layer: position, name: shortName, size: window) }
    guard stride >= 1 else {
      throw .invalidStride(layer: position, name: shortName, stride: stride)
    }
    guard stage == .grid else {
      throw .spatialLayerAfterReduction(layer: position, description: description)
    }
    return .grid
  }

  var needsAllPixelPairs: Bool { true }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid {
    guard window <= min(grid.height, grid.width) else {
      throw .windowLargerThanImage(
        layer: position, name: shortName, window: window, height: grid.height, width: grid.width)
    }
    guard stride <= min(grid.height, grid.width) else {
      throw .strideLargerThanImage(
        layer: position, name: shortName, stride: stride, height: grid.height, width: grid.width)
    }
    let table = tapTable(on: grid)
    return Grid(height: table.outputHeight, width: table.outputWidth)
  }

  /// The windows on `grid`, which `outputGrid` accepted (a window that fits leaves an output
  /// pixel under every padding).
  func tapTable(on grid: Grid) -> TapTable {
    guard
      let table = TapTable(
        filterSize: window, stride: stride, padding: padding, height: grid.height, width: grid.width
      )
    else { preconditionFailure("internal: the geometry was validated by Architecture.grids(on:)") }
    return table
  }

  /// 1 / k^2 for the average, 1 for the sum.
  var scale: Double { reduction == .average ? 1 / Double(window * window) : 1 }

  // MARK: - Kernel and finite pass

  func kernelStep(on grid: Grid) -> any KernelStep {
    WindowPoolKernelStep(table: tapTable(on: grid), scale: scale)
  }

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    let table = tapTable(on: input.grid)
    return FiniteStep(
      operation: WindowPoolOperation(table: table, scale: scale), inputCells: input.cells,
      inputChannels: input.channels, outputCells: table.outputCells, outputChannels: input.channels,
      outputHeight: table.outputHeight, outputWidth: table.outputWidth)
  }

  // MARK: - Engine

  /// A `.pool` step, which the engine runs on whole pair tensors between stages.
  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    program.append(
      .pool(window: window, stride: stride, padding: padding.engine, average: reduction == .average)
    )
  }

  // MARK: - Symmetry

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    let table = tapTable(on: grid)
    switch state {
    case .broken, .vector:
      return state
    case .flattened:
      return broken(
        at: position,
        "it sums pixels window by window, and an orthogonal map of the flattened image mixes pixels across windows"
      )
    case .pixels(let source, let channels, let diagonalOnly):
      let onePixel = table.tapCount == 1
      if let diagonalOnly, !onePixel {
        return broken(
          at: position, "it sums every pixel pair K(p, q) of two windows, but \(diagonalOnly)")
      }
      guard channels.isGlobal || onePixel else {
        return broken(
          at: position,
          "it sums pixels rotated differently, so no layer after it can undo the rotations")
      }
      guard let match = table.match(source) else {
        return broken(
          at: position,
          "the action moves a \(window)x\(window) window (stride \(stride)) onto pixels no window covers"
            + (padding == .circular ? "" : " (\(padding) padding: border windows differ)"))
      }
      return .pixels(source: match.rho, channels: channels, diagonalOnly: diagonalOnly)
    }
  }
}

// MARK: - The kernel recursion

/// S' = A S A^T, T' = A T A^T with A the scaled window matrix, computed separably as the sum of
/// (A S) A^T and A (S A^T): for the two images swapped (S transposed) each term becomes the
/// other's transpose, summed in the same order, so the result is the transpose bit for bit, as
/// the reference path promises.
/// - Complexity: O(outputs * cells * k^2) per pair.
struct WindowPoolKernelStep: KernelStep {
  let table: TapTable
  let scale: Double

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    precondition(state.allPairs, "internal: pooling needs all pixel pairs")
    let cells = state.cells
    let outputs = table.outputCells
    let taps = table.tapCount
    let half = scale * scale / 2
    table.taps.withUnsafeBufferPointer { window in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: cells) { line in
        for (input, output) in [(state.s, state.nextS), (state.t, state.nextT)] {
          // (A S) A^T: row o1 of A S, then its window sums.
          for o1 in 0..<outputs {
            for q in 0..<cells { line[q] = 0 }
            for j in 0..<taps {
              let i = window[o1 * taps + j]
              guard i >= 0 else { continue }
              for q in 0..<cells { line[q] += input[i * cells + q] }
            }
            for o2 in 0..<outputs {
              var sum = 0.0
              for j in 0..<taps {
                let i = window[o2 * taps + j]
                if i >= 0 { sum += line[i] }
              }
              output[o1 * outputs + o2] = sum
            }
          }
          // A (S A^T): column o2 of S A^T, then its window sums, added to the first term.
          for o2 in 0..<outputs {
            for p in 0..<cells { line[p] = 0 }
            for j in 0..<taps {
              let i = window[o2 * taps + j]
              guard i >= 0 else { continue }
              for p in 0..<cells { line[p] += input[p * cells + i] }
            }
            for o1 in 0..<outputs {
              var sum = 0.0
              for j in 0..<taps {
                let i = window[o1 * taps + j]
                if i >= 0 { sum += line[i] }
              }
              output[o1 * outputs + o2] = (output[o1 * outputs + o2] + sum) * half
            }
          }
        }
      }
    }
    state.advance(cells: outputs)
  }
}

// MARK: - The finite pass

/// y[o, c] = scale * sum over the window of o of x[i, c]; the adjoint spreads scale * dL/dy[o, c]
/// back over the window's pixels.
struct WindowPoolOperation: FiniteOperation {
  let table: TapTable
  let scale: Double

  /// - Complexity: O(count * outputs * k^2 * C).
  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    let (channels, taps) = (step.inputChannels, table.tapCount)
    table.taps.withUnsafeBufferPointer { window in
      for image in 0..<count {
        let input = x + image * step.inputSize
        for o in 0..<step.outputCells {
          let out = y + image * step.outputSize + o * channels
          out.update(repeating: 0, count: channels)
          for j in 0..<taps {
            let i = window[o * taps + j]
            guard i >= 0 else { continue }
            for c in 0..<channels { out[c] += input[i * channels + c] }
          }
          for c in 0..<channels { out[c] *= scale }
        }
      }
    }
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    guard let dx else { return }
    let (channels, taps) = (step.inputChannels, table.tapCount)
    dx.update(repeating: 0, count: count * step.inputSize)
    table.taps.withUnsafeBufferPointer { window in
      for image in 0..<count {
        let target = dx + image * step.inputSize
        for o in 0..<step.outputCells {
          let source = dy + image * step.outputSize + o * channels
          for j in 0..<taps {
            let i = window[o * taps + j]
            guard i >= 0 else { continue }
            for c in 0..<channels { target[i * channels + c] += scale * source[c] }
          }
        }
      }
    }
  }
}
