import Symmetries

/// One layer of a finite network with its geometry and parameter slots resolved, and its
/// forward and backward passes on a chunk of images.
///
/// Features are stored image by image, cell by cell, channel by channel (NHWC; a vector is one
/// cell). An affine layer is computed as one GEMM on im2col patches (rows: image-cell pairs,
/// columns: tap-channel pairs, padded taps read zero); a locally connected layer as one strided
/// GEMM per output cell on the same patches, so neither copies its weights.
struct FiniteStep: Sendable {
  /// What the step computes.
  enum Operation: Sendable {
    /// An affine map; see `Affine`.
    case affine(Affine)
    /// phi pointwise.
    case activation(Activation)
    /// The grid as one vector (the memory layout is unchanged).
    case flatten
    /// The mean over cells, per channel.
    case pool
  }

  /// An affine layer's geometry, scales and parameter slots.
  struct Affine: Sendable {
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
  }

  let operation: Operation
  let inputCells: Int
  let inputChannels: Int
  let outputCells: Int
  let outputChannels: Int
  /// The output grid (1 x 1 for a vector).
  let outputHeight: Int
  let outputWidth: Int

  /// Values per image entering and leaving the step.
  var inputSize: Int { inputCells * inputChannels }
  var outputSize: Int { outputCells * outputChannels }

  /// The number of parameters the step owns.
  var parameterCount: Int {
    guard case .affine(let affine) = operation else { return 0 }
    let perCell = affine.table.tapCount * inputChannels * outputChannels + outputChannels
    return affine.perLocation ? outputCells * perCell : perCell
  }

  /// The largest scratch (patches) per image.
  var patchSize: Int {
    guard case .affine(let affine) = operation else { return 0 }
    return outputCells * affine.table.tapCount * inputChannels
  }

  /// An affine step.
  static func affine(
    table: TapTable, perLocation: Bool, inputCells: Int, inputChannels: Int, outputChannels: Int,
    weightStd: Double, biasStd: Double, offset: Int
  ) -> FiniteStep {
    let rowLength = table.tapCount * inputChannels
    let weightCount = rowLength * outputChannels * (perLocation ? table.outputCells : 1)
    let identity =
      table.tapCount == 1 && table.outputCells == inputCells
      && table.taps.enumerated().allSatisfy { $0.offset == $0.element }
    let affine = Affine(
      table: table, perLocation: perLocation,
      weightScale: weightStd / Double(rowLength).squareRoot(), biasScale: biasStd,
      weightOffset: offset, biasOffset: offset + weightCount, isIdentityGather: identity)
    return FiniteStep(
      operation: .affine(affine), inputCells: inputCells, inputChannels: inputChannels,
      outputCells: table.outputCells, outputChannels: outputChannels,
      outputHeight: table.outputHeight, outputWidth: table.outputWidth)
  }

  // MARK: - Forward

  /// y = step(x) for `count` images; `patches` is scratch of `count * patchSize` values.
  /// - Complexity: O(count * outputCells * taps * C_in * C_out) for an affine step, O(count *
  ///   inputSize) otherwise.
  func forward(
    _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    switch operation {
    case .affine(let affine):
      let rowLength = affine.table.tapCount * inputChannels
      let source = affine.isIdentityGather ? x : gather(x, count: count, affine: affine, into: patches)
      let weights = parameters + affine.weightOffset
      let biases = parameters + affine.biasOffset
      if affine.perLocation {
        for o in 0..<outputCells {
          GEMM.uncheckedMultiply(
            m: count, n: outputChannels, k: rowLength, alpha: affine.weightScale,
            a: source + o * rowLength, lda: outputCells * rowLength,
            b: weights + o * rowLength * outputChannels, ldb: outputChannels,
            c: y + o * outputChannels, ldc: outputCells * outputChannels, threads: threads)
        }
        for i in 0..<count {
          for o in 0..<outputCells {
            let row = y + (i * outputCells + o) * outputChannels
            let bias = biases + o * outputChannels
            for c in 0..<outputChannels { row[c] += affine.biasScale * bias[c] }
          }
        }
      } else {
        GEMM.uncheckedMultiply(
          m: count * outputCells, n: outputChannels, k: rowLength, alpha: affine.weightScale,
          a: source, lda: rowLength, b: weights, ldb: outputChannels, c: y, ldc: outputChannels,
          threads: threads)
        for r in 0..<(count * outputCells) {
          let row = y + r * outputChannels
          for c in 0..<outputChannels { row[c] += affine.biasScale * biases[c] }
        }
      }
    case .activation(let activation):
      for i in 0..<(count * inputSize) { y[i] = activation.value(x[i]) }
    case .flatten:
      y.update(from: x, count: count * inputSize)
    case .pool:
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
  }

  /// im2col: patches[(i, o), (j, c)] = x[i, taps(o, j), c], zero for a padded tap.
  private func gather(
    _ x: UnsafePointer<Double>, count: Int, affine: Affine, into patches: UnsafeMutablePointer<Double>
  ) -> UnsafePointer<Double> {
    let taps = affine.table.tapCount
    affine.table.taps.withUnsafeBufferPointer { table in
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

  // MARK: - Backward

  /// Given dL/dy, adds dL/dparameters into `gradient` and, when `dx` is non-nil, writes dL/dx.
  ///
  /// `x` is the step's input and `y` its output from the forward pass; `patches` and
  /// `patchGradient` are scratch of `count * patchSize` values each.
  /// - Complexity: twice the forward pass of an affine step.
  func backward(
    _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    switch operation {
    case .affine(let affine):
      let rowLength = affine.table.tapCount * inputChannels
      let source = affine.isIdentityGather ? x : gather(x, count: count, affine: affine, into: patches)
      let weights = parameters + affine.weightOffset
      let weightGradient = gradient + affine.weightOffset
      let biasGradient = gradient + affine.biasOffset
      let sourceGradient: UnsafeMutablePointer<Double>? =
        dx == nil ? nil : (affine.isIdentityGather ? dx : patchGradient)
      if affine.perLocation {
        for o in 0..<outputCells {
          GEMM.uncheckedMultiply(
            m: rowLength, n: outputChannels, k: count, alpha: affine.weightScale,
            a: source + o * rowLength, lda: outputCells * rowLength, transposeA: true,
            b: dy + o * outputChannels, ldb: outputCells * outputChannels, beta: 1,
            c: weightGradient + o * rowLength * outputChannels, ldc: outputChannels,
            threads: threads)
          if let sourceGradient {
            GEMM.uncheckedMultiply(
              m: count, n: rowLength, k: outputChannels, alpha: affine.weightScale,
              a: dy + o * outputChannels, lda: outputCells * outputChannels,
              b: weights + o * rowLength * outputChannels, ldb: outputChannels, transposeB: true,
              c: sourceGradient + o * rowLength, ldc: outputCells * rowLength, threads: threads)
          }
        }
        for i in 0..<count {
          for o in 0..<outputCells {
            let row = dy + (i * outputCells + o) * outputChannels
            let bias = biasGradient + o * outputChannels
            for c in 0..<outputChannels { bias[c] += affine.biasScale * row[c] }
          }
        }
      } else {
        GEMM.uncheckedMultiply(
          m: rowLength, n: outputChannels, k: count * outputCells, alpha: affine.weightScale,
          a: source, lda: rowLength, transposeA: true, b: dy, ldb: outputChannels, beta: 1,
          c: weightGradient, ldc: outputChannels, threads: threads)
        if let sourceGradient {
          GEMM.uncheckedMultiply(
            m: count * outputCells, n: rowLength, k: outputChannels, alpha: affine.weightScale,
            a: dy, lda: outputChannels, b: weights, ldb: outputChannels, transposeB: true,
            c: sourceGradient, ldc: rowLength, threads: threads)
        }
        for r in 0..<(count * outputCells) {
          let row = dy + r * outputChannels
          for c in 0..<outputChannels { biasGradient[c] += affine.biasScale * row[c] }
        }
      }
      if let dx, !affine.isIdentityGather { scatter(patchGradient, count: count, affine: affine, into: dx) }
    case .activation(let activation):
      guard let dx else { return }
      for i in 0..<(count * inputSize) { dx[i] = dy[i] * activation.derivative(x[i]) }
    case .flatten:
      dx?.update(from: dy, count: count * inputSize)
    case .pool:
      guard let dx else { return }
      let scale = 1 / Double(inputCells)
      for i in 0..<count {
        for p in 0..<inputCells {
          let cell = dx + (i * inputCells + p) * inputChannels
          for c in 0..<inputChannels { cell[c] = dy[i * inputChannels + c] * scale }
        }
      }
    }
  }

  /// col2im, the adjoint of `gather`: dx[i, taps(o, j), c] += dpatches[(i, o), (j, c)].
  private func scatter(
    _ patchGradient: UnsafePointer<Double>, count: Int, affine: Affine,
    into dx: UnsafeMutablePointer<Double>
  ) {
    dx.update(repeating: 0, count: count * inputSize)
    let taps = affine.table.tapCount
    affine.table.taps.withUnsafeBufferPointer { table in
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
