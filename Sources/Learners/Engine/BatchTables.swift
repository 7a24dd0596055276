import Symmetries

/// Per-image precomputations for a range of a batch, so the pair loop only multiplies.
///
/// Row side: the activation factors (u, v) of each image at each activation and pixel (see
/// `KernelProgram.Activation.factors`), image-major, u block then v block. Column side, in the
/// layout the readout's lanes need (see `ColumnLayout`): for a pooled readout each image's
/// channel planes and factor planes extended periodically in x to width 2W + 8; for a flatten
/// readout the range transposed to pixel-major, image-minor, padded to a multiple of 8 images.
/// - Complexity: O(count (P C + steps P filter)) time and O(count P (C + activations)) memory:
///   linear in n, never quadratic.
struct BatchTables {
  let range: Range<Int>
  let program: CompiledProgram
  /// `rowFactors[(i - lower) * 2A P + ...]`.
  let rowFactors: [Double]
  /// Column-side image data and factors (layout depends on the readout; empty for dense data).
  let columnData: [Double]
  let columnFactors: [Double]
  /// Padded column count (flatten layout) or extended plane width (pooled layout).
  let columnStride: Int

  var factorCount: Int { 2 * program.activationCount }

  init(_ batch: ImageBatch, range: Range<Int>, program: CompiledProgram) {
    self.range = range
    self.program = program
    let pixels = program.pixelCount
    let channels = program.channels
    let factorCount = 2 * program.activationCount
    let count = range.count
    var rowFactors = [Double](repeating: 0, count: count * factorCount * pixels)
    let activations = program.operations.compactMap { operation -> KernelProgram.Activation? in
      if case .activation(let activation, _) = operation { return activation }
      return nil
    }
    batch.values.withUnsafeBufferPointer { values in
      for (offset, image) in range.enumerated() {
        let start = image * pixels * channels
        let variances = program.activationVariances(
          of: UnsafeBufferPointer(rebasing: values[start..<(start + pixels * channels)]))
        for (a, activation) in activations.enumerated() {
          for p in 0..<pixels {
            let (u, v) = activation.factors(variance: variances[a * pixels + p])
            rowFactors[(offset * factorCount + a) * pixels + p] = u
            rowFactors[(offset * factorCount + program.activationCount + a) * pixels + p] = v
          }
        }
      }
    }
    self.rowFactors = rowFactors
    if program.pools {
      // Planes of width 2W + 8: x + dx0 + k <= (W - 1) + (W - 1) + 7 for every lane.
      let width = program.width
      let height = program.height
      let extended = 2 * width + laneCount
      columnStride = extended
      var data = [Double](repeating: 0, count: count * channels * height * extended)
      var factors = [Double](repeating: 0, count: count * factorCount * height * extended)
      for (offset, image) in range.enumerated() {
        for y in 0..<height {
          for e in 0..<extended {
            let x = e % width
            for c in 0..<channels {
              data[((offset * channels + c) * height + y) * extended + e] =
                batch.values[((image * height + y) * width + x) * channels + c]
            }
            for f in 0..<factorCount {
              factors[((offset * factorCount + f) * height + y) * extended + e] =
                rowFactors[(offset * factorCount + f) * pixels + y * width + x]
            }
          }
        }
      }
      columnData = data
      columnFactors = factors
    } else {
      // Padding images have zero data and zero factors: finite lanes whose results are dropped.
      let padded = (count + laneCount - 1) / laneCount * laneCount
      columnStride = padded
      var factors = [Double](repeating: 0, count: factorCount * pixels * padded)
      for offset in 0..<count {
        for f in 0..<factorCount {
          for p in 0..<pixels {
            factors[(f * pixels + p) * padded + offset] = rowFactors[(offset * factorCount + f) * pixels + p]
          }
        }
      }
      columnFactors = factors
      if program.isDense {
        // Dense input reads its covariance from the Gram matrix instead.
        columnData = []
      } else {
        var data = [Double](repeating: 0, count: pixels * channels * padded)
        for (offset, image) in range.enumerated() {
          for pc in 0..<(pixels * channels) {
            data[pc * padded + offset] = batch.values[image * pixels * channels + pc]
          }
        }
        columnData = data
      }
    }
  }

  /// The row factors of image `image` (an index into the batch).
  @inline(__always)
  func rowFactorOffset(_ image: Int) -> Int {
    (image - range.lowerBound) * factorCount * program.pixelCount
  }
}
