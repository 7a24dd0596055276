/// Which input cell each output cell of an affine layer reads at each filter tap.
///
/// Cells are pixels in row-major order. Tap j = dy * k + dx of output pixel (y, x) reads input
/// pixel (y + dy - lo, x + dx - lo) with lo = (k - 1) / 2 for `circular` (indices modulo H, W) and
/// `same` (-1, a padded zero, when it leaves the image), and (y + dy, x + dx) for `valid`. A dense
/// layer is one tap on a one-cell grid. See `Padding` for the neural-tangents conventions.
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
  static let vector = TapTable(inputCells: 1, outputHeight: 1, outputWidth: 1, tapCount: 1, taps: [0])

  private init(inputCells: Int, outputHeight: Int, outputWidth: Int, tapCount: Int, taps: [Int]) {
    self.inputCells = inputCells
    self.outputHeight = outputHeight
    self.outputWidth = outputWidth
    self.tapCount = tapCount
    self.taps = taps
  }

  /// The taps of a k x k filter with `padding` on an H x W grid; nil when `valid` leaves no
  /// output pixel.
  /// - Complexity: O(H W k^2).
  /// The table of an affine layer on a height x width grid: `vector` for a dense layer, nil when
  /// its filter does not fit (`valid` padding on a smaller grid).
  init?(_ affine: AffineLayer, height: Int, width: Int) {
    if affine.sharing == .none {
      self = .vector
    } else {
      self.init(filterSize: affine.filterSize, padding: affine.padding, height: height, width: width)
    }
  }

  init?(filterSize k: Int, padding: Padding, height: Int, width: Int) {
    precondition(k >= 1 && height >= 1 && width >= 1, "internal: validated geometry")
    let outputHeight = padding == .valid ? height - k + 1 : height
    let outputWidth = padding == .valid ? width - k + 1 : width
    guard outputHeight >= 1, outputWidth >= 1 else { return nil }
    let lo = padding == .valid ? 0 : (k - 1) / 2
    var taps: [Int] = []
    taps.reserveCapacity(outputHeight * outputWidth * k * k)
    for y in 0..<outputHeight {
      for x in 0..<outputWidth {
        for dy in 0..<k {
          for dx in 0..<k {
            var row = y + dy - lo
            var column = x + dx - lo
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
}
