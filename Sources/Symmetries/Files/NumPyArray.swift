/// An n-dimensional array as stored in a NumPy `.npy` file: a shape, C-order values widened to
/// float64, and the element type the file holds (or will hold when written).
///
/// Element (i_0, ..., i_{r-1}) of shape (s_0, ..., s_{r-1}) lives at flat index
/// sum_k i_k * prod_{j > k} s_j (C order, last index fastest). A zero-dimensional array has
/// shape `[]` and one value.
public struct NumPyArray: Sendable, Equatable {
  /// The element types this package reads; `float64` and `uint8` are also written losslessly.
  public enum ElementType: String, Sendable, CaseIterable {
    /// IEEE 754 binary64 (`<f8`).
    case float64
    /// IEEE 754 binary32 (`<f4`), widened exactly to float64 on reading.
    case float32
    /// Signed 64-bit integers (`<i8`); magnitudes above 2^53 are rounded on reading.
    case int64
    /// Signed 32-bit integers (`<i4`).
    case int32
    /// Unsigned bytes (`|u1`).
    case uint8

    /// Bytes per element.
    public var byteCount: Int {
      switch self {
      case .float64, .int64: return 8
      case .float32, .int32: return 4
      case .uint8: return 1
      }
    }

    /// The little-endian NumPy type string (`descr`), e.g. `<f8`.
    public var descr: String {
      switch self {
      case .float64: return "<f8"
      case .float32: return "<f4"
      case .int64: return "<i8"
      case .int32: return "<i4"
      case .uint8: return "|u1"
      }
    }
  }

  /// The extent of each dimension, outermost first.
  public let shape: [Int]
  /// All elements in C order, as float64.
  public let values: [Double]
  /// The element type in the file.
  public let elementType: ElementType

  /// An array from C-order values; throws unless the values fill the shape exactly.
  ///
  /// Values need not be finite here; `ImageBatch` and `Matrix` conversions check that.
  public init(
    shape: [Int], values: [Double], elementType: ElementType = .float64
  ) throws(DataFileError) {
    guard let count = NumPyArray.elementCount(of: shape), count == values.count else {
      throw .wrongShape(expected: "\(values.count) elements in C order", actual: shape)
    }
    self.shape = shape
    self.values = values
    self.elementType = elementType
  }

  /// Internal: shape and values already known to agree.
  init(uncheckedShape shape: [Int], values: [Double], elementType: ElementType) {
    self.shape = shape
    self.values = values
    self.elementType = elementType
  }

  /// The product of the extents, or nil when one is negative or the product overflows `Int`.
  static func elementCount(of shape: [Int]) -> Int? {
    var count = 1
    for extent in shape {
      guard extent >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      guard !overflow else { return nil }
      count = product
    }
    return count
  }
}
