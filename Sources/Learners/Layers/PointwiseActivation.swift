import Symmetries

/// A pointwise nonlinearity phi: what every activation layer shares, so that an activation is
/// one small file with its name, its values and its Gaussian dual.
///
/// For a centred Gaussian pair (u, v) with variances v1 = S_xx(p, p), v2 = S_x'x'(q, q) and
/// covariance s = S(p, q), the dual gives K = E[phi(u) phi(v)] and Kdot = E[phi'(u) phi'(v)];
/// the layer maps the NNGP S to K and the NTK T to Kdot * T at every pixel pair. The finite
/// layer applies phi to every coordinate, and its adjoint multiplies by phi'.
///
/// Symmetry: phi acts on each coordinate, so it commutes with every pixel map and every
/// coordinate permutation, and its dual acts on each pixel pair (S(p, q), S(p, p), S(q, q))
/// separately, so it keeps whichever pairs its input keeps. It does not commute with a rotation
/// of coordinates, nor with a map mixing pixels, that no earlier layer absorbed.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/elementwise.py`.
protocol PointwiseActivation: LayerKind {
  /// (K, Kdot) at covariance `s` and variances `v1`, `v2`; finite for finite inputs.
  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  /// phi(x).
  func value(_ x: Double) -> Double
  /// phi'(x) (the derivative JAX uses where phi has a kink).
  func derivative(_ x: Double) -> Double
  /// y[i] = phi(x[i]) for i < count.
  ///
  /// A requirement, not only an extension method, so that each activation's witness is the
  /// loop specialised for it: the finite pass reaches the activation through `any
  /// FiniteOperation`, where a generic loop would call `value` through the witness table once
  /// per coordinate (measured: the training bench 15% slower).
  func applyValues(_ x: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<Double>)
  /// dx[i] = dy[i] * phi'(x[i]) for i < count (specialised per activation, as `applyValues`).
  func applyDerivatives(
    _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    into dx: UnsafeMutablePointer<Double>)
}

extension PointwiseActivation {
  func applyValues(_ x: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<Double>) {
    for i in 0..<count { y[i] = value(x[i]) }
  }

  func applyDerivatives(
    _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    into dx: UnsafeMutablePointer<Double>
  ) {
    for i in 0..<count { dx[i] = dy[i] * derivative(x[i]) }
  }

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    stage
  }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { grid }

  func kernelStep(on grid: Grid) -> any KernelStep { PointwiseKernelStep(activation: self) }

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    .pointwise(PointwiseOperation(activation: self), on: input)
  }

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    switch state {
    case .broken:
      return state
    case .flattened:
      return broken(
        at: position, "it acts pixel by pixel, which an orthogonal map of the flattened image mixes"
      )
    case .pixels(_, let channels, _), .vector(let channels):
      if channels.permutesCoordinates { return state }
      return broken(
        at: position,
        "\(channels) does not commute with the activation, and no earlier layer absorbed it")
    }
  }
}

/// K = E[phi(u) phi(v)], T = Kdot * T, with the variances of the two images per cell.
struct PointwiseKernelStep<Activation: PointwiseActivation>: KernelStep {
  let activation: Activation

  func apply(_ state: inout PairState, variances: inout VarianceCursor) {
    let (varianceA, varianceB) = variances.variances(state)
    let cells = state.cells
    let (s, t) = (state.s, state.t)
    if state.allPairs {
      for p in 0..<cells {
        for q in 0..<cells {
          let index = p * cells + q
          let dual = activation.dual(
            covariance: s[index], variance1: varianceA[p], variance2: varianceB[q])
          s[index] = dual.value
          t[index] *= dual.derivative
        }
      }
    } else {
      for p in 0..<cells {
        let dual = activation.dual(
          covariance: s[p], variance1: varianceA[p], variance2: varianceB[p])
        s[p] = dual.value
        t[p] *= dual.derivative
      }
    }
  }
}

/// phi on every coordinate; the adjoint dL/dx = dL/dy * phi'(x).
struct PointwiseOperation<Activation: PointwiseActivation>: FiniteOperation {
  let activation: Activation

  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    activation.applyValues(x, count: count * step.inputSize, into: y)
  }

  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    guard let dx else { return }
    activation.applyDerivatives(dy, x: x, count: count * step.inputSize, into: dx)
  }
}

/// Marks the finite pass of a pointwise layer, which weight transport moves through unchanged
/// when the pending action permutes coordinates.
protocol PointwiseFiniteOperation {}
extension PointwiseOperation: PointwiseFiniteOperation {}
