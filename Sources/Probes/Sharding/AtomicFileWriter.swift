import Foundation
import Symmetries

/// A file written piece by piece under a temporary name and renamed into place on `commit`, so
/// a reader (or a rerun after a kill) sees either the old state or the whole new file.
///
/// The temporary file is `<name>.tmp-<process id>` in the same folder, so the rename stays on
/// one file system and two processes never share a temporary file. A process killed before
/// `commit` leaves its temporary file behind; it is never read, and the next shard run that owns
/// the file removes it (see `foreignTemporaries(in:)`).
final class AtomicFileWriter {
  let url: URL
  let temporaryURL: URL
  private let handle: FileHandle

  /// Opens a fresh temporary file next to `url`.
  init(_ url: URL) throws(ShardingError) {
    self.url = url
    temporaryURL = url.deletingLastPathComponent().appendingPathComponent(
      url.lastPathComponent + Self.temporaryMarker
        + String(ProcessInfo.processInfo.processIdentifier))
    guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil) else {
      throw .dataFile(
        .unwritable(path: temporaryURL.path, reason: "cannot create a temporary file there"))
    }
    do {
      handle = try FileHandle(forWritingTo: temporaryURL)
    } catch {
      throw .dataFile(.unwritable(path: temporaryURL.path, reason: "\(error)"))
    }
  }

  /// Appends `data` to the temporary file.
  /// - Complexity: O(data.count).
  func write(_ data: Data) throws(ShardingError) {
    do {
      try handle.write(contentsOf: data)
    } catch {
      discard()
      throw .dataFile(.unwritable(path: temporaryURL.path, reason: "\(error)"))
    }
  }

  /// Flushes the file to storage and renames it over `url`.
  func commit() throws(ShardingError) {
    do {
      // Synchronising before the rename means a node that crashes right after it cannot leave
      // a complete-looking name over incomplete contents.
      try handle.synchronize()
      try handle.close()
    } catch {
      discard()
      throw .dataFile(.unwritable(path: temporaryURL.path, reason: "\(error)"))
    }
    guard rename(temporaryURL.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      discard()
      throw .dataFile(.unwritable(path: url.path, reason: "cannot rename into place: \(reason)"))
    }
  }

  /// Closes and removes the temporary file.
  func discard() {
    try? handle.close()
    try? FileManager.default.removeItem(at: temporaryURL)
  }

  /// Writes `data` to `url` atomically.
  /// - Complexity: O(data.count).
  static func write(_ data: Data, to url: URL) throws(ShardingError) {
    let writer = try AtomicFileWriter(url)
    try writer.write(data)
    try writer.commit()
  }

  /// The temporary files in `folder` left by writers in other processes, keyed by the name
  /// of the file each was meant to become.
  ///
  /// - Complexity: O(number of files in the folder).
  static func foreignTemporaries(in folder: URL) -> [String: [URL]] {
    let own = temporaryMarker + String(ProcessInfo.processInfo.processIdentifier)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    var result: [String: [URL]] = [:]
    for name in names where !name.hasSuffix(own) {
      guard let marker = name.range(of: temporaryMarker, options: .backwards) else { continue }
      result[String(name[..<marker.lowerBound]), default: []].append(
        folder.appendingPathComponent(name))
    }
    return result
  }

  static let temporaryMarker = ".tmp-"
}
