/// One option as a command declares it: its name, its value's placeholder and what it means.
///
/// A command that declares its options gets the OPTIONS part of its `--help` rendered from
/// them, and an argument list that refuses every other option by name (`unknownOption`) and
/// every declared one the command did not read for the options given (`notApplicableHere`).
/// Options several commands share are declared once, in `OptionGroups.swift`.
struct OptionDoc: Sendable {
  /// The name without dashes: `depth`.
  let name: String
  /// The value's placeholder (`L`), nil for a flag.
  let value: String?
  /// What it does and its default; several lines allowed.
  let text: String

  init(_ name: String, _ value: String? = nil, _ text: String) {
    self.name = name
    self.value = value
    self.text = text
  }

  /// `--depth L`.
  var spelling: String { "--\(name)" + (value.map { " \($0)" } ?? "") }
}

extension [OptionDoc] {
  /// The OPTIONS block of a `--help`: spellings in one column, each text after it (continuation
  /// lines aligned under the text), two spaces in from the margin.
  var rendered: String {
    let column = Swift.min(20, (map(\.spelling.count).max() ?? 0) + 2)
    let indent = String(repeating: " ", count: 2 + column)
    return map { doc in
      let lines = doc.text.split(separator: "\n", omittingEmptySubsequences: false)
      let head =
        doc.spelling.count + 2 > column
        ? "  \(doc.spelling)\n\(indent)\(lines[0])"
        : "  " + doc.spelling.padding(toLength: column, withPad: " ", startingAt: 0) + lines[0]
      return ([head] + lines.dropFirst().map { indent + $0 }).joined(separator: "\n")
    }.joined(separator: "\n")
  }
}
