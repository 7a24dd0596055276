import Symmetries

/// A validated program bound to one image shape: the steps as operations on a field of P
/// covariances, with the border handling turned into index tables.
///
/// Convolutions keep the pixel offset q - p fixed, so for each offset an affine step is a
/// separable box filter over p: S(p) <- b^2 + (W^2 / (fh fw)) sum over the filter window of K.
struct CompiledProgram: Sendable {
  /// One operation on a covariance field.
  enum Operation: Sendable {
    /// Box filter then scale and shift; see `BoxFilter`.
    case affine(BoxFilter)
    /// Element-wise kernel of the activation; `index` numbers the activations from 0.
    case activation(KernelProgram.Activation, index: Int)
  }

  let operations: [Operation]
  /// The box filters' index tables (see `BoxFilter`), copied into each thread's workspace.
  let taps: [Int]
  /// Feature-map height and width (1 x 1 for dense input).
  let height: Int
  let width: Int
  /// Values per pixel (H W C for dense input: the whole flattened image).
  let channels: Int
  let activationCount: Int
  /// Readout W^2 and b^2.
  let readoutWeightVariance: Double
  let readoutBiasVariance: Double
  /// Whether the readout averages over all pixel pairs (GAP) or only the diagonal.
  let pools: Bool
  /// Whether the input is the flattened image (the covariance comes from a Gram matrix).
  let isDense: Bool

  var pixelCount: Int { height * width }

  /// Validates `program` for images of `shape` (throws on what the fast engine cannot do).
  init(_ program: KernelProgram, shape: ImageShape) throws(KernelEngineError) {
    try KernelEngine.validate(program)
    let dense = program.input == .dense
    isDense = dense
    height = dense ? 1 : shape.height
    width = dense ? 1 : shape.width
    channels = dense ? shape.dimension : shape.channels
    var operations: [Operation] = []
    var taps: [Int] = []
    var activations = 0
    for (index, step) in program.steps.enumerated() {
      switch step {
      case .affine(let fh, let fw, let padding, let weightStd, let biasStd):
        if dense {
          guard fh == 1, fw == 1 else {
            throw .unsupported(
              "step \(index) has a \(fh) x \(fw) filter on dense input; dense layers take 1 x 1")
          }
        } else {
          if padding == .valid, fh > shape.height || fw > shape.width {
            throw .filterLargerThanImage(
              step: index, filterHeight: fh, filterWidth: fw, height: shape.height, width: shape.width)
          }
          guard padding == .circular else {
            throw .unsupported(
              "step \(index) uses \(padding) padding; the fast engine computes circular padding only")
          }
        }
        operations.append(
          .affine(
            BoxFilter(
              height: height, width: width, filterHeight: fh, filterWidth: fw,
              weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd, taps: &taps)))
      case .activation(let activation):
        operations.append(.activation(activation, index: activations))
        activations += 1
      }
    }
    self.operations = operations
    self.taps = taps
    activationCount = activations
    switch program.readout {
    case .flatten(let weightStd, let biasStd):
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = false
    case .globalAveragePool(let weightStd, let biasStd):
      guard !dense else {
        throw .unsupported("global average pooling needs spatial input; use a flatten readout")
      }
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = true
    }
  }

  /// The variance S_xx(p, p) of one image at the input of every activation, activation-major
  /// (`activationCount` x P), from the pixel-diagonal recursion of the image with itself.
  ///
  /// The diagonal needs only the diagonal: a box filter at offset 0 reads offset 0.
  /// - Complexity: O(P C + steps * P * filter size).
  func activationVariances(of image: UnsafeBufferPointer<Double>) -> [Double] {
    let pixels = pixelCount
    var field = [Double](repeating: 0, count: pixels)
    for p in 0..<pixels {
      var sum = 0.0
      for c in 0..<channels { sum += image[p * channels + c] * image[p * channels + c] }
      field[p] = sum / Double(channels)
    }
    var variances: [Double] = []
    variances.reserveCapacity(activationCount * pixels)
    for operation in operations {
      switch operation {
      case .affine(let filter):
        field = filter.apply(to: field, taps: taps)
      case .activation(let activation, _):
        variances.append(contentsOf: field)
        for p in 0..<pixels { field[p] = activation.diagonalKernel(variance: field[p]) }
      }
    }
    return variances
  }
}
