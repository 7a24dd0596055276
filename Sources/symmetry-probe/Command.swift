/// A sub-command of the tool: a value built from its arguments (throwing on bad ones), then run.
protocol Command {
  /// The word that selects this command.
  static var name: String { get }
  /// One line for the overview.
  static var abstract: String { get }
  /// The full `--help` text.
  static var help: String { get }
  /// The options it takes; its help renders them, and the parser refuses any other.
  static var options: [OptionDoc] { get }
  /// Parses and validates the arguments.
  init(_ arguments: inout ArgumentList) throws
  /// Does the work, printing results to standard output and progress to standard error.
  func run() throws
}

/// How a command prints what a person reads as a table.
enum OutputFormat: String, CaseIterable {
  case text, json, markdown

  static func parse(
    _ arguments: inout ArgumentList, allowed: [OutputFormat] = OutputFormat.allCases
  )
    throws(CommandLineError) -> OutputFormat
  {
    try arguments.option(
      "format", expected: allowed.map(\.rawValue).joined(separator: ", ")
    ) { text in OutputFormat(matching: text).flatMap { allowed.contains($0) ? $0 : nil } } ?? .text
  }
}
