/// Which input cell each output cell of an affine or pooling layer reads at each window tap.
///
/// Cells are pixels in row-major order. With stride s, tap j = dy * k + dx of output pixel (y, x)
/// reads input pixel (s y + dy - lo_H, s x + dx - lo_W): for `valid` lo = 0 and the output is
/// floor((H - k) / s) + 1 rows; for `same` (-1, a padded zero, when it leaves the image) and
/// `circular` (indices modulo H, W) the output is ceil(H / s) rows and lo_H = floor(P_H / 2) of
/// the total padding P_H = max((ceil(H / s) - 1) s + k - H, 0), as `lax.padtype_to_pads(...,
/// "SAME")` pads (neural-tangents wraps that padding for `CIRCULAR`). At stride 1, lo =
/// (k - 1) / 2. A dense layer is one tap on a one-cell grid. See `Padding` for the conventions.
struct TapTable: Sendable {
  /// Input grid cells.
  let inputCells: Int
  /// Output grid height.
  let outputHeight: Int
  /// Output grid width.
  let outputWidth: Int
  /// Taps per output cell, k^2.
  let tapCount: Int
  /// `taps[o * tapCount + j]`: the input cell read by output cell o at tap j, or -1.
  let taps: [Int]

  /// Output grid cells.
  var outputCells: Int { outputHeight * outputWidth }

  /// The one tap of a dense layer on a vector.
  static let vector = TapTable(
    inputCells: 1, outputHeight: 1, outputWidth: 1, tapCount: 1, taps: [0])

  private init(inputCells: Int, outputHeight: Int, outputWidth: Int, tapCount: Int, taps: [Int]) {
    self.inputCells = inputCells
    self.outputHeight = outputHeight
    self.outputWidth = outputWidth
    self.tapCount = tapCount
    self.taps = taps
  }

  /// The table of an affine layer on a height x width grid: `vector` for a dense layer, nil when
  /// its filter does not fit (`valid` padding on a smaller grid).
  init?(_ affine: AffineLayer, height: Int, width: Int) {
    if affine.sharing == .none {
      self = .vector
    } else {
      self.init(
        filterSize: affine.filterSize, stride: affine.stride, padding: affine.padding,
        height: height, width: width)
    }
  }

  /// The taps of a k x k window moved by `stride` with `padding` on an H x W grid; nil when
  /// `valid` leaves no output pixel.
  /// - Complexity: O(H W k^2 / s^2).
  init?(filterSize k: Int, stride s: Int = 1, padding: Padding, height: Int, width: Int) {
    precondition(k >= 1 && s >= 1 && height >= 1 && width >= 1, "internal: validated geometry")
    let (outputHeight, lowHeight) = Self.axis(size: height, window: k, stride: s, padding: padding)
    let (outputWidth, lowWidth) = Self.axis(size: width, window: k, stride: s, padding: padding)
    guard outputHeight >= 1, outputWidth >= 1 else { return nil }
    var taps: [Int] = []
    taps.reserveCapacity(outputHeight * outputWidth * k * k)
    for y in 0..<outputHeight {
      for x in 0..<outputWidth {
        for dy in 0..<k {
          for dx in 0..<k {
            var row = s * y + dy - lowHeight
            var column = s * x + dx - lowWidth
            switch padding {
            case .circular:
              row = ((row % height) + height) % height
              column = ((column % width) + width) % width
            case .same, .valid:
              guard row >= 0, row < height, column >= 0, column < width else {
                taps.append(-1)
                continue
              }
            }
            taps.append(row * width + column)
          }
        }
      }
    }
    self.init(
      inputCells: height * width, outputHeight: outputHeight, outputWidth: outputWidth,
      tapCount: k * k, taps: taps)
  }

  /// The output length along one axis of `size` pixels and the padding before its first pixel.
  static func axis(size: Int, window k: Int, stride s: Int, padding: Padding) -> (
    output: Int, low: Int
  ) {
    if padding == .valid { return (size >= k ? (size - k) / s + 1 : 0, 0) }
    let output = (size + s - 1) / s
    return (output, max((output - 1) * s + k - size, 0) / 2)
  }
}
