import Foundation
import Symmetries

/// Global self-attention over the pixels, `attention(heads=H)`: neural-tangents'
/// `GlobalSelfAttention(n_heads=H, linear_scaling=True, pos_emb_type='NONE')` with W_key,
/// W_query, W_value and W_out standard deviations 1 and the bias standard deviation b.
///
/// Finite (per head h, on the P x C features X of one image, weights i.i.d. N(0, 1)): keys
/// K = X W_K (P x d, queries tied to keys, as linear scaling requires), weights
/// G = softmax_rows(K K^T / (C d)), values V = X W_V; the output is
/// concat_h(G_h V_h) W_out / sqrt(d H C) + b B, with d the hidden width and H the given heads.
///
/// Kernel (the limit of infinitely many channels and key dimensions): with G1 = softmax_rows(S_xx)
/// and G2 = softmax_rows(S_x'x') from each image's own pixel-pair covariance,
///
///     S' = b^2 + G1 S G2^T,    T' = b^2 + G1 T G2^T + 2 G1 S G2^T
///
/// (the NTK's last term comes from the value and output weights). The number of heads does not
/// enter the kernel.
///
/// Symmetry: without positional information attention is equivariant under every pixel
/// permutation: f(g x) = g f(x), and G(g x) = P G P^T, so S'(g x, g x') = P S' P^T and, with one
/// image moved, S'(x, g x') = S'(x, x') P^T: the layer keeps every pixel map its input keeps on
/// every pixel pair (kernels and functional), and breaks a state that keeps only the diagonal,
/// since it mixes every pair. Its weights read channels: a channel map not yet absorbed breaks
/// the functional question, and weight transport has no rule to rotate its key and value
/// weights, so it lifts only pixel maps without channel maps.
///
/// Reference: J. Hron, Y. Bahri, J. Sohl-Dickstein, R. Novak, "Infinite attention: NNGP and NTK
/// for deep attention networks", ICML 2020; neural-tangents `stax/linear.py`,
/// `GlobalSelfAttention`.
struct Attention: LayerKind {
  /// The number of heads H (the finite network's; the kernel does not depend on it).
  let heads: Int
  /// The bias standard deviation b.
  let biasStd: Double

  // MARK: - Syntax

  static let names = ["attention"]
  static let syntax = [
    "attention(heads=H, b=B)       global self-attention over pixels (linear scaling, no positions)"
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Attention
  {
    let heads = try arguments.integer("heads", what: "number of heads") ?? 1
    guard heads >= 1 else {
      throw .malformedArguments(
        layer: arguments.token, position: arguments.position,
        reason: "heads=\(heads); use at least one head")
    }
    return Attention(heads: heads, biasStd: try arguments.number("b") ?? arguments.defaults.biasStd)
  }

  var description: String { "attention(heads=\(heads),b=\(biasStd))" }
  var shortName: String { "attention" }

  // MARK: - Shape

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    try AffineLayer.check(biasStd, "b_std", position: position)
    guard stage == .grid else {
      throw .spatialLayerAfterReduction(layer: position, description: description)
    }
    return stage
  }

  var needsAllPixelPairs: Bool { true }
  var hasWeights: Bool { true }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { grid }

  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool { true }

  // MARK: - Kernel

  func kernelStep(on grid: Grid) -> any KernelStep {
    AttentionKernelStep(biasVariance: biasStd * biasStd)
  }

  // MARK: - Finite

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    FiniteStep(
      operation: AttentionOperation(
        heads: heads, dimension: channels, biasStd: biasStd, offset: offset),
      inputCells: input.cells, inputChannels: input.channels, outputCells: input.cells,
      outputChannels: channels, outputHeight: input.height, outputWidth: input.width)
  }

  // MARK: - Symmetry

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    switch state {
    case .broken, .vector:
      return state
    case .flattened:
      return broken(
        at: position,
        "it reads channel inner products pixel by pixel, which an orthogonal map of the flattened image mixes"
      )
    case .pixels(let source, let channels, let diagonalOnly):
      if let diagonalOnly {
        return broken(at: position, "it mixes every pixel pair, but \(diagonalOnly)")
      }
      guard channels == .none else {
        switch question {
        case .kernelAlgorithmic:
          return .pixels(source: source, channels: .none, diagonalOnly: nil)
        case .functional:
          return broken(
            at: position,
            "its weights read one image's channels mapped (\(channels)) against the other's")
        case .transport:
          return broken(
            at: position,
            "weight transport has no rule to absorb \(channels) into attention's key and value weights"
          )
        }
      }
      return .pixels(source: source, channels: .none, diagonalOnly: nil)
    }
  }
}

/// S' = b^2 + G1 S G2^T, T' = b^2 + G1 T G2^T + 2 G1 S G2^T with G = softmax over the rows of
/// each image's own covariance.
struct AttentionKernelStep: KernelStep {
  let biasVariance: Double

  /// softmax over each row of the cells x cells matrix `s`.
  private static func rowSoftmax(_ s: [Double], cells: Int) -> [Double] {
    var g = s
    for p in 0..<cells {
      let row = p * cells
      var largest = -Double.infinity
      for q in 0..<cells { largest = max(largest, g[row + q]) }
      var sum = 0.0
      for q in 0..<cells {
        g[row + q] = exp(g[row + q] - largest)
        sum += g[row + q]
      }
      for q in 0..<cells { g[row + q] /= sum }
    }
    return g
  }

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    precondition(state.allPairs, "internal: attention needs all pixel pairs")
    let (ownA, ownB) = variances.covariances(state)
    let cells = state.cells
    let g1 = Self.rowSoftmax(ownA, cells: cells)
    let g2 = Self.rowSoftmax(ownB, cells: cells)
    // M = S G2^T and N = T G2^T, then G1 M and G1 N.
    var m = [Double](repeating: 0, count: cells * cells)
    var n = m
    for p in 0..<cells {
      for q in 0..<cells {
        var sumS = 0.0
        var sumT = 0.0
        for r in 0..<cells {
          sumS += state.s[p * cells + r] * g2[q * cells + r]
          sumT += state.t[p * cells + r] * g2[q * cells + r]
        }
        m[p * cells + q] = sumS
        n[p * cells + q] = sumT
      }
    }
    for p in 0..<cells {
      for q in 0..<cells {
        var sumS = 0.0
        var sumT = 0.0
        for r in 0..<cells {
          sumS += g1[p * cells + r] * m[r * cells + q]
          sumT += g1[p * cells + r] * n[r * cells + q]
        }
        state.nextS[p * cells + q] = biasVariance + sumS
        state.nextT[p * cells + q] = biasVariance + sumT + 2 * sumS
      }
    }
    state.advance(cells: cells)
  }
}

/// The finite attention layer: per head, W_K (C x d) and W_V (C x d), then W_out (H d x C_out)
/// and one bias per output channel; see `Attention`.
struct AttentionOperation: FiniteOperation {
  let heads: Int
  /// d, the key and value dimension of every head (the hidden width).
  let dimension: Int
  let biasStd: Double
  let offset: Int

  func parameterCount(_ step: FiniteStep) -> Int {
    heads * step.inputChannels * dimension * 2 + heads * dimension * step.outputChannels
      + step.outputChannels
  }

  private func keyOffset(_ step: FiniteStep, _ h: Int) -> Int {
    offset + h * step.inputChannels * dimension
  }
  private func valueOffset(_ step: FiniteStep, _ h: Int) -> Int {
    offset + (heads + h) * step.inputChannels * dimension
  }
  private func outputOffset(_ step: FiniteStep) -> Int {
    offset + 2 * heads * step.inputChannels * dimension
  }
  private func biasOffset(_ step: FiniteStep) -> Int {
    outputOffset(step) + heads * dimension * step.outputChannels
  }

  /// X W (P x d) for the C x d weights at `weights`.
  private func project(
    _ x: UnsafePointer<Double>, _ weights: UnsafePointer<Double>, cells: Int, channels: Int
  ) -> [Double] {
    var result = [Double](repeating: 0, count: cells * dimension)
    for p in 0..<cells {
      for c in 0..<channels {
        let value = x[p * channels + c]
        for j in 0..<dimension { result[p * dimension + j] += value * weights[c * dimension + j] }
      }
    }
    return result
  }

  /// The keys, softmax weights, values and head outputs of head h on one image.
  private func head(
    _ step: FiniteStep, _ h: Int, _ x: UnsafePointer<Double>, parameters: UnsafePointer<Double>
  ) -> (keys: [Double], weights: [Double], values: [Double], output: [Double]) {
    let (cells, channels) = (step.inputCells, step.inputChannels)
    let keys = project(x, parameters + keyOffset(step, h), cells: cells, channels: channels)
    let values = project(x, parameters + valueOffset(step, h), cells: cells, channels: channels)
    let scale = 1 / Double(channels * dimension)
    var weights = [Double](repeating: 0, count: cells * cells)
    for p in 0..<cells {
      var largest = -Double.infinity
      for q in 0..<cells {
        var dot = 0.0
        for j in 0..<dimension { dot += keys[p * dimension + j] * keys[q * dimension + j] }
        weights[p * cells + q] = dot * scale
        largest = max(largest, dot * scale)
      }
      var sum = 0.0
      for q in 0..<cells {
        weights[p * cells + q] = exp(weights[p * cells + q] - largest)
        sum += weights[p * cells + q]
      }
      for q in 0..<cells { weights[p * cells + q] /= sum }
    }
    var output = [Double](repeating: 0, count: cells * dimension)
    for p in 0..<cells {
      for q in 0..<cells {
        let w = weights[p * cells + q]
        for j in 0..<dimension { output[p * dimension + j] += w * values[q * dimension + j] }
      }
    }
    return (keys, weights, values, output)
  }

  /// The output scale 1 / sqrt(d H C).
  private func outputScale(_ step: FiniteStep) -> Double {
    1 / Double(dimension * heads * step.inputChannels).squareRoot()
  }

  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    let (cells, outputs) = (step.inputCells, step.outputChannels)
    let scale = outputScale(step)
    let out = parameters + outputOffset(step)
    let bias = parameters + biasOffset(step)
    for i in 0..<count {
      let image = x + i * step.inputSize
      let target = y + i * step.outputSize
      for p in 0..<cells {
        for o in 0..<outputs { target[p * outputs + o] = biasStd * bias[o] }
      }
      for h in 0..<heads {
        let result = head(step, h, image, parameters: parameters).output
        for p in 0..<cells {
          for j in 0..<dimension {
            let value = scale * result[p * dimension + j]
            let row = out + (h * dimension + j) * outputs
            for o in 0..<outputs { target[p * outputs + o] += value * row[o] }
          }
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
    let (cells, channels, outputs) = (step.inputCells, step.inputChannels, step.outputChannels)
    let d = dimension
    let scale = outputScale(step)
    let keyScale = 1 / Double(channels * d)
    let out = parameters + outputOffset(step)
    let outGradient = gradient + outputOffset(step)
    let biasGradient = gradient + biasOffset(step)
    for i in 0..<count {
      let image = x + i * step.inputSize
      let dOut = dy + i * step.outputSize
      let dImage = dx.map { $0 + i * step.inputSize }
      dImage?.update(repeating: 0, count: step.inputSize)
      for p in 0..<cells {
        for o in 0..<outputs { biasGradient[o] += biasStd * dOut[p * outputs + o] }
      }
      for h in 0..<heads {
        let (keys, weights, values, result) = head(step, h, image, parameters: parameters)
        // dW_out and dL/d(head output).
        var dHead = [Double](repeating: 0, count: cells * d)
        for p in 0..<cells {
          for j in 0..<d {
            let row = (h * d + j) * outputs
            var sum = 0.0
            for o in 0..<outputs {
              outGradient[row + o] += scale * result[p * d + j] * dOut[p * outputs + o]
              sum += dOut[p * outputs + o] * out[row + o]
            }
            dHead[p * d + j] = scale * sum
          }
        }
        // Through G V: dG = dHead V^T, dV = G^T dHead.
        var dValues = [Double](repeating: 0, count: cells * d)
        var dLogits = [Double](repeating: 0, count: cells * cells)
        for p in 0..<cells {
          var dWeights = [Double](repeating: 0, count: cells)
          for q in 0..<cells {
            var sum = 0.0
            for j in 0..<d {
              sum += dHead[p * d + j] * values[q * d + j]
              dValues[q * d + j] += weights[p * cells + q] * dHead[p * d + j]
            }
            dWeights[q] = sum
          }
          // Softmax: dA = G (dG - <dG, G>) row by row.
          var inner = 0.0
          for q in 0..<cells { inner += dWeights[q] * weights[p * cells + q] }
          for q in 0..<cells {
            dLogits[p * cells + q] = weights[p * cells + q] * (dWeights[q] - inner)
          }
        }
        // A = c K K^T: dK = c (dA + dA^T) K.
        var dKeys = [Double](repeating: 0, count: cells * d)
        for p in 0..<cells {
          for q in 0..<cells {
            let w = keyScale * (dLogits[p * cells + q] + dLogits[q * cells + p])
            for j in 0..<d { dKeys[p * d + j] += w * keys[q * d + j] }
          }
        }
        // K = X W_K and V = X W_V.
        let keyWeights = parameters + keyOffset(step, h)
        let valueWeights = parameters + valueOffset(step, h)
        let keyGradient = gradient + keyOffset(step, h)
        let valueGradient = gradient + valueOffset(step, h)
        for p in 0..<cells {
          for c in 0..<channels {
            let value = image[p * channels + c]
            var back = 0.0
            for j in 0..<d {
              keyGradient[c * d + j] += value * dKeys[p * d + j]
              valueGradient[c * d + j] += value * dValues[p * d + j]
              back +=
                dKeys[p * d + j] * keyWeights[c * d + j] + dValues[p * d + j]
                * valueWeights[c * d + j]
            }
            dImage?[p * channels + c] += back
          }
        }
      }
    }
  }
}
