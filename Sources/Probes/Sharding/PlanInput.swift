import Foundation
import Symmetries

/// An input copy in a plan folder, read a range of images at a time so that a shard never holds
/// the whole batch.
///
/// The plan wrote the file itself (float64, little-endian, C order, as `NumPyArray` writes), so
/// once its checksum matches the manifest the images are the last count * d * 8 bytes: image i
/// starts at (file size - count * d * 8) + i * d * 8.
struct PlanInput {
  let url: URL
  let shape: ImageShape
  let count: Int
  let sha256: String

  /// Bytes read at once when digesting: large enough for throughput, small enough that memory
  /// does not grow with the file; deliberately not a multiple of 64 so the digest's partial-block
  /// path is exercised on every file above a chunk.
  static let chunkSize = 1_048_573

  /// Throws unless the file's SHA-256 is the recorded one.
  ///
  /// - Complexity: O(file size) time, O(chunkSize) memory.
  func verify() throws(ShardingError) {
    let actual = try digest()
    guard actual == sha256 else {
      throw .inputChanged(path: url.path, expected: sha256, actual: actual)
    }
  }

  /// The images in `range`, read from the file.
  ///
  /// - Complexity: O(range.count * d) time and memory.
  func images(_ range: Range<Int>) throws(ShardingError) -> ImageBatch {
    let imageBytes = shape.dimension * 8
    let handle = try open()
    defer { try? handle.close() }
    let values: [Double]
    do {
      let size = try handle.seekToEnd()
      let start = Int(size) - count * imageBytes
      guard start >= 0 else {
        throw DataFileError.truncatedData(expectedBytes: count * imageBytes, actualBytes: Int(size))
      }
      try handle.seek(toOffset: UInt64(start + range.lowerBound * imageBytes))
      let data = try handle.read(upToCount: range.count * imageBytes) ?? Data()
      guard data.count == range.count * imageBytes else {
        throw DataFileError.truncatedData(
          expectedBytes: range.count * imageBytes, actualBytes: data.count)
      }
      values = data.withUnsafeBytes { raw in
        (0..<(range.count * shape.dimension)).map { k in
          Double(
            bitPattern: UInt64(
              littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
        }
      }
    } catch let error as DataFileError {
      throw .dataFile(error)
    } catch {
      throw .dataFile(
        .unreadable(path: url.path, reason: FileSystemReason.of(error, writing: false)))
    }
    do {
      return try ImageBatch(shape: shape, values: values)
    } catch {
      throw .dataFile(.unreadable(path: url.path, reason: "\(error)"))
    }
  }

  /// The file's SHA-256, read chunk by chunk.
  private func digest() throws(ShardingError) -> String {
    let handle = try open()
    defer { try? handle.close() }
    var hasher = SHA256.Hasher()
    do {
      while let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty {
        chunk.withUnsafeBytes { hasher.update($0) }
      }
    } catch {
      throw .dataFile(
        .unreadable(path: url.path, reason: FileSystemReason.of(error, writing: false)))
    }
    return hasher.finalize()
  }

  private func open() throws(ShardingError) -> FileHandle {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw .dataFile(.fileNotFound(path: url.path))
    }
    do {
      return try FileHandle(forReadingFrom: url)
    } catch {
      throw .dataFile(
        .unreadable(path: url.path, reason: FileSystemReason.of(error, writing: false)))
    }
  }
}

extension ShardPlan {
  /// The input copies: the first batch, then the second (the first again when symmetric).
  var inputs: (first: PlanInput, second: PlanInput) {
    let first = PlanInput(
      url: directory.appendingPathComponent(inputFiles[0]), shape: imageShape, count: rowCount,
      sha256: inputChecksums[0])
    guard !isSymmetric else { return (first, first) }
    let second = PlanInput(
      url: directory.appendingPathComponent(inputFiles[1]), shape: imageShape,
      count: columnCount, sha256: inputChecksums[1])
    return (first, second)
  }
}
