import Foundation
import Symmetries

/// Layer normalisation without learned scale or shift, as neural-tangents' `LayerNorm`:
/// `layernorm` normalises each pixel over its channels (`axis=-1`), `layernorm(all)` each image
/// over all its pixels and channels (`axis=(1, 2, 3)`). On a vector both normalise its
/// coordinates.
///
/// Finite: y = (x - mean) / sqrt(eps + var) over each group (a pixel's channels, or the whole
/// image), var the biased variance, eps = 1e-12. Kernel: over infinitely many channels the
/// group mean of centred features vanishes and the group variance becomes the image's own
/// S_xx(p, p) (per pixel) or its mean over the pixels (all), so with v1, v2 those variances of
/// the two images,
///
///     S(p, q) = K(p, q) / sqrt((eps + v1) (eps + v2)),    T(p, q) = T'(p, q) / sqrt((eps + v1) (eps + v2)).
///
/// This needs centred features (a conv, local or dense layer before it, possibly through odd
/// activations, other normalisations or residual blocks): the mean of relu(z) over channels does
/// not vanish, and neural-tangents refuses a non-Gaussian input. `Architecture` checks it
/// (`outputCentred`).
///
/// Symmetry: the normaliser of a pixel (or image) is its own channel vector's mean and norm, so
/// the layer commutes with every pixel map and channel permutation, and its kernel acts on each
/// pixel pair with the two images' own variances: it keeps whichever pairs its input keeps, as an
/// activation does. A channel rotation that no layer absorbed changes the mean, and an orthogonal
/// map of the flattened image changes the groups.
///
/// Reference: J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer normalization", 2016; neural-tangents
/// `stax/linear.py`, `LayerNorm`.
struct LayerNorm: LayerKind {
  /// Whether to normalise over the whole image rather than each pixel's channels.
  let overAll: Bool

  /// The variance floor, as neural-tangents' default.
  static let epsilon = 1e-12

  // MARK: - Syntax

  static let names = ["layernorm"]
  static let syntax = [
    "layernorm, layernorm(all)     normalise each pixel over its channels, or the whole image"
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> LayerNorm
  {
    LayerNorm(overAll: arguments.flag("all"))
  }

  var description: String { overAll ? "layernorm(all)" : "layernorm" }
  var shortName: String { description }

  // MARK: - Shape

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    stage
  }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { grid }

  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    guard inputCentred else {
      throw .uncentredNormalisation(layer: position, description: description)
    }
    return true
  }

  // MARK: - Kernel

  func kernelStep(on grid: Grid) -> any KernelStep { LayerNormKernelStep(overAll: overAll) }

  // MARK: - Finite

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    .pointwise(
      LayerNormOperation(groupSize: overAll ? input.cells * input.channels : input.channels),
      on: input)
  }

  // MARK: - Symmetry

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    switch state {
    case .broken:
      return state
    case .flattened:
      return broken(
        at: position,
        "it normalises groups of coordinates by their mean and norm, which an orthogonal map of the flattened image mixes"
      )
    case .pixels(_, let channels, _), .vector(let channels):
      if channels.permutesCoordinates { return state }
      return broken(
        at: position,
        "\(channels) changes the mean over channels it subtracts, and no earlier layer absorbed it")
    }
  }
}

/// S(p, q) and T(p, q) divided by sqrt((eps + v1) (eps + v2)), the two images' variances at p and
/// q (or their means over the grid).
struct LayerNormKernelStep: KernelStep {
  let overAll: Bool

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    var (varianceA, varianceB) = variances.variances(state)
    let cells = state.cells
    let epsilon = LayerNorm.epsilon
    if overAll {
      let meanA = varianceA.reduce(0, +) / Double(cells)
      let meanB = varianceB.reduce(0, +) / Double(cells)
      varianceA = Array(repeating: meanA, count: cells)
      varianceB = Array(repeating: meanB, count: cells)
    }
    let (s, t) = (state.s, state.t)
    for p in 0..<cells {
      for q in (state.allPairs ? 0..<cells : p..<(p + 1)) {
        let index = state.index(p, q)
        let scale = 1 / ((epsilon + varianceA[p]) * (epsilon + varianceB[q])).squareRoot()
        s[index] *= scale
        t[index] *= scale
      }
    }
  }
}

/// y = (x - mean) / sqrt(eps + var) over consecutive groups of `groupSize` values; the adjoint
/// dL/dx = (dL/dy - mean(dL/dy) - y mean(dL/dy y)) / sqrt(eps + var).
struct LayerNormOperation: FiniteOperation {
  let groupSize: Int

  /// The mean and 1 / sqrt(eps + var) of one group.
  private func moments(_ x: UnsafePointer<Double>) -> (mean: Double, inverseDeviation: Double) {
    var sum = 0.0
    for i in 0..<groupSize { sum += x[i] }
    let mean = sum / Double(groupSize)
    var squares = 0.0
    for i in 0..<groupSize { squares += (x[i] - mean) * (x[i] - mean) }
    return (mean, 1 / (LayerNorm.epsilon + squares / Double(groupSize)).squareRoot())
  }

  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    for start in stride(from: 0, to: count * step.inputSize, by: groupSize) {
      let (mean, inverse) = moments(x + start)
      for i in start..<(start + groupSize) { y[i] = (x[i] - mean) * inverse }
    }
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    guard let dx else { return }
    let size = Double(groupSize)
    for start in stride(from: 0, to: count * step.inputSize, by: groupSize) {
      let (mean, inverse) = moments(x + start)
      var meanGradient = 0.0
      var meanProjection = 0.0
      for i in start..<(start + groupSize) {
        meanGradient += dy[i]
        meanProjection += dy[i] * (x[i] - mean) * inverse
      }
      meanGradient /= size
      meanProjection /= size
      for i in start..<(start + groupSize) {
        dx[i] = (dy[i] - meanGradient - (x[i] - mean) * inverse * meanProjection) * inverse
      }
    }
  }
}

/// Weight transport moves a coordinate permutation through a normalisation unchanged, as through
/// an activation.
extension LayerNormOperation: PointwiseFiniteOperation {}
