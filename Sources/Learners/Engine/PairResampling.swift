/// A strided convolution or a window pooling on the whole pixel-pair tensors of one pair, between
/// two stages of a `StagedProgram`, with the window geometry of the layer list (`TapTable`:
/// neural-tangents' padding under stride).
///
/// With t(o, j) the input cell that output cell o reads at tap j (none for a padded zero):
/// - pooling: S'(o1, o2) = c^2 sum_{j1, j2} S(t(o1, j1), t(o2, j2)), likewise T', with c = 1/k^2
///   for the average and 1 for the sum; computed separably (window sums over the first index,
///   then over the second).
/// - strided convolution: S'(o1, o2) = b^2 + (W^2 / k^2) sum_j S(t(o1, j), t(o2, j)) over the taps
///   both cells read, and T' = S' + (W^2 / k^2) sum_j T(same), as `AffineKernelStep`.
///
/// Tensors are row-major over the cells of their grid (cells^2 entries).
/// - Complexity: pooling O(P' P k^2 + P'^2 k^2), convolution O(P'^2 k^2), for P input and P'
///   output cells.
struct PairResampling: Sendable {
  enum Kind: Sendable {
    case pool(scale: Double)
    case affine(weightVariance: Double, biasVariance: Double)
  }

  let kind: Kind
  let inputCells: Int
  let outputHeight: Int
  let outputWidth: Int
  let tapCount: Int
  /// `taps[o * tapCount + j]`: the input cell output cell o reads at tap j, or -1.
  let taps: [Int]

  var outputCells: Int { outputHeight * outputWidth }

  /// The resampling of `step` (a `.stridedAffine` or `.pool` step, number `index` in the
  /// program) on a `height` x `width` grid.
  /// - Throws: `windowDoesNotFit` when the window (valid padding) or the stride is larger than
  ///   the grid, as the layer list's own geometry check.
  init(_ step: KernelProgram.Step, step index: Int, height: Int, width: Int)
    throws(KernelEngineError)
  {
    let size: Int
    let stride: Int
    let padding: KernelProgram.Padding
    switch step {
    case .stridedAffine(let filterSize, let s, let p, let weightStd, let biasStd):
      (size, stride, padding) = (filterSize, s, p)
      kind = .affine(weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd)
    case .pool(let window, let s, let p, let average):
      (size, stride, padding) = (window, s, p)
      kind = .pool(scale: average ? 1 / Double(window * window) : 1)
      // Pooling checks its window under every padding (`WindowPooling.outputGrid`).
      guard window <= min(height, width) else {
        throw .windowDoesNotFit(step: index, size: window, stride: s, height: height, width: width)
      }
    case .affine, .activation:
      preconditionFailure("internal: only strided and pooling steps resample")
    }
    guard stride <= min(height, width),
      let table = TapTable(
        filterSize: size, stride: stride, padding: padding.layerPadding, height: height,
        width: width)
    else {
      throw .windowDoesNotFit(step: index, size: size, stride: stride, height: height, width: width)
    }
    inputCells = height * width
    outputHeight = table.outputHeight
    outputWidth = table.outputWidth
    tapCount = table.tapCount
    taps = table.taps
  }

  /// Maps (S, T) in `source` (S then T, `inputCells`^2 each) to `target` (S' then T',
  /// `outputCells`^2 each); `line` holds `inputCells` doubles of scratch.
  func apply(
    source: UnsafeMutablePointer<Double>, target: UnsafeMutablePointer<Double>,
    line: UnsafeMutablePointer<Double>
  ) {
    let cells = inputCells
    let outputs = outputCells
    taps.withUnsafeBufferPointer { window in
      let window = window.baseAddress!
      switch kind {
      case .pool(let scale):
        let factor = scale * scale
        for part in 0..<2 {
          let input = source + part * cells * cells
          let output = target + part * outputs * outputs
          for o1 in 0..<outputs {
            // Row o1 of A S (unscaled), then its window sums.
            line.update(repeating: 0, count: cells)
            for j in 0..<tapCount {
              let i = window[o1 * tapCount + j]
              guard i >= 0 else { continue }
              let row = input + i * cells
              for q in 0..<cells { line[q] += row[q] }
            }
            for o2 in 0..<outputs {
              var sum = 0.0
              for j in 0..<tapCount {
                let i = window[o2 * tapCount + j]
                if i >= 0 { sum += line[i] }
              }
              output[o1 * outputs + o2] = factor * sum
            }
          }
        }
      case .affine(let weightVariance, let biasVariance):
        let scale = weightVariance / Double(tapCount)
        let s = source
        let t = source + cells * cells
        let nextS = target
        let nextT = target + outputs * outputs
        for o1 in 0..<outputs {
          for o2 in 0..<outputs {
            var sumS = 0.0
            var sumT = 0.0
            for j in 0..<tapCount {
              let i1 = window[o1 * tapCount + j]
              let i2 = window[o2 * tapCount + j]
              guard i1 >= 0, i2 >= 0 else { continue }
              sumS += s[i1 * cells + i2]
              sumT += t[i1 * cells + i2]
            }
            let nngp = biasVariance + scale * sumS
            nextS[o1 * outputs + o2] = nngp
            nextT[o1 * outputs + o2] = nngp + scale * sumT
          }
        }
      }
    }
  }
}

extension KernelProgram.Padding {
  /// The layer list's padding with the same conventions.
  var layerPadding: Padding {
    switch self {
    case .circular: return .circular
    case .same: return .same
    case .valid: return .valid
    }
  }
}
