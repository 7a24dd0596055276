import Foundation

/// A file written piece by piece under a temporary name and renamed into place on `commit`, so
/// a reader (or a rerun after a kill) sees either the old file or the whole new one, and a
/// failure before the rename leaves the old file exactly as it was.
///
/// The destination is checked first (`OutputPath.destination(of:)`): a new path or a regular
/// file is written, a symbolic link is written through (its target is replaced, the link
/// stays), anything else (a folder, a device, a pipe) is refused, because renaming over it
/// would replace it with a regular file. The temporary file is `<name>.tmp-<process id>` in the
/// destination's folder, so the rename stays on one file system and two processes never share
/// a temporary file; a replaced file keeps its permissions. A process killed before `commit`
/// leaves its temporary file behind; it is never read, and the sharded runs remove such files
/// (see `foreignTemporaries(in:)`).
public final class AtomicFileWriter {
  /// The path written: the requested one, or the target of the symbolic link it names.
  public let url: URL
  /// The temporary file written until `commit()` renames it onto `url`, in the same folder.
  public let temporaryURL: URL
  private var descriptor: Int32
  /// The permission bits of the file being replaced, if any.
  private let replacedMode: mode_t?

  /// Opens a fresh temporary file next to the destination of `requested`.
  ///
  /// - Throws: `DataFileError.refusedOutput` for a destination that must not be replaced,
  ///   `.unwritable` when the temporary file cannot be created.
  public init(_ requested: URL) throws(DataFileError) {
    url = try OutputPath.destination(of: requested)
    temporaryURL = url.deletingLastPathComponent().appendingPathComponent(
      url.lastPathComponent + Self.temporaryMarker
        + String(ProcessInfo.processInfo.processIdentifier))
    var info = stat()
    replacedMode = stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : nil
    descriptor = open(temporaryURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      throw .unwritable(path: url.path, reason: FileSystemReason.current(writing: true))
    }
  }

  deinit {
    if descriptor >= 0 { discard() }
  }

  /// Appends `data` to the temporary file.
  /// - Complexity: O(data.count).
  public func write(_ data: Data) throws(DataFileError) {
    let failure: Int32? = data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
    if let failure {
      discard()
      throw .unwritable(path: url.path, reason: FileSystemReason.describe(failure, writing: true))
    }
  }

  /// Flushes the temporary file to storage and renames it over the destination.
  public func commit() throws(DataFileError) {
    try Self.commit([self])
  }

  /// Commits several writers together: every file is flushed and closed first, and only when
  /// all succeeded are they renamed into place, so a failure (a full disk) replaces none.
  public static func commit(_ writers: [AtomicFileWriter]) throws(DataFileError) {
    for writer in writers {
      do throws(DataFileError) {
        try writer.finish()
      } catch {
        for other in writers { other.discard() }
        throw error
      }
    }
    for (index, writer) in writers.enumerated() {
      guard rename(writer.temporaryURL.path, writer.url.path) == 0 else {
        let reason = FileSystemReason.current(writing: true)
        for other in writers[index...] { other.discard() }
        throw .unwritable(path: writer.url.path, reason: reason)
      }
    }
  }

  /// Synchronises and closes the temporary file, keeping the replaced file's permissions.
  private func finish() throws(DataFileError) {
    // Synchronising before the rename means a node that crashes right after it cannot leave a
    // complete-looking name over incomplete contents.
    if let replacedMode { fchmod(descriptor, replacedMode) }
    let synced = fsync(descriptor) == 0 ? nil : errno
    let closed = close(descriptor) == 0 ? nil : errno
    descriptor = -1
    if let code = synced ?? closed {
      discard()
      throw .unwritable(path: url.path, reason: FileSystemReason.describe(code, writing: true))
    }
  }

  /// Closes and removes the temporary file; the destination is untouched.
  public func discard() {
    if descriptor >= 0 {
      close(descriptor)
      descriptor = -1
    }
    unlink(temporaryURL.path)
  }

  /// Writes `data` to `url` atomically.
  /// - Complexity: O(data.count).
  public static func write(_ data: Data, to url: URL) throws(DataFileError) {
    let writer = try AtomicFileWriter(url)
    try writer.write(data)
    try writer.commit()
  }

  /// The temporary files in `folder` left by writers in other processes, keyed by the name
  /// of the file each was meant to become.
  ///
  /// - Complexity: O(number of files in the folder).
  public static func foreignTemporaries(in folder: URL) -> [String: [URL]] {
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

  /// The marker in every temporary file's name, by which `foreignTemporaries(in:)` finds the
  /// temporaries an interrupted writer left behind.
  public static let temporaryMarker = ".tmp-"
}
