import Foundation
import Symmetries

/// Where the fixtures folder (small real data sets and reference values) lives.
public enum Fixtures {
  /// The environment variable that overrides every other place.
  public static let environmentVariable = "SYMMETRY_PROBES_FIXTURES"

  /// The fixtures folder, from the first of these that exists:
  /// 1. the folder named by `SYMMETRY_PROBES_FIXTURES`;
  /// 2. `fixtures` in the current directory;
  /// 3. `fixtures` at the repository root this source file was built from
  ///    (two levels above `Sources/Probes`).
  ///
  /// - Throws: `DataFileError.fixturesNotFound` naming all three places.
  public static var directory: URL {
    get throws(DataFileError) {
      var searched: [String] = []
      if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        if isDirectory(url) { return url }
        searched.append("\(environmentVariable)=\(path) (not a folder)")
      } else {
        searched.append("\(environmentVariable) (not set)")
      }
      let current = URL(
        fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true
      )
      .appendingPathComponent("fixtures", isDirectory: true)
      if isDirectory(current) { return current }
      searched.append(current.path)
      let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Sources/Probes/DataSets
        .deletingLastPathComponent()  // Sources/Probes
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("fixtures", isDirectory: true)
      if isDirectory(repository) { return repository }
      searched.append(repository.path)
      throw .fixturesNotFound(searched: searched)
    }
  }

  /// The file or folder at `relativePath` inside the fixtures folder.
  public static func url(_ relativePath: String) throws(DataFileError) -> URL {
    try directory.appendingPathComponent(relativePath)
  }

  static func isDirectory(_ url: URL) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}
