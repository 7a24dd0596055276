import Symmetries

/// An affine layer z = W x / sqrt(fan-in) + b in NTK parameterisation: dense, convolutional or
/// locally connected, chosen by `sharing`.
///
/// Weights are i.i.d. N(0, 1) scaled by `weightStd` / sqrt(fan-in) (fan-in = C k^2 for a k x k
/// filter over C channels, padded zeros included), biases N(0, biasStd^2). In the infinite-width
/// limit its kernel recursion is, with K the input covariance, T' the input NTK and the mean over
/// the k^2 filter offsets d (see `Padding` for the offsets and the border):
///
///     S(p, q) = b^2 + W^2 mean_d K(p + d, q + d)          (p = q only, for `perLocation`)
///     T(p, q) = S(p, q) + W^2 mean_d T'(p + d, q + d)
///
/// With stride s, p + d stands for the input pixel that output pixel p reads at offset d, the
/// window starting at s p (`TapTable`: neural-tangents' padding under stride).
/// A dense layer is the case of a 1 x 1 "image" (a vector after flatten or pooling) with one tap.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py`, `Dense` and `_Conv` (one
/// private function behind `Conv` and `ConvLocal`, switched by `shared_weights`).
public struct AffineLayer: Sendable, Hashable, CustomStringConvertible {
  /// How weights are shared across locations: dense, locally connected or convolution.
  public var sharing: WeightSharing
  /// The side k of the k x k filter (1 for a dense layer).
  public var filterSize: Int
  /// The border treatment (irrelevant for a dense layer, which has no border).
  public var padding: Padding
  /// How far the window moves between output pixels (1 for a dense layer); see `TapTable`.
  public var stride: Int
  /// The weight standard deviation W (before the 1 / sqrt(fan-in) scaling).
  public var weightStd: Double
  /// The bias standard deviation b.
  public var biasStd: Double

  /// An affine layer; `Architecture` validates the numbers (positive k and stride, finite
  /// non-negative standard deviations) when the layer joins an architecture.
  public init(
    sharing: WeightSharing, filterSize: Int, padding: Padding, stride: Int = 1, weightStd: Double,
    biasStd: Double
  ) {
    self.sharing = sharing
    self.filterSize = sharing == .none ? 1 : filterSize
    self.padding = sharing == .none ? .valid : padding
    self.stride = sharing == .none ? 1 : stride
    self.weightStd = weightStd
    self.biasStd = biasStd
  }
}

extension AffineLayer: LayerKind {
  // MARK: - Syntax

  static let names = ["conv", "local", "dense"]

  static let syntax = [
    "conv(k, padding, w=W, b=B)    k x k convolution; stride=s moves it by s pixels (default 1)",
    "local(k, padding, w=W, b=B)   k x k locally connected layer (conv without weight sharing), stride=s",
    "dense(w=W, b=B)               dense layer on a vector (after flatten or gap)",
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> AffineLayer
  {
    let defaults = arguments.defaults
    if name == "dense" {
      return AffineLayer(
        sharing: .none, filterSize: 1, padding: .valid,
        weightStd: try arguments.number("w") ?? defaults.weightStd,
        biasStd: try arguments.number("b") ?? defaults.biasStd)
    }
    let filterSize = try arguments.filterSize() ?? defaults.filterSize
    let padding = try arguments.padding() ?? defaults.padding
    let stride = try arguments.integer("stride", what: "stride") ?? 1
    return AffineLayer(
      sharing: name == "conv" ? .everywhere : .perLocation, filterSize: filterSize,
      padding: padding, stride: stride, weightStd: try arguments.number("w") ?? defaults.weightStd,
      biasStd: try arguments.number("b") ?? defaults.biasStd)
  }

  /// A stride of 1 is left out, so that stride-1 layers print (and key caches) as before.
  public var description: String {
    let stds = "w=\(weightStd),b=\(biasStd)"
    let strideText = stride == 1 ? "" : "stride=\(stride),"
    switch sharing {
    case .none: return "dense(\(stds))"
    case .perLocation: return "local(\(filterSize),\(padding),\(strideText)\(stds))"
    case .everywhere: return "conv(\(filterSize),\(padding),\(strideText)\(stds))"
    }
  }

  var shortName: String {
    let strideText = stride == 1 ? "" : ",stride=\(stride)"
    switch sharing {
    case .none: return "dense"
    case .perLocation: return "local(\(filterSize),\(padding)\(strideText))"
    case .everywhere: return "conv(\(filterSize),\(padding)\(strideText))"
    }
  }

  // MARK: - Shape

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    try Self.check(weightStd, "W_std", position: position)
    try Self.check(biasStd, "b_std", position: position)
    guard filterSize >= 1 else { throw .invalidFilterSize(layer: position, size: filterSize) }
    guard stride >= 1 else {
      throw .invalidStride(layer: position, name: shortName, stride: stride)
    }
    if sharing == .none {
      guard stage == .vector else { throw .denseBeforeReduction(layer: position) }
    } else if stage == .vector {
      throw .spatialLayerAfterReduction(layer: position, description: description)
    }
    return stage
  }

  /// Throws unless a standard deviation is finite and non-negative.
  static func check(_ value: Double, _ name: String, position: Int) throws(ArchitectureError) {
    guard value.isFinite, value >= 0 else {
      throw .invalidStandardDeviation(layer: position, parameter: name, value: value)
    }
  }

  var canEndNetwork: Bool { sharing == .none }
  var hasWeights: Bool { true }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid {
    if sharing != .none, stride > min(grid.height, grid.width) {
      throw .strideLargerThanImage(
        layer: position, name: shortName, stride: stride, height: grid.height, width: grid.width)
    }
    guard let table = TapTable(self, height: grid.height, width: grid.width) else {
      throw .filterLargerThanImage(
        layer: position, filterSize: filterSize, height: grid.height, width: grid.width)
    }
    return Grid(height: table.outputHeight, width: table.outputWidth)
  }

  /// The taps on `grid`, which `outputGrid` accepted.
  func tapTable(on grid: Grid) -> TapTable {
    guard let table = TapTable(self, height: grid.height, width: grid.width) else {
      preconditionFailure("internal: the geometry was validated by Architecture.grids(on:)")
    }
    return table
  }

  // MARK: - Kernel

  func kernelStep(on grid: Grid) -> any KernelStep {
    AffineKernelStep(
      weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd,
      shared: sharing != .perLocation, table: tapTable(on: grid))
  }

  // MARK: - Finite

  /// Weights W[j * C_in + c, c_out] for tap j and one bias per output channel (`conv`, and
  /// `dense` as a one-cell, one-tap grid whose input channels are the whole vector); `local` has
  /// its own W[o, j * C_in + c, c_out] and b[o, c_out] at every output pixel o; fan-in
  /// k^2 C_in.
  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    AffineOperation.step(
      table: tapTable(on: input.grid), perLocation: sharing == .perLocation,
      inputCells: sharing == .none ? 1 : input.cells,
      inputChannels: sharing == .none ? input.cells * input.channels : input.channels,
      outputChannels: channels, weightStd: weightStd, biasStd: biasStd, offset: offset)
  }

  // MARK: - Engine

  /// Convolution and locally connected layers map to the same engine step: with a flatten
  /// readout only the pixel diagonal matters, where the two kernels coincide (for any padding:
  /// the diagonal recursion reads the same taps); under global pooling, or with a stride or a
  /// pooling anywhere, `EngineLowering` refuses a locally connected layer. A strided convolution
  /// is a `.stridedAffine` step (run on whole pair tensors). A final dense layer is the readout.
  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    if isLast { return program.setReadout(weightStd: weightStd, biasStd: biasStd) }
    if sharing == .none {
      guard program.input == .dense, program.reduction == nil else {
        return EngineUnsupported("a dense layer between the reduction and the readout")
      }
      return program.append(
        .affine(
          filterHeight: 1, filterWidth: 1, padding: .circular, weightStd: weightStd,
          biasStd: biasStd))
    }
    if stride > 1 {
      // Off the pixel diagonal a strided locally connected layer is not a convolution (its
      // outputs at distinct pixels are uncorrelated), and the engine's strides run on every pair.
      guard sharing == .everywhere else {
        return EngineUnsupported("\(shortName), a strided locally connected layer")
      }
      return program.append(
        .stridedAffine(
          filterSize: filterSize, stride: stride, padding: padding.engine, weightStd: weightStd,
          biasStd: biasStd))
    }
    if sharing == .perLocation { program.sawLocal = true }
    return program.append(
      .affine(
        filterHeight: filterSize, filterWidth: filterSize, padding: padding.engine,
        weightStd: weightStd, biasStd: biasStd))
  }

  // MARK: - Symmetry

  /// What this layer does to the symmetry `state` of its input, on the grid `table` reads.
  ///
  /// A spatial layer (convolution, locally connected) reads k x k windows, so a pixel map g of
  /// its input survives it only when g moves every window onto a window (padded zeros
  /// counted: zero padding makes border windows differ); the output is then moved by the
  /// induced map rho of output cells. Beyond that:
  /// - kernels: a shared filter keeps every pixel pair when one tap permutation fits every
  ///   location (translations with circular padding, flips and quarter turns of a symmetric
  ///   window; anything for a 1x1 filter), and only the pixel diagonal otherwise; a locally
  ///   connected layer keeps every pair, since its outputs at distinct pixels are uncorrelated
  ///   on both sides;
  /// - functional: a shared filter must meet the moved window tap for tap (a translation with
  ///   circular padding, any pixel permutation for a 1x1 filter); weights that differ by
  ///   location (`local`) see one image's pixels move under them; a channel map of one image
  ///   changes what the weights read;
  /// - transport: the filters absorb the motion by permuting taps (and locations, for `local`)
  ///   and the channel map by rotating their input channels, R_p^T W; a shared filter needs one
  ///   tap permutation and one rotation for every location, so weight sharing breaks
  ///   per-pixel channel rotations; Adam keeps only transports that permute coordinates.
  /// A dense layer reads a vector: it absorbs any map left on it (transport), and otherwise
  /// needs the vector unchanged.
  func symmetryRule(
    _ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int
  ) -> SymmetryState {
    if sharing == .none {
      return Self.denseRule(state, question: question, name: shortName, position: position)
    }
    let table = tapTable(on: grid)
    let shared = sharing == .everywhere
    func broken(_ why: String) -> SymmetryState { self.broken(at: position, why) }
    switch state {
    case .broken, .vector:
      return state
    case .flattened:
      switch question {
      case .kernelAlgorithmic:
        return broken(
          "it reads channel inner products pixel by pixel, which an orthogonal map of the flattened image mixes"
        )
      case .functional:
        return broken(
          "an orthogonal map of one image's flattened pixels changes what every filter reads")
      case .transport:
        return broken(
          "the action mixes pixels, and only a dense first layer on the flattened image can absorb that"
        )
      }
    case .pixels(let source, let channels, let diagonalOnly):
      let outputs = table.outputCells
      if source.enumerated().allSatisfy({ $0.offset == $0.element }) && channels == .none {
        return .pixels(
          source: Array(0..<outputs), channels: .none, diagonalOnly: shared ? diagonalOnly : nil)
      }
      if case .functional = question {
        guard channels == .none else {
          return broken(
            "its weights read one image's channels mapped (\(channels)) against the other's")
        }
        guard shared else {
          return broken(
            "its weights differ by location, so moving one image's pixels changes which weights read them"
          )
        }
        guard let rho = table.matchTapForTap(source) else {
          return broken(
            "moving one image's pixels changes which filter tap reads them (only a motion that carries every window onto a window tap for tap, as a circular translation does, keeps it)"
          )
        }
        return .pixels(source: rho, channels: .none, diagonalOnly: nil)
      }
      guard let match = table.match(source) else {
        return broken(
          "the action moves a \(filterSize)x\(filterSize) window onto pixels no window covers"
            + (padding == .circular
              ? "" : " (\(padding) padding: border windows differ from interior ones)"))
      }
      switch question {
      case .kernelAlgorithmic:
        if !shared { return .pixels(source: match.rho, channels: .none, diagonalOnly: nil) }
        if diagonalOnly == nil, match.sharedTaps != nil {
          return .pixels(source: match.rho, channels: .none, diagonalOnly: nil)
        }
        return .pixels(
          source: match.rho, channels: .none,
          diagonalOnly: diagonalOnly
            ?? "layer \(position) (\(shortName)) permutes its filter taps differently at different locations, which keeps only the pixel diagonal of the kernel"
        )
      case .transport(let perCoordinate):
        if shared {
          guard match.sharedTaps != nil else {
            return broken(
              "the filter would have to be permuted differently at different locations, so it would no longer be shared"
            )
          }
          guard channels.isGlobal else {
            return broken(
              "weight sharing: one filter cannot absorb a different channel rotation at every pixel"
            )
          }
        }
        if perCoordinate && !channels.permutesCoordinates {
          return broken(
            "Adam is per-coordinate, and absorbing \(channels) mixes weight coordinates (R^T W)")
        }
        return .pixels(source: match.rho, channels: .none, diagonalOnly: nil)
      case .functional:
        preconditionFailure("internal: handled above")
      }
    }
  }

  /// A dense layer (or the readout) on a vector.
  static func denseRule(
    _ state: SymmetryState, question: SymmetryQuestion, name: String, position: Int
  ) -> SymmetryState {
    guard case .vector(let channels) = state, channels != .none else { return state }
    switch question {
    case .transport(let perCoordinate):
      if perCoordinate && !channels.permutesCoordinates {
        return .broken(
          .broken(
            at: position, name,
            "Adam is per-coordinate, and the transported weights G^T W mix coordinates"))
      }
      return .vector(.none)
    case .kernelAlgorithmic, .functional:
      return .broken(
        .broken(
          at: position, name, "it reads the vector's coordinates, which the action still maps"))
    }
  }
}

// MARK: - The kernel recursion

/// S = b^2 + W^2 mean_d K(p + d, q + d), T = S + W^2 mean_d T'(p + d, q + d); without sharing
/// only p = q survives (bias included).
struct AffineKernelStep: KernelStep {
  let weightVariance: Double
  let biasVariance: Double
  let shared: Bool
  let table: TapTable

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    let tapCount = table.tapCount
    let outputCells = table.outputCells
    let inputCells = state.cells
    let allPairs = state.allPairs
    let (s, t, nextS, nextT) = (state.s, state.t, state.nextS, state.nextT)
    let normalisation = Double(tapCount)
    let (weightVariance, biasVariance, shared) = (
      self.weightVariance, self.biasVariance, self.shared
    )
    table.taps.withUnsafeBufferPointer { taps in
      // The diagonal sum visits taps in the same order whether or not all pairs are stored,
      // so S(p, p) has the same bits in both layouts.
      func diagonalEntry(_ o: Int) -> (Double, Double) {
        var sumS = 0.0
        var sumT = 0.0
        for j in 0..<tapCount {
          let i = taps[o * tapCount + j]
          guard i >= 0 else { continue }
          let index = allPairs ? i * inputCells + i : i
          sumS += s[index]
          sumT += t[index]
        }
        let nngp = sumS / normalisation * weightVariance + biasVariance
        return (nngp, sumT / normalisation * weightVariance + nngp)
      }
      if !allPairs {
        for o in 0..<outputCells {
          (nextS[o], nextT[o]) = diagonalEntry(o)
        }
        return
      }
      for o1 in 0..<outputCells {
        for o2 in 0..<outputCells {
          let index = o1 * outputCells + o2
          if o1 == o2 {
            (nextS[index], nextT[index]) = diagonalEntry(o1)
          } else if !shared {
            nextS[index] = 0
            nextT[index] = 0
          } else {
            var sumS = 0.0
            var sumT = 0.0
            for j in 0..<tapCount {
              let i1 = taps[o1 * tapCount + j]
              let i2 = taps[o2 * tapCount + j]
              guard i1 >= 0, i2 >= 0 else { continue }
              sumS += s[i1 * inputCells + i2]
              sumT += t[i1 * inputCells + i2]
            }
            let nngp = sumS / normalisation * weightVariance + biasVariance
            nextS[index] = nngp
            nextT[index] = sumT / normalisation * weightVariance + nngp
          }
        }
      }
    }
    state.advance(cells: outputCells)
  }
}

// MARK: - The finite pass

/// An affine layer's finite pass: one GEMM on im2col patches (rows: image-cell pairs, columns:
/// tap-channel pairs, padded taps read zero); a locally connected layer as one strided GEMM per
/// output cell on the same patches, so neither copies its weights.
struct AffineOperation: FiniteOperation {
  /// Which input cell each output cell reads at each tap.
  let table: TapTable
  /// Whether every output cell has its own weights and bias.
  let perLocation: Bool
  /// W_std / sqrt(fan-in), fan-in = taps * input channels.
  let weightScale: Double
  /// b_std.
  let biasScale: Double
  /// Where the weights start in the parameter vector.
  let weightOffset: Int
  /// Where the biases start.
  let biasOffset: Int
  /// Whether the patches are the input itself (one tap reading the same cell), so im2col is
  /// skipped.
  let isIdentityGather: Bool

  /// An affine step.
  static func step(
    table: TapTable, perLocation: Bool, inputCells: Int, inputChannels: Int, outputChannels: Int,
    weightStd: Double, biasStd: Double, offset: Int
  ) -> FiniteStep {
    let rowLength = table.tapCount * inputChannels
    let weightCount = rowLength * outputChannels * (perLocation ? table.outputCells : 1)
    let identity =
      table.tapCount == 1 && table.outputCells == inputCells
      && table.taps.enumerated().allSatisfy { $0.offset == $0.element }
    let affine = AffineOperation(
      table: table, perLocation: perLocation,
      weightScale: weightStd / Double(rowLength).squareRoot(), biasScale: biasStd,
      weightOffset: offset, biasOffset: offset + weightCount, isIdentityGather: identity)
    return FiniteStep(
      operation: affine, inputCells: inputCells, inputChannels: inputChannels,
      outputCells: table.outputCells, outputChannels: outputChannels,
      outputHeight: table.outputHeight, outputWidth: table.outputWidth)
  }

  func parameterCount(_ step: FiniteStep) -> Int {
    let perCell = table.tapCount * step.inputChannels * step.outputChannels + step.outputChannels
    return perLocation ? step.outputCells * perCell : perCell
  }

  func patchSize(_ step: FiniteStep) -> Int {
    step.outputCells * table.tapCount * step.inputChannels
  }

  /// - Complexity: O(count * outputCells * taps * C_in * C_out).
  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    let (outputCells, outputChannels) = (step.outputCells, step.outputChannels)
    let rowLength = table.tapCount * step.inputChannels
    let source = isIdentityGather ? x : gather(step, x, count: count, into: patches)
    let weights = parameters + weightOffset
    let biases = parameters + biasOffset
    if perLocation {
      for o in 0..<outputCells {
        GEMM.uncheckedMultiply(
          m: count, n: outputChannels, k: rowLength, alpha: weightScale,
          a: source + o * rowLength, lda: outputCells * rowLength,
          b: weights + o * rowLength * outputChannels, ldb: outputChannels,
          c: y + o * outputChannels, ldc: outputCells * outputChannels, threads: threads)
      }
      for i in 0..<count {
        for o in 0..<outputCells {
          let row = y + (i * outputCells + o) * outputChannels
          let bias = biases + o * outputChannels
          for c in 0..<outputChannels { row[c] += biasScale * bias[c] }
        }
      }
    } else {
      GEMM.uncheckedMultiply(
        m: count * outputCells, n: outputChannels, k: rowLength, alpha: weightScale,
        a: source, lda: rowLength, b: weights, ldb: outputChannels, c: y, ldc: outputChannels,
        threads: threads)
      for r in 0..<(count * outputCells) {
        let row = y + r * outputChannels
        for c in 0..<outputChannels { row[c] += biasScale * biases[c] }
      }
    }
  }

  /// im2col: patches[(i, o), (j, c)] = x[i, taps(o, j), c], zero for a padded tap.
  private func gather(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int,
    into patches: UnsafeMutablePointer<Double>
  ) -> UnsafePointer<Double> {
    let taps = table.tapCount
    let (inputChannels, inputSize, outputCells) = (
      step.inputChannels, step.inputSize, step.outputCells
    )
    table.taps.withUnsafeBufferPointer { table in
      var target = patches
      for i in 0..<count {
        let image = x + i * inputSize
        for o in 0..<outputCells {
          for j in 0..<taps {
            let cell = table[o * taps + j]
            if cell < 0 {
              target.update(repeating: 0, count: inputChannels)
            } else {
              target.update(from: image + cell * inputChannels, count: inputChannels)
            }
            target += inputChannels
          }
        }
      }
    }
    return UnsafePointer(patches)
  }

  /// - Complexity: twice the forward pass.
  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    let (outputCells, outputChannels) = (step.outputCells, step.outputChannels)
    let rowLength = table.tapCount * step.inputChannels
    let source = isIdentityGather ? x : gather(step, x, count: count, into: patches)
    let weights = parameters + weightOffset
    let weightGradient = gradient + weightOffset
    let biasGradient = gradient + biasOffset
    let sourceGradient: UnsafeMutablePointer<Double>? =
      dx == nil ? nil : (isIdentityGather ? dx : patchGradient)
    if perLocation {
      for o in 0..<outputCells {
        GEMM.uncheckedMultiply(
          m: rowLength, n: outputChannels, k: count, alpha: weightScale,
          a: source + o * rowLength, lda: outputCells * rowLength, transposeA: true,
          b: dy + o * outputChannels, ldb: outputCells * outputChannels, beta: 1,
          c: weightGradient + o * rowLength * outputChannels, ldc: outputChannels,
          threads: threads)
        if let sourceGradient {
          GEMM.uncheckedMultiply(
            m: count, n: rowLength, k: outputChannels, alpha: weightScale,
            a: dy + o * outputChannels, lda: outputCells * outputChannels,
            b: weights + o * rowLength * outputChannels, ldb: outputChannels, transposeB: true,
            c: sourceGradient + o * rowLength, ldc: outputCells * rowLength, threads: threads)
        }
      }
      for i in 0..<count {
        for o in 0..<outputCells {
          let row = dy + (i * outputCells + o) * outputChannels
          let bias = biasGradient + o * outputChannels
          for c in 0..<outputChannels { bias[c] += biasScale * row[c] }
        }
      }
    } else {
      GEMM.uncheckedMultiply(
        m: rowLength, n: outputChannels, k: count * outputCells, alpha: weightScale,
        a: source, lda: rowLength, transposeA: true, b: dy, ldb: outputChannels, beta: 1,
        c: weightGradient, ldc: outputChannels, threads: threads)
      if let sourceGradient {
        GEMM.uncheckedMultiply(
          m: count * outputCells, n: rowLength, k: outputChannels, alpha: weightScale,
          a: dy, lda: outputChannels, b: weights, ldb: outputChannels, transposeB: true,
          c: sourceGradient, ldc: rowLength, threads: threads)
      }
      for r in 0..<(count * outputCells) {
        let row = dy + r * outputChannels
        for c in 0..<outputChannels { biasGradient[c] += biasScale * row[c] }
      }
    }
    if let dx, !isIdentityGather { scatter(step, patchGradient, count: count, into: dx) }
  }

  /// col2im, the adjoint of `gather`: dx[i, taps(o, j), c] += dpatches[(i, o), (j, c)].
  private func scatter(
    _ step: FiniteStep, _ patchGradient: UnsafePointer<Double>, count: Int,
    into dx: UnsafeMutablePointer<Double>
  ) {
    let (inputChannels, inputSize, outputCells) = (
      step.inputChannels, step.inputSize, step.outputCells
    )
    dx.update(repeating: 0, count: count * inputSize)
    let taps = table.tapCount
    table.taps.withUnsafeBufferPointer { table in
      var source = patchGradient
      for i in 0..<count {
        let image = dx + i * inputSize
        for o in 0..<outputCells {
          for j in 0..<taps {
            let cell = table[o * taps + j]
            if cell >= 0 {
              let target = image + cell * inputChannels
              for c in 0..<inputChannels { target[c] += source[c] }
            }
            source += inputChannels
          }
        }
      }
    }
  }
}
