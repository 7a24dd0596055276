/// A layer's arguments in the layer-list syntax, consumed one by one by the kind's `parse` so
/// that leftovers are reported, with the command's defaults for omitted values.
///
/// `name(a, b, key=value)`: plain values first, then `key=value` pairs; values are
/// case-insensitive. `text` is the raw text between the parentheses, for a kind that reads
/// nested layers.
struct LayerArguments {
  /// The defaults for omitted standard deviations, filter size and padding.
  struct Defaults: Sendable {
    let weightStd: Double
    let biasStd: Double
    let filterSize: Int
    let padding: Padding
  }

  /// The whole layer, `name(arguments)`, and where it starts in the list, for errors.
  let token: String
  let position: LayerPosition
  /// The text between the parentheses ("" without them), and the character offset of its
  /// first character in the whole list (for the positions of nested layers).
  let text: String
  let textOffset: Int
  let defaults: Defaults
  private(set) var positional: [String] = []
  private var named: [String: String] = [:]

  /// Splits `text` (nil without parentheses) at top-level commas into plain and keyed arguments.
  init(token: String, position: LayerPosition, text: String?, defaults: Defaults)
    throws(ArchitectureError)
  {
    self.token = token
    self.position = position
    self.text = text ?? ""
    textOffset = position.offset
    self.defaults = defaults
    guard let text else { return }
    var pieces: [String] = []
    var current = ""
    var depth = 0
    for character in text {
      if character == "(" { depth += 1 }
      if character == ")" { depth -= 1 }
      if character == ",", depth == 0 {
        pieces.append(current)
        current = ""
      } else if !character.isWhitespace {
        current.append(character)
      }
    }
    pieces.append(current)
    guard !pieces.contains(where: \.isEmpty) else {
      throw .malformedArguments(
        layer: token, position: position,
        reason: "an empty argument; write name(), or values between commas")
    }
    for argument in pieces {
      let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
      switch parts.count {
      case 1:
        guard named.isEmpty else {
          throw .malformedArguments(
            layer: token, position: position,
            reason: "'\(argument)' follows a key=value argument; put plain values first")
        }
        positional.append(argument.lowercased())
      case 2:
        let key = parts[0].lowercased()
        guard !parts[1].isEmpty else {
          throw .malformedArguments(
            layer: token, position: position, reason: "'\(key)=' has no value")
        }
        guard named[key] == nil else {
          throw .malformedArguments(
            layer: token, position: position, reason: "'\(key)' is given twice")
        }
        named[key] = parts[1].lowercased()
      default:
        throw .malformedArguments(
          layer: token, position: position, reason: "'\(argument)' has more than one '='")
      }
    }
  }

  /// The arguments of a kind that reads a nested layer list (`LayerKind.takesLayerList`): the
  /// text is not split into values.
  init(
    token: String, position: LayerPosition, layerList text: String, textOffset: Int,
    defaults: Defaults
  ) {
    self.token = token
    self.position = position
    self.text = text
    self.textOffset = textOffset
    self.defaults = defaults
  }

  /// The raw text between the parentheses, taken whole (for nested layers).
  mutating func takeText() -> String {
    positional = []
    named = [:]
    return text
  }

  /// k from `k=` or a positional integer.
  mutating func filterSize() throws(ArchitectureError) -> Int? {
    try integer("k", positional: true, what: "filter size")
  }

  /// An integer from `key=` or, when `positional`, the one plain integer.
  mutating func integer(_ key: String, positional allowPositional: Bool = false, what: String)
    throws(ArchitectureError) -> Int?
  {
    var text = named.removeValue(forKey: key)
    let integers = allowPositional ? positional.filter { Int($0) != nil } : []
    guard integers.count + (text == nil ? 0 : 1) <= 1 else {
      throw .malformedArguments(
        layer: token, position: position, reason: "the \(what) is given twice")
    }
    if let integer = integers.first {
      text = integer
      positional.removeAll { $0 == integer }
    }
    guard let text else { return nil }
    guard let value = Int(text) else {
      throw .malformedArguments(
        layer: token, position: position, reason: "\(what) '\(text)' is not an integer")
    }
    return value
  }

  /// The padding from `padding=` or a positional padding name.
  mutating func padding() throws(ArchitectureError) -> Padding? {
    var text = named.removeValue(forKey: "padding")
    let names = positional.filter { Padding(rawValue: $0) != nil }
    guard names.count + (text == nil ? 0 : 1) <= 1 else {
      throw .malformedArguments(
        layer: token, position: position, reason: "the padding is given twice")
    }
    if let name = names.first {
      text = name
      positional.removeAll { $0 == name }
    }
    guard let text else { return nil }
    guard let value = Padding(rawValue: text) else {
      throw .malformedArguments(
        layer: token, position: position,
        reason:
          "unknown padding '\(text)'; use \(Padding.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    return value
  }

  /// A real number from `key=`.
  mutating func number(_ key: String) throws(ArchitectureError) -> Double? {
    guard let text = named.removeValue(forKey: key) else { return nil }
    guard let value = Double(text) else {
      throw .malformedArguments(
        layer: token, position: position, reason: "\(key)=\(text) is not a number")
    }
    return value
  }

  /// The next plain value as a real number, or `key=`; nil when neither is given.
  mutating func positionalNumber(_ key: String) throws(ArchitectureError) -> Double? {
    if let keyed = try number(key) { return keyed }
    guard let first = positional.first else { return nil }
    guard let value = Double(first) else {
      throw .malformedArguments(
        layer: token, position: position, reason: "'\(first)' is not a number (\(key))")
    }
    positional.removeFirst()
    return value
  }

  /// A finite real number from the next plain value or `key=`; throws when it is missing
  /// (naming `example`) or not finite.
  mutating func requiredNumber(_ key: String, example: String) throws(ArchitectureError) -> Double {
    guard let value = try positionalNumber(key) else {
      throw .malformedArguments(
        layer: token, position: position, reason: "missing \(key); write e.g. \(example)")
    }
    guard value.isFinite else {
      throw .malformedArguments(
        layer: token, position: position, reason: "\(key) = \(value) is not finite")
    }
    return value
  }

  /// A finite real number from `key=`, nil when not given.
  mutating func finiteNumber(_ key: String) throws(ArchitectureError) -> Double? {
    guard let value = try number(key) else { return nil }
    guard value.isFinite else {
      throw .malformedArguments(
        layer: token, position: position, reason: "\(key)=\(value) is not finite")
    }
    return value
  }

  /// Whether the plain value `word` is given (and takes it).
  mutating func flag(_ word: String) -> Bool {
    guard let index = positional.firstIndex(of: word) else { return false }
    positional.remove(at: index)
    return true
  }

  /// Throws on any argument the layer did not take.
  func requireAllUsed() throws(ArchitectureError) {
    if let extra = positional.first {
      throw .malformedArguments(
        layer: token, position: position, reason: "unexpected argument '\(extra)'")
    }
    if let key = named.keys.sorted().first {
      throw .malformedArguments(layer: token, position: position, reason: "unexpected key '\(key)'")
    }
  }
}
