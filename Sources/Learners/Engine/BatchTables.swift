import Symmetries

/// Per-image precomputations for a range of a batch, so the pair loop only multiplies.
///
/// Row side: the activation factors (u, v) of each image at each activation and pixel (see
/// `KernelProgram.Activation.factors`), image-major, u block then v block. Column side, in the
/// layout the readout's lanes need (see `ColumnLayout`): for a pooled readout each image's
/// channel planes and factor planes extended periodically in x to width 2W + 8 (circular
/// padding) or bordered by zeros to 3H x (3W + 8) (zero or valid padding); for a flatten
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
  /// Rows of one pooled-layout plane (H periodic, 3H zero-bordered; 0 for the flatten layout).
  let planeRows: Int
  /// Where image pixel (0, 0) sits in a pooled-layout plane: (0, 0) periodic, (H, W) bordered.
  let rowOrigin: Int
  let columnOrigin: Int

  var factorCount: Int { 2 * program.activationCount }

  /// Tables of `range` of `batch` for `program`; `variances[i]`, when given, are image
  /// `range.lowerBound + i`'s variances at the program's activations (a later stage of a
  /// `StagedProgram`, whose variances come from the stages before it), otherwise they follow
  /// from the image (`CompiledProgram.activationVariances(of:)`). The images' row factors are
  /// computed on `threads` threads (each image's by one thread: the bits do not depend on it).
  init(
    _ batch: ImageBatch, range: Range<Int>, program: CompiledProgram,
    variances given: [[Double]]? = nil, threads: Int = 1
  ) {
    self.range = range
    self.program = program
    let pixels = program.pixelCount
    let channels = program.channels
    let factorCount = 2 * program.activationCount
    let count = range.count
    var rowFactors = [Double](repeating: 0, count: count * factorCount * pixels)
    // Each activation's grid (smaller than the image after valid padding); factors off it stay
    // zero, so a partner pixel off the grid contributes K = 0.
    let activations = program.operations.compactMap {
      operation -> (KernelProgram.Activation, height: Int, width: Int)? in
      if case .activation(let activation, _, let height, let width) = operation {
        return (activation, height, width)
      }
      return nil
    }
    batch.values.withUnsafeBufferPointer { values in
      rowFactors.withUnsafeMutableBufferPointer { rowFactors in
        // Each image writes its own block; one thread when there is too little to share.
        ParallelItems.run(count: count, threads: count >= 32 ? threads : 1, pixels: 0) {
          _, offset in
          let start = (range.lowerBound + offset) * pixels * channels
          let variances =
            given?[offset]
            ?? program.activationVariances(
              of: UnsafeBufferPointer(rebasing: values[start..<(start + pixels * channels)]))
          for (a, (activation, gridHeight, gridWidth)) in activations.enumerated() {
            for y in 0..<gridHeight {
              for x in 0..<gridWidth {
                let p = y * program.width + x
                let (u, v) = activation.factors(variance: variances[a * pixels + p])
                rowFactors[(offset * factorCount + a) * pixels + p] = u
                rowFactors[(offset * factorCount + program.activationCount + a) * pixels + p] = v
              }
            }
          }
        }
      }
    }
    self.rowFactors = rowFactors
    if program.pools {
      let width = program.width
      let height = program.height
      let extended: Int
      let rows: Int
      let origin: (row: Int, column: Int)
      if program.periodic {
        // Planes of width 2W + 8, extended periodically: x + dx0 + k <= (W - 1) + (W - 1) + 7.
        extended = 2 * width + laneCount
        rows = height
        origin = (0, 0)
      } else {
        // Planes with zeros around the image: H rows above and below, W columns to the left and
        // 2W + 8 to the right, so y + dy in [-(H - 1), 2H - 2] and x + dx0 + k in
        // [-(W - 1), 2W + 5] (the offset groups end before dx0 = W) stay inside.
        extended = 3 * width + laneCount
        rows = 3 * height
        origin = (height, width)
      }
      columnStride = extended
      planeRows = rows
      rowOrigin = origin.row
      columnOrigin = origin.column
      let planeSize = rows * extended
      var data = [Double](repeating: 0, count: count * channels * planeSize)
      var factors = [Double](repeating: 0, count: count * factorCount * planeSize)
      for (offset, image) in range.enumerated() {
        for y in 0..<height {
          for e in 0..<(program.periodic ? extended : width) {
            let x = e % width
            let target = (origin.row + y) * extended + origin.column + e
            for c in 0..<channels {
              data[(offset * channels + c) * planeSize + target] =
                batch.values[((image * height + y) * width + x) * channels + c]
            }
            for f in 0..<factorCount {
              factors[(offset * factorCount + f) * planeSize + target] =
                rowFactors[(offset * factorCount + f) * pixels + y * width + x]
            }
          }
        }
      }
      columnData = data
      columnFactors = factors
    } else {
      planeRows = 0
      rowOrigin = 0
      columnOrigin = 0
      // Padding images have zero data and zero factors: finite lanes whose results are dropped.
      let padded = (count + laneCount - 1) / laneCount * laneCount
      columnStride = padded
      columnFactors = rowFactors.withUnsafeBufferPointer { source in
        Self.transposed(source, images: count, entries: factorCount * pixels, padded: padded)
      }
      if program.isDense {
        // Dense input reads its covariance from the Gram matrix instead.
        columnData = []
      } else {
        columnData = batch.values.withUnsafeBufferPointer { values in
          let image = pixels * channels
          return Self.transposed(
            UnsafeBufferPointer(
              rebasing: values[(range.lowerBound * image)..<(range.upperBound * image)]),
            images: count, entries: image, padded: padded)
        }
      }
    }
  }

  /// `source`'s `images` rows of `entries` doubles transposed to `entries` rows of `padded`
  /// (image-minor), the padding lanes zero: a copy, so the bits do not depend on its order.
  /// Eight images at a time, so each cache line written is filled by one pass over 8 rows.
  private static func transposed(
    _ source: UnsafeBufferPointer<Double>, images: Int, entries: Int, padded: Int
  ) -> [Double] {
    guard entries * padded > 0 else { return [] }
    return [Double](unsafeUninitializedCapacity: entries * padded) { target, initialised in
      let target = target.baseAddress!
      for first in stride(from: 0, to: padded, by: laneCount) {
        let valid = min(laneCount, images - first)
        for e in 0..<entries {
          var lanes = Lanes(repeating: 0)
          for lane in 0..<valid { lanes[lane] = source[(first + lane) * entries + e] }
          (target + e * padded + first).storeLanes(lanes)
        }
      }
      initialised = entries * padded
    }
  }

  /// The row factors of image `image` (an index into the batch).
  @inline(__always)
  func rowFactorOffset(_ image: Int) -> Int {
    (image - range.lowerBound) * factorCount * program.pixelCount
  }
}
