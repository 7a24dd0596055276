import Foundation
import Symmetries

/// One sub-command as the dispatcher sees it.
struct CommandEntry {
  let name: String
  let abstract: String
  let help: String
  let options: [OptionDoc]
  let execute: (inout ArgumentList) throws -> Void

  init<C: Command>(_ type: C.Type) {
    name = C.name
    abstract = C.abstract
    help = C.help
    options = C.options
    execute = { arguments in try C(&arguments).run() }
  }
}

/// The tool: dispatches to a sub-command and turns errors into messages and exit codes
/// (2 for a mistake on the command line, 1 for a failure while running).
struct Tool {
  let commands: [CommandEntry]

  var overview: String {
    """
    symmetry-probe: test the symmetries of learning algorithms.

    USAGE: symmetry-probe <command> [options]
           symmetry-probe <command> --help

    COMMANDS:
    \(commands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.abstract }
      .joined(separator: "\n"))
    """
  }

  func run(_ arguments: [String]) -> Int32 {
    guard let name = arguments.first, !["--help", "-h", "help"].contains(name) else {
      print(overview)
      return 0
    }
    guard let command = commands.first(where: { $0.name == name }) else {
      report(CommandLineError.unknownCommand(name, known: commands.map(\.name)))
      return 2
    }
    var list = ArgumentList(
      Array(arguments.dropFirst()), command: command.name, declared: command.options)
    if list.wantsHelp {
      print(command.help)
      return 0
    }
    do {
      try list.refuseUndeclared()
      try command.execute(&list)
      return 0
    } catch let error as CommandLineError {
      report(error)
      return 2
    } catch {
      report(error)
      return 1
    }
  }

  private func report(_ error: any Error) {
    FileHandle.standardError.write(Data("error: \(Self.sentence(for: error))\n".utf8))
  }

  /// What the user reads for `error`: the project's typed errors are sentences already; a
  /// decoding error or a Foundation error that escaped them (an `NSError`, whose description
  /// is an `NSCocoaErrorDomain` dump) becomes a clause that says what went wrong.
  static func sentence(for error: any Error) -> String {
    if error is DecodingError {
      return "a JSON input cannot be read: \(JSONReason.describe(error))"
    }
    if type(of: error) is NSError.Type {
      return "a file operation failed: \(FileSystemReason.of(error, writing: false))"
    }
    return "\(error)"
  }
}
