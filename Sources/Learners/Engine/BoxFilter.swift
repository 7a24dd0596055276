/// One affine step at a fixed pixel offset: a separable box filter over p, scaled.
///
/// S'(p) = b^2 + (W^2 / (fh fw)) sum_{i < fh, j < fw} K(p + (i - lo_h, j - lo_w)), and T'(p) =
/// S'(p) + (W^2 / (fh fw)) sum (same window) T(p + ...), for every p of the output grid. The
/// divisor is always the full fh fw (padded zeros count in the fan-in, as in neural-tangents).
/// Per padding (see `KernelProgram.Padding`):
///
/// - circular: lo = (f - 1) / 2, indices modulo the grid size; the output grid is the input's.
///   The window starts lo before p, as XLA's SAME padding splits f - 1 (the low side gets the
///   floor), which neural-tangents' circular padding reuses.
/// - same: the same window, and a tap outside the grid reads zero, so the window is the
///   contiguous range [p - lo, p - lo + f) clipped to the grid; the output grid is the input's.
/// - valid: lo = 0 and the output grid shrinks by f - 1, so the window [p, p + f) never leaves
///   the input grid.
///
/// In relative coordinates (field over p at a fixed offset d = q - p) the same holds for a pair
/// field, provided the entries whose partner pixel p + d lies outside the grid are zero before
/// the filter reads them (`OffsetMask`): then "p + t and p + t + d both inside" is exactly
/// "p + t inside and its entry nonzero".
///
/// Fields are stored row-major with a fixed row stride (the input image's width), so a grid
/// that shrinks under valid padding occupies the top-left corner of the same buffer.
/// - Complexity: O(P (fh + fw)) per field.
struct BoxFilter: Sendable {
  /// The grid the filter reads.
  let inputHeight: Int
  let inputWidth: Int
  /// The grid it writes (the input's except under valid padding).
  let outputHeight: Int
  let outputWidth: Int
  /// Distance between rows in the field buffer.
  let stride: Int
  let filterHeight: Int
  let filterWidth: Int
  /// Whether indices wrap (circular) or the window is a clipped contiguous range (same, valid).
  let wraps: Bool
  /// W^2 / (fh fw): the mean over the window, times the weight variance.
  let scale: Double
  let biasVariance: Double
  /// Where this filter's index tables start in the program's `taps`. Circular:
  /// `taps[rowTaps + y * fh + i]` is the source row of tap i for output row y. Same and valid:
  /// `taps[rowTaps + 2 y]` and `taps[rowTaps + 2 y + 1]` are the first and the past-the-end
  /// source row. Likewise columns. Plain offsets keep the filter trivially copyable, so the
  /// pair loop never retains.
  let rowTaps: Int
  let columnTaps: Int

  /// A filter on an `inputHeight` x `inputWidth` grid (valid padding needs filters that fit)
  /// whose index tables are appended to `taps`.
  init(
    inputHeight: Int, inputWidth: Int, stride: Int, filterHeight: Int, filterWidth: Int,
    padding: KernelProgram.Padding, weightVariance: Double, biasVariance: Double,
    taps: inout [Int]
  ) {
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    outputHeight = padding == .valid ? inputHeight - filterHeight + 1 : inputHeight
    outputWidth = padding == .valid ? inputWidth - filterWidth + 1 : inputWidth
    self.stride = stride
    self.filterHeight = filterHeight
    self.filterWidth = filterWidth
    wraps = padding == .circular
    scale = weightVariance / Double(filterHeight * filterWidth)
    self.biasVariance = biasVariance
    rowTaps = taps.count
    taps += BoxFilter.taps(size: inputHeight, filter: filterHeight, padding: padding)
    columnTaps = taps.count
    taps += BoxFilter.taps(size: inputWidth, filter: filterWidth, padding: padding)
  }

  private static func taps(size: Int, filter: Int, padding: KernelProgram.Padding) -> [Int] {
    var taps: [Int] = []
    switch padding {
    case .circular:
      let low = (filter - 1) / 2
      for y in 0..<size {
        for i in 0..<filter {
          let source = (y + i - low) % size
          taps.append(source < 0 ? source + size : source)
        }
      }
    case .same:
      let low = (filter - 1) / 2
      for y in 0..<size {
        taps.append(max(0, y - low))
        taps.append(min(size, y - low + filter))
      }
    case .valid:
      for y in 0..<(size - filter + 1) {
        taps.append(y)
        taps.append(y + filter)
      }
    }
    return taps
  }

  /// The scalar filter, used for the per-image variance recursion; `field` has the stride
  /// layout and the result is written on the output grid (the rest of the buffer is zero).
  func apply(to field: [Double], taps: [Int]) -> [Double] {
    var rowsSummed = [Double](repeating: 0, count: field.count)
    var result = [Double](repeating: 0, count: field.count)
    if wraps {
      for y in 0..<inputHeight {
        for x in 0..<outputWidth {
          var sum = 0.0
          for j in 0..<filterWidth {
            sum += field[y * stride + taps[columnTaps + x * filterWidth + j]]
          }
          rowsSummed[y * stride + x] = sum
        }
      }
      for y in 0..<outputHeight {
        for x in 0..<outputWidth {
          var sum = 0.0
          for i in 0..<filterHeight {
            sum += rowsSummed[taps[rowTaps + y * filterHeight + i] * stride + x]
          }
          result[y * stride + x] = biasVariance + scale * sum
        }
      }
    } else {
      for y in 0..<inputHeight {
        for x in 0..<outputWidth {
          var sum = 0.0
          for j in taps[columnTaps + 2 * x]..<taps[columnTaps + 2 * x + 1] {
            sum += field[y * stride + j]
          }
          rowsSummed[y * stride + x] = sum
        }
      }
      for y in 0..<outputHeight {
        for x in 0..<outputWidth {
          var sum = 0.0
          for i in taps[rowTaps + 2 * y]..<taps[rowTaps + 2 * y + 1] {
            sum += rowsSummed[i * stride + x]
          }
          result[y * stride + x] = biasVariance + scale * sum
        }
      }
    }
    return result
  }

  /// The lane filter: `covariance` <- b^2 + scale box(covariance), then `tangent` <-
  /// covariance + scale box(tangent) (or <- covariance when `hasTangent` is false, T' = 0).
  /// `scratch` holds P lanes; `taps` is the program's index table. Circular filters only
  /// (`wraps`); `applyClipped` is the same for zero and valid padding. Two entry points rather
  /// than a branch inside keep the circular pair loop exactly as small as it was.
  @inline(__always)
  func applyCircular(
    covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    hasTangent: Bool, scratch: UnsafeMutablePointer<Lanes>, taps: UnsafePointer<Int>
  ) {
    let rowTaps = taps + self.rowTaps
    let columnTaps = taps + self.columnTaps
    sumRows(covariance, into: scratch, columnTaps)
    if hasTangent {
      sumColumns(scratch, rowTaps) { p, sum in covariance[p] = biasVariance + scale * sum }
      sumRows(tangent, into: scratch, columnTaps)
      sumColumns(scratch, rowTaps) { p, sum in tangent[p] = covariance[p] + scale * sum }
    } else {
      // T' = S': stored beside S' rather than copied after it (a separate copy of the
      // field was a tenth of the pooled pair loop's time).
      sumColumns(scratch, rowTaps) { p, sum in
        let value = biasVariance + scale * sum
        covariance[p] = value
        tangent[p] = value
      }
    }
  }

  /// `applyCircular` for zero and valid padding (clipped contiguous windows).
  @inline(__always)
  func applyClipped(
    covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    hasTangent: Bool, scratch: UnsafeMutablePointer<Lanes>, taps: UnsafePointer<Int>
  ) {
    let rowRanges = taps + rowTaps
    let columnRanges = taps + columnTaps
    sumRowRanges(covariance, into: scratch, columnRanges)
    if hasTangent {
      sumColumnRanges(scratch, rowRanges) { p, sum in covariance[p] = biasVariance + scale * sum }
      sumRowRanges(tangent, into: scratch, columnRanges)
      sumColumnRanges(scratch, rowRanges) { p, sum in tangent[p] = covariance[p] + scale * sum }
    } else {
      // T' = S': stored beside S' rather than copied after it (a separate copy of the
      // field was a tenth of the pooled pair loop's time).
      sumColumnRanges(scratch, rowRanges) { p, sum in
        let value = biasVariance + scale * sum
        covariance[p] = value
        tangent[p] = value
      }
    }
  }

  // MARK: - Circular

  @inline(__always)
  private func sumRows(
    _ source: UnsafeMutablePointer<Lanes>, into target: UnsafeMutablePointer<Lanes>,
    _ taps: UnsafePointer<Int>
  ) {
    // The 3-tap window written out: the same additions in the same order as the loop, without
    // its counter (the loop's increment and compare were a tenth of the pair loop's samples).
    if filterWidth == 3 {
      for y in 0..<inputHeight {
        let row = source + y * stride
        let out = target + y * stride
        for x in 0..<outputWidth {
          var sum = row[taps[3 * x]]
          sum += row[taps[3 * x + 1]]
          sum += row[taps[3 * x + 2]]
          out[x] = sum
        }
      }
      return
    }
    for y in 0..<inputHeight {
      let row = source + y * stride
      let out = target + y * stride
      for x in 0..<outputWidth {
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
    if filterHeight == 3 {
      for y in 0..<outputHeight {
        let first = source + taps[3 * y] * stride
        let second = source + taps[3 * y + 1] * stride
        let third = source + taps[3 * y + 2] * stride
        for x in 0..<outputWidth {
          var sum = first[x]
          sum += second[x]
          sum += third[x]
          store(y * stride + x, sum)
        }
      }
      return
    }
    for y in 0..<outputHeight {
      let tapBase = y * filterHeight
      for x in 0..<outputWidth {
        var sum = source[taps[tapBase] * stride + x]
        for i in 1..<filterHeight { sum += source[taps[tapBase + i] * stride + x] }
        store(y * stride + x, sum)
      }
    }
  }

  // MARK: - Same and valid (contiguous clipped windows)

  @inline(__always)
  private func sumRowRanges(
    _ source: UnsafeMutablePointer<Lanes>, into target: UnsafeMutablePointer<Lanes>,
    _ ranges: UnsafePointer<Int>
  ) {
    for y in 0..<inputHeight {
      let row = source + y * stride
      let out = target + y * stride
      for x in 0..<outputWidth {
        let first = ranges[2 * x]
        let end = ranges[2 * x + 1]
        var sum = row[first]
        for j in (first + 1)..<end { sum += row[j] }
        out[x] = sum
      }
    }
  }

  @inline(__always)
  private func sumColumnRanges(
    _ source: UnsafeMutablePointer<Lanes>, _ ranges: UnsafePointer<Int>,
    _ store: (Int, Lanes) -> Void
  ) {
    for y in 0..<outputHeight {
      let first = ranges[2 * y]
      let end = ranges[2 * y + 1]
      for x in 0..<outputWidth {
        var sum = source[first * stride + x]
        for i in (first + 1)..<end { sum += source[i * stride + x] }
        store(y * stride + x, sum)
      }
    }
  }
}
