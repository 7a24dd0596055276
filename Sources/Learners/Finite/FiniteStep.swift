import Symmetries

/// One layer of a finite network with its geometry and parameter slots resolved
/// (`LayerKind.finiteStep`), and its forward and backward passes on a chunk of images.
///
/// Features are stored image by image, cell by cell, channel by channel (NHWC; a vector is one
/// cell).
struct FiniteStep: Sendable {
  /// What the step computes.
  let operation: any FiniteOperation
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
  var parameterCount: Int { operation.parameterCount(self) }

  /// The largest scratch (patches) per image.
  var patchSize: Int { operation.patchSize(self) }

  /// A step that keeps the grid of `input` and its channels (a pointwise map).
  static func pointwise(_ operation: any FiniteOperation, on input: FiniteShape) -> FiniteStep {
    FiniteStep(
      operation: operation, inputCells: input.cells, inputChannels: input.channels,
      outputCells: input.cells, outputChannels: input.channels, outputHeight: input.height,
      outputWidth: input.width)
  }

  /// y = step(x) for `count` images; `patches` is scratch of `count * patchSize` values.
  func forward(
    _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int
  ) {
    operation.forward(
      self, x, count: count, parameters: parameters, patches: patches, into: y, threads: threads)
  }

  /// Given dL/dy, adds dL/dparameters into `gradient` and, when `dx` is non-nil, writes dL/dx.
  ///
  /// `x` is the step's input from the forward pass; `patches` and `patchGradient` are scratch of
  /// `count * patchSize` values each.
  func backward(
    _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int
  ) {
    operation.backward(
      self, dy, x: x, count: count, parameters: parameters, gradient: gradient, patches: patches,
      patchGradient: patchGradient, dx: dx, threads: threads)
  }
}

/// The finite pass of one layer kind on a step's geometry.
protocol FiniteOperation: Sendable {
  /// The number of parameters of `step`.
  func parameterCount(_ step: FiniteStep) -> Int
  /// The scratch (patches) per image of `step`.
  func patchSize(_ step: FiniteStep) -> Int
  /// y = step(x) for `count` images.
  func forward(
    _ step: FiniteStep, _ x: UnsafePointer<Double>, count: Int, parameters: UnsafePointer<Double>,
    patches: UnsafeMutablePointer<Double>, into y: UnsafeMutablePointer<Double>, threads: Int)
  /// dL/dparameters added into `gradient`, dL/dx written into `dx` when non-nil.
  func backward(
    _ step: FiniteStep, _ dy: UnsafePointer<Double>, x: UnsafePointer<Double>, count: Int,
    parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>,
    patches: UnsafeMutablePointer<Double>, patchGradient: UnsafeMutablePointer<Double>,
    dx: UnsafeMutablePointer<Double>?, threads: Int)
}

extension FiniteOperation {
  func parameterCount(_ step: FiniteStep) -> Int { 0 }
  func patchSize(_ step: FiniteStep) -> Int { 0 }
}
