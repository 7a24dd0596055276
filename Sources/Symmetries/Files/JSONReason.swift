import Foundation

/// What a failed JSON decoding means for the user, as one clause: which key or value was wrong
/// and where, instead of `DecodingError`'s dump of coding paths and the underlying
/// `NSCocoaErrorDomain` error.
public enum JSONReason {
  /// The clause for `error`; any other error is described by `FileSystemReason` (reading).
  public static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else {
      return FileSystemReason.of(error, writing: false)
    }
    switch error {
    case .dataCorrupted(let context) where context.codingPath.isEmpty:
      return "it is not valid JSON (truncated, or not a JSON file)"
    case .dataCorrupted(let context):
      return "the value at \(path(context.codingPath)) is not valid: \(context.debugDescription)"
    case .keyNotFound(let key, let context):
      return "the key '\(key.stringValue)' is missing\(at(context.codingPath))"
    case .typeMismatch(let type, let context):
      return "the value at \(path(context.codingPath)) is not \(article(type))"
    case .valueNotFound(let type, let context):
      return "the value at \(path(context.codingPath)) is null where \(article(type)) is needed"
    @unknown default:
      return "it is not the JSON this reads"
    }
  }

  /// A coding path as a reader writes it: `records[3].q_star`.
  private static func path(_ codingPath: [any CodingKey]) -> String {
    guard !codingPath.isEmpty else { return "the top level" }
    return codingPath.reduce("") { text, key in
      if let index = key.intValue { return text + "[\(index)]" }
      return text.isEmpty ? key.stringValue : text + "." + key.stringValue
    }
  }

  private static func at(_ codingPath: [any CodingKey]) -> String {
    codingPath.isEmpty ? "" : " in \(path(codingPath))"
  }

  private static func article(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Double.Type, is Float.Type: return "a number"
    case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type: return "an integer"
    case is Bool.Type: return "true or false"
    default:
      let name = "\(type)"
      if name.hasPrefix("Array") { return "a list" }
      if name.hasPrefix("Dictionary") { return "an object" }
      return "a \(name)"
    }
  }
}
