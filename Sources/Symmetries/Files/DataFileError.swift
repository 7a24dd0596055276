/// A data file that cannot be read, written or trusted, with what was wrong and how to fix it.
///
/// The readers throw these for every malformed byte sequence instead of trapping, so a bad file
/// fails one test or one command, never the whole process.
public enum DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No file exists at the path.
  case fileNotFound(path: String)
  /// The file exists but could not be read.
  case unreadable(path: String, reason: String)
  /// A JSON file that does not hold what the reader needs; `reason` says what is wrong and
  /// `writer` which command writes such a file.
  case malformedJSON(path: String, reason: String, writer: String)
  /// The file could not be written; `reason` says why and what to do.
  case unwritable(path: String, reason: String)
  /// The output path must not be written (it is an input, another output, a folder, a device
  /// or a dangling link); `reason` says which and what to do.
  case refusedOutput(path: String, reason: String)
  /// A value about to be written is NaN or infinite (an overflow upstream), so nothing was
  /// written.
  case nonFiniteOutput(path: String, index: Int, value: Double)
  /// The first six bytes are not `\x93NUMPY`.
  case badMagic(found: [UInt8])
  /// A `.npy` format version this reader does not know.
  case unsupportedVersion(major: UInt8, minor: UInt8)
  /// The `.npy` header is not the Python dictionary literal the format prescribes.
  case malformedHeader(String)
  /// An element type (`descr`) this reader or writer does not handle.
  case unsupportedDType(String)
  /// The array is stored in column-major (Fortran) order.
  case fortranOrder
  /// The array has the wrong number of dimensions or the wrong shape for its use.
  case wrongShape(expected: String, actual: [Int])
  /// The file holds fewer data bytes than its header or layout announces.
  case truncatedData(expectedBytes: Int, actualBytes: Int)
  /// The file holds more data bytes than its header announces.
  case trailingData(expectedBytes: Int, actualBytes: Int)
  /// A value is NaN or infinite where only finite values are allowed.
  case nonFiniteValue(index: Int, value: Double)
  /// A value cannot be stored in the requested element type (e.g. 300 as uint8).
  case valueNotRepresentable(index: Int, value: Double, dtype: String)
  /// A raw data-set file whose size is not a whole number of items.
  case sizeNotMultiple(path: String, bytes: Int, itemBytes: Int)
  /// A raw data-set file whose size differs from the size its README records.
  case unexpectedFileSize(path: String, expectedBytes: Int, actualBytes: Int)
  /// The image and label files of a split hold different numbers of items.
  case labelCountMismatch(images: Int, labels: Int)
  /// A label outside 0..<classCount.
  case labelOutOfRange(index: Int, label: Int, classCount: Int)
  /// A file's SHA-256 digest differs from the recorded one.
  case checksumMismatch(path: String, expected: String, actual: String)
  /// A data-set name that is not in the catalogue.
  case unknownDataSet(name: String, known: [String])
  /// A split name the data set does not have.
  case unknownSplit(dataSet: String, split: String, known: [String])
  /// The fixtures folder was not found in any of the places searched.
  case fixturesNotFound(searched: [String])

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "no file at \(path); check the path (relative paths are resolved against the "
        + "current directory)"
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .malformedJSON(let path, let reason, let writer):
      return "cannot read \(path): \(reason); pass a file written by \(writer)"
    case .unwritable(let path, let reason):
      return "cannot write \(path): \(reason); nothing was written"
    case .refusedOutput(let path, let reason):
      return "will not write \(path): \(reason); nothing was written"
    case .nonFiniteOutput(let path, let index, let value):
      return "will not write \(path): value \(value) at flat index \(index) is not finite (the "
        + "computation overflowed); nothing was written; scale the input down (e.g. divide by "
        + "its largest absolute value) and run again"
    case .badMagic(let found):
      let hex = found.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }.joined(separator: " ")
      return "not a .npy file: it starts with bytes [\(hex)] instead of \\x93NUMPY; "
        + "save the array with numpy.save (np.savez and pickles are different formats)"
    case .unsupportedVersion(let major, let minor):
      return ".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are); "
        + "save with numpy.lib.format.write_array(f, x, version=(1, 0))"
    case .malformedHeader(let message):
      return "malformed .npy header: \(message); re-save the array with numpy.save"
    case .unsupportedDType(let descr):
      return "unsupported element type '\(descr)': the reader handles float64 (<f8), float32 "
        + "(<f4), int64 (<i8), int32 (<i4) and uint8 (|u1), little- or big-endian; convert "
        + "with x.astype(np.float64)"
    case .fortranOrder:
      return "the array is stored in Fortran (column-major) order, which is not supported; "
        + "save np.ascontiguousarray(x) instead"
    case .wrongShape(let expected, let actual):
      return "wrong shape (\(actual.map(String.init).joined(separator: ", "))): expected "
        + "\(expected)"
    case .truncatedData(let expected, let actual):
      return "truncated data: expected \(expected) bytes of data but the file holds \(actual); "
        + "the file was cut short, copy or download it again"
    case .trailingData(let expected, let actual):
      return "expected \(expected) bytes of data but the file holds \(actual): the header and "
        + "the data disagree; re-save the array with numpy.save"
    case .nonFiniteValue(let index, let value):
      return "value \(value) at flat index \(index) is not finite; remove or impute NaN and "
        + "infinite values (e.g. np.nan_to_num) before saving"
    case .valueNotRepresentable(let index, let value, let dtype):
      return "value \(value) at flat index \(index) cannot be stored as \(dtype); write "
        + "float64 instead, or round and clamp the values first"
    case .sizeNotMultiple(let path, let bytes, let itemBytes):
      return "\(path) holds \(bytes) bytes, not a whole number of \(itemBytes)-byte items "
        + "(\(bytes % itemBytes) bytes left over); the file is truncated or has the wrong "
        + "image shape, copy it again"
    case .unexpectedFileSize(let path, let expected, let actual):
      return "\(path) holds \(actual) bytes but its README records \(expected); the file is "
        + "truncated or replaced, copy it again from the data set's source"
    case .labelCountMismatch(let images, let labels):
      return "\(images) images but \(labels) labels; the image and label files must come from "
        + "the same split and hold one label per image"
    case .labelOutOfRange(let index, let label, let classCount):
      return "label \(label) of item \(index) is outside 0..<\(classCount); check the labels "
        + "file and classes.txt (one class name per line, line i = label i)"
    case .checksumMismatch(let path, let expected, let actual):
      return "\(path) has SHA-256 \(actual) but its README records \(expected); the file is "
        + "corrupted or replaced, copy it again from the data set's source"
    case .unknownDataSet(let name, let known):
      return "unknown data set '\(name)'; known data sets: \(known.joined(separator: ", "))"
    case .unknownSplit(let dataSet, let split, let known):
      return "data set \(dataSet) has no split '\(split)'; its splits are: "
        + known.joined(separator: ", ")
    case .fixturesNotFound(let searched):
      return "fixtures folder not found; searched: \(searched.joined(separator: "; ")); set "
        + "SYMMETRY_PROBES_FIXTURES to the folder or run from the repository root"
    }
  }
}
