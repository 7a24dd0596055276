import Foundation

/// Whole-file reads and atomic writes that report failures as `DataFileError`.
public enum DataFile {
  /// The bytes of the file at `url`.
  ///
  /// - Throws: `DataFileError.fileNotFound` when nothing is there, `.unreadable` otherwise.
  /// - Complexity: O(file size).
  public static func read(_ url: URL) throws(DataFileError) -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw .fileNotFound(path: url.path)
    }
    guard !isDirectory.boolValue else {
      throw .unreadable(path: url.path, reason: "it is a directory, not a file")
    }
    do {
      return try Data(contentsOf: url)
    } catch {
      throw .unreadable(path: url.path, reason: "\(error)")
    }
  }

  /// Writes `data` to `url` atomically: to a temporary file in the same folder, then renamed
  /// over `url`, so a reader never sees a half-written file.
  ///
  /// - Complexity: O(data.count).
  public static func write(_ data: Data, to url: URL) throws(DataFileError) {
    do {
      try data.write(to: url, options: .atomic)
    } catch {
      throw .unwritable(path: url.path, reason: "\(error)")
    }
  }
}
