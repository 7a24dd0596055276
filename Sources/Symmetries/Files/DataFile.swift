import Foundation

/// Whole-file reads and the one way this package writes files: atomically, all or nothing,
/// never over anything but a regular file, failures reported as `DataFileError` sentences.
public enum DataFile {
  /// The bytes of the regular file at `url`.
  ///
  /// - Throws: `DataFileError.fileNotFound` when nothing is there, `.unreadable` for a folder,
  ///   a device or pipe (whose reads may never end) or a file that cannot be read.
  /// - Complexity: O(file size).
  public static func read(_ url: URL) throws(DataFileError) -> Data {
    let path = url.path
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw .fileNotFound(path: path) }
      throw .unreadable(path: path, reason: FileSystemReason.current(writing: false))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR:
      throw .unreadable(path: path, reason: "it is a folder; give the path of a file inside it")
    default:
      throw .unreadable(
        path: path,
        reason: "it is not a regular file (a device, pipe or socket); save the data to a file "
          + "and give its path")
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .unreadable(path: path, reason: FileSystemReason.current(writing: false))
    }
    defer { close(descriptor) }
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes {
        Foundation.read(descriptor, $0.baseAddress!, $0.count)
      }
      if count == 0 { return data }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: FileSystemReason.current(writing: false))
      }
      data.append(contentsOf: chunk[..<count])
    }
  }

  /// Writes `data` to `url` atomically (see `AtomicFileWriter`).
  ///
  /// - Complexity: O(data.count).
  public static func write(_ data: Data, to url: URL) throws(DataFileError) {
    try AtomicFileWriter.write(data, to: url)
  }

  /// Writes every file or none: the paths are checked together (no output twice, none equal
  /// to an input), each file is staged under a temporary name next to its destination, and only
  /// when all are staged are they renamed into place.
  ///
  /// - Complexity: O(total size).
  public static func write(_ files: [(url: URL, data: Data)], inputs: [URL] = [])
    throws(DataFileError)
  {
    try OutputPath.check(files.map(\.url), inputs: inputs)
    var writers: [AtomicFileWriter] = []
    do throws(DataFileError) {
      for file in files {
        let writer = try AtomicFileWriter(file.url)
        writers.append(writer)
        try writer.write(file.data)
      }
    } catch {
      for writer in writers { writer.discard() }
      throw error
    }
    try AtomicFileWriter.commit(writers)
  }

  /// Writes text files into `folder` (created if missing), all or none, as `write(_:inputs:)`.
  public static func write(
    _ files: [(name: String, contents: String)], into folder: URL, inputs: [URL] = []
  ) throws(DataFileError) {
    try OutputPath.check(
      files.map { folder.appendingPathComponent($0.name) }, inputs: inputs, creatingFolders: true)
    try OutputPath.createFolder(folder)
    try write(
      files.map { (folder.appendingPathComponent($0.name), Data($0.contents.utf8)) }, inputs: inputs
    )
  }
}
