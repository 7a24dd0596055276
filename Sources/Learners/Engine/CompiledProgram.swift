import Symmetries

/// A validated program bound to one image shape: the steps as operations on a field of P
/// covariances, with the border handling turned into index tables.
///
/// Convolutions keep the pixel offset q - p fixed, so for each offset an affine step is a
/// separable box filter over p: S(p) <- b^2 + (W^2 / (fh fw)) sum over the filter window of K.
/// Fields keep the input image's layout (P = H W entries, row stride W) through every layer;
/// a grid shrunk by valid padding is the top-left corner of it.
struct CompiledProgram: Sendable {
  /// One operation on a covariance field.
  enum Operation: Sendable {
    /// Circular box filter then scale and shift; see `BoxFilter` (it carries its grids).
    case affine(BoxFilter)
    /// The same with a zero or valid padded (clipped) window.
    case clippedAffine(BoxFilter)
    /// Element-wise kernel of the activation on a `height` x `width` grid; `index` numbers the
    /// activations from 0.
    case activation(KernelProgram.Activation, index: Int, height: Int, width: Int)
  }

  let operations: [Operation]
  /// The box filters' index tables (see `BoxFilter`), copied into each thread's workspace.
  let taps: [Int]
  /// Input feature-map height and width (1 x 1 for dense input); `width` is also the row
  /// stride of every field.
  let height: Int
  let width: Int
  /// The grid the readout sees (smaller than the input's after valid padding).
  let finalHeight: Int
  let finalWidth: Int
  /// Values per pixel (H W C for dense input: the whole flattened image).
  let channels: Int
  let activationCount: Int
  /// Readout W^2 and b^2.
  let readoutWeightVariance: Double
  let readoutBiasVariance: Double
  /// Whether the readout averages over all pixel pairs (GAP) or only the diagonal.
  let pools: Bool
  /// Whether pixel offsets wrap around (every filter circular): a pooled readout then runs the
  /// H W periodic offsets, otherwise the (2 H' - 1)(2 W' - 1) offsets of the final grid with
  /// `OffsetMask` clearing the entries whose partner pixel is outside.
  let periodic: Bool
  /// Whether the input is the flattened image (the covariance comes from a Gram matrix).
  let isDense: Bool

  /// Entries of a field (the input grid).
  var pixelCount: Int { height * width }
  /// Pixels of the grid the readout sees.
  var finalPixelCount: Int { finalHeight * finalWidth }

  /// Validates `program` for images of `shape` (throws on what the fast engine cannot do); the
  /// program has no strided or pooling steps (`StagedProgram` splits at those).
  init(_ program: KernelProgram, shape: ImageShape) throws(KernelEngineError) {
    let dense = program.input == .dense
    try self.init(
      program, height: dense ? 1 : shape.height, width: dense ? 1 : shape.width,
      channels: dense ? shape.dimension : shape.channels, taps: [], firstStep: 0)
  }

  /// One stage of a `StagedProgram` on a `height` x `width` grid (`channels` 0 after the first
  /// stage, which alone reads images): its filters' index tables are appended to `existing`, so
  /// one table (this program's `taps`) serves every stage so far; errors number steps from
  /// `firstStep`, the stage's first step in the whole program.
  init(
    _ program: KernelProgram, height: Int, width: Int, channels: Int, taps existing: [Int],
    firstStep: Int
  ) throws(KernelEngineError) {
    try KernelEngine.validate(program)
    let dense = program.input == .dense
    isDense = dense
    self.height = height
    self.width = width
    self.channels = channels
    var operations: [Operation] = []
    var taps = existing
    var activations = 0
    var gridHeight = height
    var gridWidth = width
    var paddings = Set<KernelProgram.Padding>()
    for (index, step) in program.steps.enumerated() {
      switch step {
      case .affine(let fh, let fw, let padding, let weightStd, let biasStd):
        if dense {
          guard fh == 1, fw == 1 else {
            throw .unsupported(
              "step \(firstStep + index) has a \(fh) x \(fw) filter on dense input; dense layers take 1 x 1"
            )
          }
        } else {
          if padding == .valid, fh > gridHeight || fw > gridWidth {
            throw .filterLargerThanImage(
              step: firstStep + index, filterHeight: fh, filterWidth: fw, height: gridHeight,
              width: gridWidth)
          }
          paddings.insert(padding)
        }
        let filter = BoxFilter(
          inputHeight: gridHeight, inputWidth: gridWidth, stride: width, filterHeight: fh,
          filterWidth: fw, padding: dense ? .circular : padding,
          weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd, taps: &taps)
        gridHeight = filter.outputHeight
        gridWidth = filter.outputWidth
        operations.append(filter.wraps ? .affine(filter) : .clippedAffine(filter))
      case .activation(let activation):
        operations.append(
          .activation(activation, index: activations, height: gridHeight, width: gridWidth))
        activations += 1
      case .stridedAffine, .pool:
        preconditionFailure("internal: StagedProgram splits the program at step \(index)")
      }
    }
    self.operations = operations
    self.taps = taps
    activationCount = activations
    finalHeight = gridHeight
    finalWidth = gridWidth
    periodic = !paddings.contains(.same) && !paddings.contains(.valid)
    switch program.readout {
    case .flatten(let weightStd, let biasStd):
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = false
    case .globalAveragePool(let weightStd, let biasStd):
      guard !dense else {
        throw .unsupported("global average pooling needs spatial input; use a flatten readout")
      }
      // Periodic offsets and bounded offsets index pairs differently; one pooled recursion
      // cannot follow both.
      guard periodic || !paddings.contains(.circular) else {
        throw .unsupported(
          "a pooled readout after both circular and zero or valid padded layers; use one "
            + "border kind throughout")
      }
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = true
    }
  }

  /// The variance S_xx(p, p) of one image at the input of every activation, activation-major
  /// (`activationCount` x P, stride layout; entries outside an activation's grid are 0), from
  /// the pixel-diagonal recursion of the image with itself.
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
    return activationVariances(fromDiagonal: field)
  }

  /// The same from the stage's input variances S_xx(p, p) (`pixelCount` entries): a later
  /// stage of a `StagedProgram` starts from the pooled or strided pair tensor's diagonal.
  func activationVariances(fromDiagonal diagonal: [Double]) -> [Double] {
    let pixels = pixelCount
    var field = diagonal
    var variances: [Double] = []
    variances.reserveCapacity(activationCount * pixels)
    for operation in operations {
      switch operation {
      case .affine(let filter), .clippedAffine(let filter):
        field = filter.apply(to: field, taps: taps)
      case .activation(let activation, _, let gridHeight, let gridWidth):
        variances.append(contentsOf: field)
        for y in 0..<gridHeight {
          for x in 0..<gridWidth {
            field[y * width + x] = activation.diagonalKernel(variance: field[y * width + x])
          }
        }
      }
    }
    return variances
  }
}
