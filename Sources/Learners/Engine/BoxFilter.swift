/// One affine step at a fixed pixel offset: a separable circular box filter over p, scaled.
///
/// S'(p) = b^2 + (W^2 / (fh fw)) sum_{i < fh, j < fw} K(p + (i - lo_h, j - lo_w)) with indices
/// modulo H and W, and T'(p) = S'(p) + (W^2 / (fh fw)) sum (same window) T(p + ...). The window
/// starts lo = (f - 1) / 2 before p, as XLA's SAME padding splits f - 1 (the low side gets the
/// floor), which neural-tangents' circular padding reuses.
/// - Complexity: O(P (fh + fw)) per field.
struct BoxFilter: Sendable {
  let height: Int
  let width: Int
  let filterHeight: Int
  let filterWidth: Int
  /// W^2 / (fh fw): the mean over the window, times the weight variance.
  let scale: Double
  let biasVariance: Double
  /// Where this filter's index tables start in the program's `taps`:
  /// `taps[rowTaps + y * fh + i]` is the source row of tap i for output row y; likewise columns.
  /// Plain offsets keep the filter trivially copyable, so the pair loop never retains.
  let rowTaps: Int
  let columnTaps: Int

  /// A filter whose index tables are appended to `taps`.
  init(
    height: Int, width: Int, filterHeight: Int, filterWidth: Int,
    weightVariance: Double, biasVariance: Double, taps: inout [Int]
  ) {
    self.height = height
    self.width = width
    self.filterHeight = filterHeight
    self.filterWidth = filterWidth
    scale = weightVariance / Double(filterHeight * filterWidth)
    self.biasVariance = biasVariance
    rowTaps = taps.count
    taps += BoxFilter.taps(size: height, filter: filterHeight)
    columnTaps = taps.count
    taps += BoxFilter.taps(size: width, filter: filterWidth)
  }

  private static func taps(size: Int, filter: Int) -> [Int] {
    let low = (filter - 1) / 2
    var taps: [Int] = []
    for y in 0..<size {
      for i in 0..<filter {
        let source = (y + i - low) % size
        taps.append(source < 0 ? source + size : source)
      }
    }
    return taps
  }

  /// The scalar filter, used for the per-image variance recursion.
  func apply(to field: [Double], taps: [Int]) -> [Double] {
    var rowsSummed = [Double](repeating: 0, count: field.count)
    for y in 0..<height {
      for x in 0..<width {
        var sum = 0.0
        for j in 0..<filterWidth { sum += field[y * width + taps[columnTaps + x * filterWidth + j]] }
        rowsSummed[y * width + x] = sum
      }
    }
    var result = [Double](repeating: 0, count: field.count)
    for y in 0..<height {
      for x in 0..<width {
        var sum = 0.0
        for i in 0..<filterHeight { sum += rowsSummed[taps[rowTaps + y * filterHeight + i] * width + x] }
        result[y * width + x] = biasVariance + scale * sum
      }
    }
    return result
  }

  /// The lane filter: `covariance` <- b^2 + scale box(covariance), then `tangent` <-
  /// covariance + scale box(tangent) (or <- covariance when `hasTangent` is false, T' = 0).
  /// `scratch` holds P lanes; `taps` is the program's index table.
  @inline(__always)
  func apply(
    covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    hasTangent: Bool, scratch: UnsafeMutablePointer<Lanes>, taps: UnsafePointer<Int>
  ) {
    let rowTaps = taps + self.rowTaps
    let columnTaps = taps + self.columnTaps
    sumRows(covariance, into: scratch, columnTaps)
    sumColumns(scratch, rowTaps) { p, sum in covariance[p] = biasVariance + scale * sum }
    if hasTangent {
      sumRows(tangent, into: scratch, columnTaps)
      sumColumns(scratch, rowTaps) { p, sum in tangent[p] = covariance[p] + scale * sum }
    } else {
      tangent.update(from: covariance, count: height * width)
    }
  }

  @inline(__always)
  private func sumRows(
    _ source: UnsafeMutablePointer<Lanes>, into target: UnsafeMutablePointer<Lanes>,
    _ taps: UnsafePointer<Int>
  ) {
    for y in 0..<height {
      let row = source + y * width
      let out = target + y * width
      for x in 0..<width {
        var sum = row[taps[x * filterWidth]]
        for j in 1..<filterWidth { sum += row[taps[x * filterWidth + j]] }
        out[x] = sum
      }
    }
  }

  @inline(__always)
  private func sumColumns(
    _ source: UnsafeMutablePointer<Lanes>, _ taps: UnsafePointer<Int>,
    _ store: (Int, Lanes) -> Void
  ) {
    for y in 0..<height {
      let tapBase = y * filterHeight
      for x in 0..<width {
        var sum = source[taps[tapBase] * width + x]
        for i in 1..<filterHeight { sum += source[taps[tapBase + i] * width + x] }
        store(y * width + x, sum)
      }
    }
  }
}
