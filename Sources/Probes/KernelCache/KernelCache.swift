import Foundation
import Learners
import Symmetries

/// Pool Gram matrices kept on disk between runs, one file per `KernelCacheKey`.
///
/// An entry is written under a temporary name and renamed into place (a reader sees the old
/// state or the whole entry), and carries the key it was computed for and a SHA-256 checksum of
/// everything before it. On every read the magic, the key, the length and the checksum are
/// checked: an entry that is corrupt, truncated or computed from other inputs is reported,
/// recomputed and overwritten, never used.
///
/// File layout (little-endian): the 8 bytes `SPGRAM01`; the key text's length (UInt64) and its
/// UTF-8 bytes; U and T (UInt64); the U x U train-train NNGP and NTK matrices and the T x U
/// test-train NNGP and NTK matrices, row-major float64; the 64 hexadecimal digits of SHA-256 of
/// all preceding bytes.
public struct KernelCache: Sendable {
  /// The folder holding one file per entry.
  public let directory: URL

  /// The cache kept in `directory`.
  public init(directory: URL) {
    self.directory = directory
  }

  /// What was wrong with an entry on disk.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than its header says (`bytes` of `expected`).
    case truncated(path: String, bytes: Int, expected: Int)
    /// The file fails its SHA-256 checksum.
    case corrupt(path: String)
    /// The entry was computed for another key (other inputs).
    case mismatchedKey(path: String)
    /// The file does not start with the entry's magic bytes.
    case notAnEntry(path: String)

    public var description: String {
      switch self {
      case .truncated(let path, let bytes, let expected):
        return
          "cache entry \(path) is truncated (\(bytes) bytes, expected \(expected)): recomputing"
      case .corrupt(let path):
        return "cache entry \(path) fails its checksum (corrupt): recomputing"
      case .mismatchedKey(let path):
        return "cache entry \(path) was computed from other inputs: recomputing"
      case .notAnEntry(let path):
        return "cache file \(path) is not a kernel cache entry: recomputing"
      }
    }
  }

  /// How an entry was obtained.
  public enum Outcome: String, Sendable {
    /// Read from a valid entry.
    case hit
    /// No entry: computed and written.
    case miss
    /// An invalid entry was found, reported, recomputed and overwritten.
    case replaced
  }

  /// The file of `key`.
  public func url(for key: KernelCacheKey) -> URL {
    directory.appendingPathComponent(key.fileName)
  }

  /// The entry for `key`: read if a valid one exists, otherwise computed by `compute` and
  /// written; `report` hears about every invalid entry found.
  ///
  /// - Throws: what `compute` throws, and `ProbeError.invalidOption` when the directory cannot
  ///   be created or written (the computed matrices are then lost, so say where).
  public func entry(
    _ key: KernelCacheKey, report: (String) -> Void = { _ in },
    compute: () throws -> PoolGram
  ) throws -> (gram: PoolGram, outcome: Outcome) {
    let file = url(for: key)
    var outcome = Outcome.miss
    if let data = FileManager.default.contents(atPath: file.path) {
      do throws(Problem) {
        return (try Self.decode(data, key: key, path: file.path), .hit)
      } catch {
        report(error.description)
        outcome = .replaced
      }
    }
    let gram = try compute()
    do throws(DataFileError) {
      try OutputPath.createFolder(directory)
      try AtomicFileWriter.write(Self.encode(gram, key: key), to: file)
    } catch {
      throw ProbeError.invalidOption(
        "cannot write the kernel cache entry \(file.path) (\(error)); choose a writable --cache folder"
      )
    }
    return (gram, outcome)
  }

  // MARK: - Format

  static let magic = Array("SPGRAM01".utf8)
  static let checksumLength = 64

  static func encode(_ gram: PoolGram, key: KernelCacheKey) -> Data {
    var data = Data(magic)
    let text = Array(key.text.utf8)
    append(UInt64(text.count), to: &data)
    data.append(contentsOf: text)
    append(UInt64(gram.poolCount), to: &data)
    append(UInt64(gram.testCount), to: &data)
    for matrix in [
      gram.trainTrain.nngp, gram.trainTrain.ntk, gram.testTrain.nngp, gram.testTrain.ntk,
    ] {
      matrix.storage.map(\.bitPattern.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
    }
    let checksum = data.withUnsafeBytes { SHA256.hexDigest(of: $0) }
    data.append(contentsOf: Array(checksum.utf8))
    return data
  }

  static func decode(_ data: Data, key: KernelCacheKey, path: String) throws(Problem) -> PoolGram {
    let bytes = [UInt8](data)
    let expectedText = Array(key.text.utf8)
    guard bytes.count >= magic.count + 8, Array(bytes[0..<magic.count]) == magic else {
      throw .notAnEntry(path: path)
    }
    var offset = magic.count
    let textLength = Int(clamping: readUInt64(bytes, at: offset))
    offset += 8
    guard textLength <= bytes.count - offset else {
      throw .truncated(path: path, bytes: bytes.count, expected: offset + textLength)
    }
    guard Array(bytes[offset..<(offset + textLength)]) == expectedText else {
      throw .mismatchedKey(path: path)
    }
    offset += textLength
    guard bytes.count >= offset + 16 else {
      throw .truncated(path: path, bytes: bytes.count, expected: offset + 16)
    }
    let u = Int(clamping: readUInt64(bytes, at: offset))
    let t = Int(clamping: readUInt64(bytes, at: offset + 8))
    offset += 16
    let (square, squareOverflow) = u.multipliedReportingOverflow(by: u)
    let (rectangle, rectangleOverflow) = t.multipliedReportingOverflow(by: u)
    guard !squareOverflow, !rectangleOverflow, square <= Int.max / 32, rectangle <= Int.max / 32
    else {
      throw .corrupt(path: path)
    }
    let expected = offset + 16 * (square + rectangle) + checksumLength
    guard bytes.count == expected else {
      if bytes.count < expected {
        throw .truncated(path: path, bytes: bytes.count, expected: expected)
      }
      throw .corrupt(path: path)
    }
    let body = bytes.count - checksumLength
    let checksum = bytes.withUnsafeBytes {
      SHA256.hexDigest(of: UnsafeRawBufferPointer(rebasing: $0[0..<body]))
    }
    guard Array(checksum.utf8) == Array(bytes[body...]) else { throw .corrupt(path: path) }
    func matrix(rows: Int, columns: Int) -> Matrix {
      let count = rows * columns
      let values = bytes.withUnsafeBytes { raw in
        (0..<count).map {
          Double(
            bitPattern: UInt64(
              littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * $0, as: UInt64.self)))
        }
      }
      offset += 8 * count
      return try! Matrix(rows: rows, columns: columns, storage: values)
    }
    let trainNNGP = matrix(rows: u, columns: u)
    let trainNTK = matrix(rows: u, columns: u)
    let testNNGP = matrix(rows: t, columns: u)
    let testNTK = matrix(rows: t, columns: u)
    return PoolGram(
      trainTrain: KernelMatrices(uncheckedNNGP: trainNNGP, ntk: trainNTK),
      testTrain: KernelMatrices(uncheckedNNGP: testNNGP, ntk: testNTK))
  }

  private static func append(_ value: UInt64, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }

  private static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    bytes.withUnsafeBytes {
      UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
  }
}
