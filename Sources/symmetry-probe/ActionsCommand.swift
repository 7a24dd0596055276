import Foundation
import Probes
import Symmetries

/// `symmetry-probe actions`: the catalogue of group actions.
struct ActionsCommand: Command {
  static let name = "actions"
  static let abstract = "List the group actions (the names --action and the reports use)."
  static let options = [
    OptionDoc.format("text (default), json (an array of {name, formula}) or markdown")
  ]

  static let help = """
    USAGE: symmetry-probe actions [--format text|json|markdown]

    Lists every group action in the catalogue with its formula. Random families draw Haar
    (continuous groups) or uniform non-identity (finite groups) elements from a seed.

    OPTIONS:
    \(options.rendered)
    """

  let format: OutputFormat

  init(_ arguments: inout ArgumentList) throws {
    format = try OutputFormat.parse(&arguments)
    try arguments.finish()
  }

  func run() throws {
    let families = ActionCatalogue.families
    switch format {
    case .text:
      let width = families.map(\.name.count).max() ?? 0
      for family in families {
        print(
          family.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + family.formula)
      }
    case .markdown:
      print("| action | formula |\n|---|---|")
      for family in families { print("| `\(family.name)` | \(family.formula) |") }
    case .json:
      let objects = families.map { ["name": $0.name, "formula": $0.formula] }
      try printJSON(objects)
    }
  }
}

/// Prints a JSON value, pretty and with sorted keys so output is stable.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
