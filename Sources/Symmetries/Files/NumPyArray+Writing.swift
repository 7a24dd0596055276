import Foundation

extension NumPyArray {
  /// The array as the bytes of a `.npy` file, format version 1.0, little-endian, C order.
  ///
  /// The preamble and header are padded with spaces to a multiple of 64 bytes, as NumPy does,
  /// so the data are aligned. Version 2.0 is used only if the header exceeds 65,535 bytes.
  ///
  /// - Throws: `DataFileError.valueNotRepresentable` when a value does not fit the element
  ///   type: uint8, int32 and int64 need integers in range; float32 rounds to nearest but
  ///   rejects finite values beyond its range.
  /// - Complexity: O(values.count).
  public func npyData() throws(DataFileError) -> Data {
    var header = Array(headerText.utf8)
    let preambleV1 = NumPyArray.magic.count + 2 + 2
    let useVersion2 = paddedLength(preambleV1 + header.count + 1) - preambleV1 > 0xFFFF
    let preamble = useVersion2 ? preambleV1 + 2 : preambleV1
    let total = paddedLength(preamble + header.count + 1)
    header.append(
      contentsOf: repeatElement(UInt8(ascii: " "), count: total - preamble - header.count - 1))
    header.append(UInt8(ascii: "\n"))

    var data = Data(capacity: total + values.count * elementType.byteCount)
    data.append(contentsOf: NumPyArray.magic)
    data.append(contentsOf: [useVersion2 ? 2 : 1, 0])
    let headerLength = header.count
    for k in 0..<(useVersion2 ? 4 : 2) {
      data.append(UInt8(truncatingIfNeeded: headerLength >> (8 * k)))
    }
    data.append(contentsOf: header)
    data.append(contentsOf: try encodedValues())
    return data
  }

  /// Writes the array to `url` as a `.npy` file (see `npyData()`), atomically.
  ///
  /// - Complexity: O(values.count).
  public func write(npyTo url: URL) throws(DataFileError) {
    try DataFile.write(try npyData(), to: url)
  }

  /// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`, as NumPy writes it.
  var headerText: String {
    let extents = shape.map(String.init).joined(separator: ", ")
    let tuple = shape.count == 1 ? "(\(extents),)" : "(\(extents))"
    return "{'descr': '\(elementType.descr)', 'fortran_order': False, 'shape': \(tuple), }"
  }

  /// `length` rounded up to a multiple of 64.
  func paddedLength(_ length: Int) -> Int {
    (length + 63) / 64 * 64
  }

  /// The values in the element type's little-endian byte layout.
  func encodedValues() throws(DataFileError) -> [UInt8] {
    let width = elementType.byteCount
    var bytes = [UInt8](repeating: 0, count: values.count * width)
    var failure: DataFileError?
    let type = elementType
    values.withUnsafeBufferPointer { source in
      bytes.withUnsafeMutableBytes { target in
        for (i, value) in source.enumerated() {
          switch type {
          case .float64:
            target.storeBytes(
              of: value.bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
          case .float32:
            let single = Float(value)
            guard single.isFinite || !value.isFinite else {
              failure = .valueNotRepresentable(index: i, value: value, dtype: type.descr)
              return
            }
            target.storeBytes(
              of: single.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
          case .int64:
            guard let integer = Int64(exactly: value) else {
              failure = .valueNotRepresentable(index: i, value: value, dtype: type.descr)
              return
            }
            target.storeBytes(of: integer.littleEndian, toByteOffset: 8 * i, as: Int64.self)
          case .int32:
            guard let integer = Int32(exactly: value) else {
              failure = .valueNotRepresentable(index: i, value: value, dtype: type.descr)
              return
            }
            target.storeBytes(of: integer.littleEndian, toByteOffset: 4 * i, as: Int32.self)
          case .uint8:
            guard let byte = UInt8(exactly: value) else {
              failure = .valueNotRepresentable(index: i, value: value, dtype: type.descr)
              return
            }
            target[i] = byte
          }
        }
      }
    }
    if let failure { throw failure }
    return bytes
  }
}
