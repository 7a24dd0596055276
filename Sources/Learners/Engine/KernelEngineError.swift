import Symmetries

/// Bad input to the kernel engine, with what was wrong and how to fix it.
///
/// The engine throws these instead of trapping, so one bad case fails alone.
public enum KernelEngineError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The two batches hold images of different shapes.
  case shapeMismatch(first: ImageShape, second: ImageShape)
  /// A standard deviation is negative or not finite (the readout is step `steps.count`).
  case invalidStandardDeviation(step: Int, value: Double)
  /// A filter dimension is zero or negative.
  case invalidFilter(step: Int, height: Int, width: Int)
  /// A valid-padded filter is larger than the feature map it is applied to.
  case filterLargerThanImage(
    step: Int, filterHeight: Int, filterWidth: Int, height: Int, width: Int)
  /// A strided or pooling step's window or stride is zero or negative.
  case invalidWindow(step: Int, size: Int, stride: Int)
  /// A strided or pooling step's window or stride does not fit the feature map it moves over
  /// (the layer list's own check: `KernelError.windowLargerThanImage` and its neighbours).
  case windowDoesNotFit(step: Int, size: Int, stride: Int, height: Int, width: Int)
  /// The program is well formed but the fast engine does not compute it.
  case unsupported(String)
  /// The thread count is not positive.
  case invalidThreadCount(Int)
  /// A block's row or column range is outside its batch.
  case blockOutOfRange(range: Range<Int>, count: Int)

  public var description: String {
    switch self {
    case .shapeMismatch(let first, let second):
      return "the batches hold \(first) and \(second) images; a kernel compares images of one "
        + "shape, so resize or crop one batch"
    case .invalidStandardDeviation(let step, let value):
      return "step \(step) has standard deviation \(value); pass a finite value >= 0"
    case .invalidFilter(let step, let height, let width):
      return "step \(step) has a \(height) x \(width) filter; filter dimensions must be positive"
    case .filterLargerThanImage(let step, let filterHeight, let filterWidth, let height, let width):
      return "step \(step) applies a \(filterHeight) x \(filterWidth) valid-padded filter to a "
        + "\(height) x \(width) feature map; use a smaller filter, fewer layers, or same padding"
    case .invalidWindow(let step, let size, let stride):
      return "step \(step) has window \(size) and stride \(stride); both must be positive"
    case .windowDoesNotFit(let step, let size, let stride, let height, let width):
      return
        "step \(step) moves a \(size) x \(size) window by \(stride) over a \(height) x \(width) "
        + "feature map, which needs the window (under valid padding) and the stride to fit; use "
        + "a smaller window or stride, or fewer layers before it"
    case .unsupported(let message):
      return "not supported by the fast engine: \(message)"
    case .invalidThreadCount(let threads):
      return "\(threads) threads requested; pass at least 1"
    case .blockOutOfRange(let range, let count):
      return
        "block range \(range) is outside a batch of \(count) images; pass a range within 0..<\(count)"
    }
  }
}
