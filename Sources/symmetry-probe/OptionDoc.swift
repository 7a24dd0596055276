import Learners
import Symmetries

/// One option as a command declares it: its name, its value's placeholder and what it means.
///
/// A command that declares its options gets the OPTIONS part of its `--help` rendered from
/// them, and an argument list that refuses every other option by name (`unknownOption`) and
/// every declared one the command did not read for the options given (`notApplicableHere`).
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

// MARK: - Options shared by several commands

extension OptionDoc {
  /// `--format`: what each format prints to standard output.
  static func format(_ formats: String) -> OptionDoc {
    OptionDoc("format", "F", formats + ", printed to standard output")
  }

  /// `--output DIR`: which files a command writes into its folder.
  static func output(_ files: String) -> OptionDoc {
    OptionDoc("output", "DIR", "also write \(files) into DIR (all or none)")
  }

  /// `--depth L`, hidden layers.
  static func depth(_ range: String = "", default value: Int) -> OptionDoc {
    OptionDoc("depth", "L", "hidden layers\(range.isEmpty ? "" : ", \(range)") (default \(value))")
  }

  /// `--filter K`, the filter side.
  static let filter = OptionDoc("filter", "K", "filter side (default 3)")

  /// `--padding P`.
  static let padding = OptionDoc("padding", "P", "circular (default), same or valid")

  /// `--layers SPEC` with the layer-list syntax.
  static func layers(_ what: String) -> OptionDoc {
    OptionDoc("layers", "SPEC", what + "; its syntax:\n" + Architecture.layerListSyntax)
  }

  /// The options that fix a drawn group element (`transform`; `table` takes all but `turns`).
  static let element: [OptionDoc] = [
    OptionDoc("seed", "N", "seed of the random elements (default 0)"),
    OptionDoc("shift", "DY,DX", "translation: this circular shift instead of a random one"),
    OptionDoc("patch", "K", "patch-shuffle: the patch side (default 2; must divide H and W)"),
    OptionDoc(
      "turns", "K", "quarter-turn: this many counter-clockwise turns instead of a random number"),
  ]
}

extension ActionParameters {
  /// The element options of `OptionDoc.element` that are given, read and checked against the
  /// action families they would fix (`--shift` with only a flip is refused, not ignored).
  static func parse(
    _ arguments: inout ArgumentList, for families: [any ActionFamily], turns: Bool = true
  ) throws(CommandLineError) -> ActionParameters {
    let parameters = ActionParameters(
      shift: try arguments.option("shift", .shift),
      patch: try arguments.option("patch", .positiveInteger),
      turns: turns ? try arguments.option("turns", .integer) : nil)
    try parameters.requireApplicable(to: families)
    return parameters
  }
}
