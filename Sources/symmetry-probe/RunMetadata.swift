import Foundation

/// What produced a JSON report, so two reports can be compared without guessing: the command
/// line, the tool's version, when it ran, and the settings that change every number (seed,
/// data set, image size, depth). Every JSON the tool prints or writes carries it under "run".
struct RunMetadata: Encodable {
  /// The tool's version; bumped with the JSON formats.
  static let version = "0.4.0"

  var command: String = (["symmetry-probe"] + CommandLine.arguments.dropFirst()).joined(
    separator: " ")
  var version: String = RunMetadata.version
  var date: String = ISO8601DateFormatter().string(from: Date())
  var seed: UInt64?
  var dataSet: String?
  var imageSize: Int?
  var depth: [Int]?

  /// `json` (one report) with this metadata under "run": the first key of an object, or
  /// `{"run": ..., "results": [...]}` around an array. Readers that decode the report itself
  /// ignore the extra key (e.g. `depth --from-json`).
  func annotate(_ json: String) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let run = String(decoding: try encoder.encode(self), as: UTF8.self)
      .replacingOccurrences(of: "\n", with: "\n  ")
    let body = json.trimmingCharacters(in: .whitespacesAndNewlines)
    if body.hasPrefix("{") {
      let rest = body.dropFirst().drop(while: \.isWhitespace)
      return rest.hasPrefix("}") ? "{\n  \"run\" : \(run)\n}" : "{\n  \"run\" : \(run),\n  " + rest
    }
    return
      "{\n  \"run\" : \(run),\n  \"results\" : \(body.replacingOccurrences(of: "\n", with: "\n  "))\n}"
  }
}
