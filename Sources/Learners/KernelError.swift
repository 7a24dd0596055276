import Symmetries

/// Input that an architecture's kernel cannot be evaluated on, with what was wrong and how to
/// fix it.
public enum KernelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The two batches hold images of different shapes.
  case shapeMismatch(first: ImageShape, second: ImageShape)
  /// A `valid` filter larger than the (possibly already shrunk) image.
  case filterLargerThanImage(layer: Int, filterSize: Int, height: Int, width: Int)
  /// A pooling window larger than the (possibly already shrunk) image it reads.
  case windowLargerThanImage(layer: Int, name: String, window: Int, height: Int, width: Int)
  /// A stride larger than the (possibly already shrunk) image it reads.
  case strideLargerThanImage(layer: Int, name: String, stride: Int, height: Int, width: Int)
  /// A residual block whose output grid differs from its input grid.
  case residualChangesShape(layer: Int, height: Int, width: Int, blockHeight: Int, blockWidth: Int)
  /// A kernel entry overflowed to infinity or NaN.
  case nonFiniteEntry(row: Int, column: Int, value: Double)
  /// A requested block does not lie inside the Gram matrix.
  case blockOutOfRange(rows: Range<Int>, columns: Range<Int>, rowCount: Int, columnCount: Int)

  public var description: String {
    switch self {
    case .shapeMismatch(let first, let second):
      return "the batches hold \(first) and \(second) images; a kernel compares images of one "
        + "shape, so resize or crop one batch"
    case .filterLargerThanImage(let layer, let filterSize, let height, let width):
      return "layer \(layer) applies a \(filterSize) x \(filterSize) 'valid' filter to a "
        + "\(height) x \(width) image, which leaves no output pixel; use a smaller filter, "
        + "fewer 'valid' layers, or 'same' or 'circular' padding"
    case .windowLargerThanImage(let layer, let name, let window, let height, let width):
      return "layer \(layer) '\(name)' pools a \(window) x \(window) window over a \(height) x "
        + "\(width) image; use a window no larger than the image, or fewer layers that shrink it"
    case .strideLargerThanImage(let layer, let name, let stride, let height, let width):
      return "layer \(layer) '\(name)' moves by a stride of \(stride) over a \(height) x "
        + "\(width) image; use a stride no larger than the image, or fewer layers that shrink it"
    case .residualChangesShape(let layer, let height, let width, let blockHeight, let blockWidth):
      return "layer \(layer) (residual) adds its block's \(blockHeight) x \(blockWidth) output to "
        + "its \(height) x \(width) input; a residual block must keep the grid, so use 'same' "
        + "or 'circular' padding inside it"
    case .nonFiniteEntry(let row, let column, let value):
      return "kernel entry (\(row), \(column)) is \(value); the inputs or weight standard "
        + "deviations are too large for float64, so rescale the images"
    case .blockOutOfRange(let rows, let columns, let rowCount, let columnCount):
      return "block rows \(rows), columns \(columns) is not inside the \(rowCount) x "
        + "\(columnCount) Gram matrix; pass ranges within 0..<\(rowCount) and 0..<\(columnCount)"
    }
  }
}
