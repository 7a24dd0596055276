import Foundation

/// The checks an output path passes before anything is computed or written: it must not be an
/// input or another output, and writing it must not replace anything but a regular file.
///
/// Commands call `check(_:inputs:)` before they start work, so a mistake costs nothing and
/// leaves every existing file as it was; `AtomicFileWriter` applies `destination(of:)` again
/// when it writes.
public enum OutputPath {
  /// Where writing `url` lands: `url` itself when it is a new path or a regular file, the
  /// target when it is a symbolic link to one (writing goes through the link).
  ///
  /// - Throws: `DataFileError.refusedOutput` for a folder, a device, a pipe, a socket or a
  ///   dangling link; `.unwritable` when the path's folder does not exist or cannot be examined.
  public static func destination(of url: URL) throws(DataFileError) -> URL {
    let path = url.path
    var info = stat()
    guard lstat(path, &info) == 0 else {
      guard errno == ENOENT else {
        throw .unwritable(path: path, reason: FileSystemReason.current(writing: true))
      }
      try requireFolder(of: url)
      return url
    }
    if info.st_mode & S_IFMT == S_IFLNK {
      guard let resolved = realpath(path, nil) else {
        throw .refusedOutput(
          path: path,
          reason: "it is a symbolic link to \(linkTarget(path)), which does not exist; create "
            + "the target or remove the link")
      }
      defer { free(resolved) }
      return try destination(of: URL(fileURLWithPath: String(cString: resolved)))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      return url
    case S_IFDIR:
      throw .refusedOutput(path: path, reason: "it is a folder; give the path of a file")
    default:
      throw .refusedOutput(
        path: path,
        reason: "it is not a regular file (a device, pipe or socket), and writing would "
          + "replace it; give the path of a regular file")
    }
  }

  /// Checks every output as `destination(of:)` does and refuses an output that is also an
  /// input or another output (the same path, through links or not, or the same file).
  ///
  /// - Parameter outputs: the paths about to be written.
  /// - Parameter inputs: the paths read by the same command.
  /// - Parameter creatingFolders: outputs whose folder does not exist yet are accepted (the
  ///   command creates it).
  /// - Throws: `DataFileError.refusedOutput` naming both paths.
  public static func check(
    _ outputs: [URL], inputs: [URL] = [], creatingFolders: Bool = false
  ) throws(DataFileError) {
    let inputKeys = inputs.map { (url: $0, key: FileKey($0)) }
    var outputKeys: [(url: URL, key: FileKey)] = []
    for output in outputs {
      let destination: URL
      if creatingFolders, !folderExists(output.deletingLastPathComponent()) {
        destination = output
      } else {
        destination = try Self.destination(of: output)
      }
      let key = FileKey(destination)
      if let input = inputKeys.first(where: { $0.key.matches(key) }) {
        throw .refusedOutput(
          path: output.path,
          reason: "it is also an input (\(input.url.path)), which writing would destroy; "
            + "choose another output path")
      }
      if let other = outputKeys.first(where: { $0.key.matches(key) }) {
        throw .refusedOutput(
          path: output.path,
          reason: "it is also given as another output (\(other.url.path)), and one would "
            + "overwrite the other; give each output its own path")
      }
      outputKeys.append((output, key))
    }
  }

  /// Creates `folder` and its missing parents, accepting one that exists.
  ///
  /// - Throws: `DataFileError.refusedOutput` when the path exists and is not a folder,
  ///   `.unwritable` when it cannot be created.
  public static func createFolder(_ folder: URL) throws(DataFileError) {
    var info = stat()
    if stat(folder.path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else {
        throw .refusedOutput(
          path: folder.path, reason: "it exists and is not a folder; choose another output folder")
      }
      return
    }
    let parent = folder.deletingLastPathComponent()
    if parent.path != folder.path { try createFolder(parent) }
    guard mkdir(folder.path, 0o777) == 0 || errno == EEXIST else {
      throw .unwritable(path: folder.path, reason: FileSystemReason.current(writing: true))
    }
  }

  // MARK: - Helpers

  private static func requireFolder(of url: URL) throws(DataFileError) {
    let folder = url.deletingLastPathComponent()
    var info = stat()
    guard stat(folder.path, &info) == 0 else {
      throw .unwritable(path: url.path, reason: FileSystemReason.current(writing: true))
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw .unwritable(path: url.path, reason: FileSystemReason.describe(ENOTDIR, writing: true))
    }
  }

  private static func folderExists(_ folder: URL) -> Bool {
    var info = stat()
    return stat(folder.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }

  private static func linkTarget(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return "a missing target" }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// What identifies a file: its canonical path (links resolved) and, when it exists, its
/// device and inode, so hard links and different spellings of one path compare equal.
private struct FileKey {
  let path: String
  let inode: (device: UInt64, inode: UInt64)?

  init(_ url: URL) {
    var info = stat()
    if stat(url.path, &info) == 0 {
      inode = (UInt64(info.st_dev), UInt64(info.st_ino))
    } else {
      inode = nil
    }
    path = Self.canonical(url)
  }

  func matches(_ other: FileKey) -> Bool {
    if path == other.path { return true }
    guard let mine = inode, let theirs = other.inode else { return false }
    return mine == theirs
  }

  /// The real path of `url`, or of its folder followed by its name when it does not exist.
  private static func canonical(_ url: URL) -> String {
    if let resolved = realpath(url.path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    let folder = url.deletingLastPathComponent()
    if folder.path != url.path, let resolved = realpath(folder.path, nil) {
      defer { free(resolved) }
      return String(cString: resolved) + "/" + url.lastPathComponent
    }
    return url.standardizedFileURL.path
  }
}

extension OutputPath {
  /// Checks, before any work, that `folder` is a writable folder or can be created: the
  /// nearest existing ancestor must be a writable folder.
  ///
  /// - Throws: `DataFileError.refusedOutput` when the path (or an ancestor) is not a folder,
  ///   `.unwritable` when it cannot be written.
  public static func checkFolder(_ folder: URL) throws(DataFileError) {
    var info = stat()
    guard stat(folder.path, &info) == 0 else {
      guard errno == ENOENT else {
        throw .unwritable(path: folder.path, reason: FileSystemReason.current(writing: true))
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path != folder.path { try checkFolder(parent) }
      return
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw .refusedOutput(
        path: folder.path, reason: "it exists and is not a folder; choose another output folder")
    }
    guard access(folder.path, W_OK) == 0 else {
      throw .unwritable(path: folder.path, reason: FileSystemReason.current(writing: true))
    }
  }
}
