import Foundation

extension NumPyArray {
  /// The first six bytes of every `.npy` file: `\x93NUMPY`.
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// Reads the `.npy` file at `url`.
  ///
  /// - Throws: `DataFileError` for a missing or unreadable file and for every malformed byte
  ///   sequence (see `init(npyData:)`); never traps.
  /// - Complexity: O(file size).
  public init(npyAt url: URL) throws(DataFileError) {
    try self.init(npyData: try DataFile.read(url))
  }

  /// Parses the bytes of a `.npy` file (format version 1.0, 2.0 or 3.0).
  ///
  /// Reads `<f8`, `<f4`, `<i8`, `<i4` and `|u1` in either byte order, C order only, widening
  /// every element to float64. The data must fill the announced shape exactly.
  ///
  /// - Throws: `DataFileError.badMagic`, `.unsupportedVersion`, `.malformedHeader`,
  ///   `.unsupportedDType`, `.fortranOrder`, `.truncatedData` or `.trailingData`.
  /// - Complexity: O(data.count).
  public init(npyData data: Data) throws(DataFileError) {
    let parsed = data.withUnsafeBytes { bytes in
      Result { () throws(DataFileError) in try NumPyArray.parse(bytes) }
    }
    self = try parsed.get()
  }

  /// Parses the whole file image.
  static func parse(_ bytes: UnsafeRawBufferPointer) throws(DataFileError) -> NumPyArray {
    guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
      throw .badMagic(found: Array(bytes.prefix(magic.count)))
    }
    guard bytes.count >= 8 else {
      throw .malformedHeader("the file ends after \(bytes.count) bytes, before the version")
    }
    let major = bytes[6]
    let minor = bytes[7]
    let lengthBytes: Int
    switch (major, minor) {
    case (1, 0): lengthBytes = 2
    case (2, 0), (3, 0): lengthBytes = 4
    default: throw .unsupportedVersion(major: major, minor: minor)
    }
    let headerStart = 8 + lengthBytes
    guard bytes.count >= headerStart else {
      throw .malformedHeader("the file ends after \(bytes.count) bytes, inside the header length")
    }
    var headerLength = 0
    for k in 0..<lengthBytes { headerLength |= Int(bytes[8 + k]) << (8 * k) }
    guard headerLength <= bytes.count - headerStart else {
      throw .malformedHeader(
        "the header announces \(headerLength) bytes but only \(bytes.count - headerStart) "
          + "follow; the file is truncated")
    }
    let dataStart = headerStart + headerLength
    let header = try NumPyHeader(
      parsing: UnsafeRawBufferPointer(rebasing: bytes[headerStart..<dataStart]))

    guard let count = elementCount(of: header.shape) else {
      throw .malformedHeader("the shape \(header.shape) has more elements than memory can hold")
    }
    let (expectedBytes, overflow) = count.multipliedReportingOverflow(
      by: header.elementType.byteCount)
    guard !overflow else {
      throw .malformedHeader("the shape \(header.shape) has more bytes than memory can hold")
    }
    let actualBytes = bytes.count - dataStart
    guard actualBytes >= expectedBytes else {
      throw .truncatedData(expectedBytes: expectedBytes, actualBytes: actualBytes)
    }
    guard actualBytes == expectedBytes else {
      throw .trailingData(expectedBytes: expectedBytes, actualBytes: actualBytes)
    }
    let values = decode(
      UnsafeRawBufferPointer(rebasing: bytes[dataStart...]), count: count,
      as: header.elementType, bigEndian: header.isBigEndian)
    return NumPyArray(uncheckedShape: header.shape, values: values, elementType: header.elementType)
  }

  /// Widens `count` elements of `type` to float64.
  ///
  /// - Precondition: `data` holds at least `count * type.byteCount` bytes.
  /// - Complexity: O(count).
  static func decode(
    _ data: UnsafeRawBufferPointer, count: Int, as type: ElementType, bigEndian: Bool
  ) -> [Double] {
    precondition(data.count >= count * type.byteCount, "internal: data shorter than the shape")
    return [Double](unsafeUninitializedCapacity: count) { output, initialized in
      switch type {
      case .float64:
        for i in 0..<count {
          let raw = data.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
          output[i] = Double(
            bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
        }
      case .float32:
        for i in 0..<count {
          let raw = data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
          output[i] = Double(
            Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)))
        }
      case .int64:
        for i in 0..<count {
          let raw = data.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)
          output[i] = Double(bigEndian ? Int64(bigEndian: raw) : Int64(littleEndian: raw))
        }
      case .int32:
        for i in 0..<count {
          let raw = data.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)
          output[i] = Double(bigEndian ? Int32(bigEndian: raw) : Int32(littleEndian: raw))
        }
      case .uint8:
        for i in 0..<count { output[i] = Double(data[i]) }
      }
      initialized = count
    }
  }
}
