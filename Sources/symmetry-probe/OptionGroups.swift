import Foundation
import Learners
import Probes
import Symmetries

/// The option groups several commands share (architecture, data, output, format, and the
/// element of an action), each option declared here once, with its name, placeholder and the
/// words that describe it, and read by one function. A command lists the ones it takes in its
/// `options` and passes only what differs (its default); so `--dataset` means one thing and is
/// refused in one style everywhere.

// MARK: - Architecture

extension OptionDoc {
  /// The architecture names, for the texts.
  static var architectureNames: String {
    NamedArchitecture.allCases.map(\.rawValue).joined(separator: ", ")
  }

  /// `--architectures LIST`: several named architectures.
  static func architectures(default text: String) -> OptionDoc {
    OptionDoc(
      "architectures", "LIST", "comma-separated, from: \(architectureNames) (default: \(text))")
  }

  /// `--activation F`: the activation of every hidden layer.
  static func activation(default value: Activation, _ note: String = "") -> OptionDoc {
    OptionDoc(
      "activation", "F",
      Activation.allCases.map(\.rawValue).joined(separator: ", ") + " (default \(value.rawValue))"
        + note)
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
}

extension ArgumentList {
  /// The named architectures of the list option `name`, matched in any letter case.
  mutating func architectures(_ name: String) throws -> [NamedArchitecture]? {
    try list(name).map { try $0.map { try NamedArchitecture(named: $0) } }
  }

  /// The activation of the option `name`, matched in any letter case.
  mutating func activation(_ name: String) throws -> Activation? {
    try option(name).map { try Activation(named: $0) }
  }
}

// MARK: - Data

extension OptionDoc {
  /// `--dataset NAME`: which fixture images.
  static func dataset(_ note: String = "") -> OptionDoc {
    OptionDoc(
      "dataset", "NAME",
      "\(note.isEmpty ? "" : note + ": ")"
        + DataSet.allCases.map(\.rawValue).joined(separator: " or ")
        + " (default \(DataSet.cifar10.rawValue))")
  }

  /// `--size S`: the image side after average pooling.
  static func size(default value: Int, _ note: String = "") -> OptionDoc {
    OptionDoc("size", "S", "image side after average pooling (default \(value)\(note))")
  }

  /// `--train N`: how many training (or probe) images.
  static func train(_ what: String = "training images", default value: String) -> OptionDoc {
    OptionDoc("train", "N", "\(what) (default \(value))")
  }

  /// `--test M`: how many test images.
  static func test(_ what: String = "test images", default value: String) -> OptionDoc {
    OptionDoc("test", "M", "\(what) (default \(value))")
  }

  /// `--seed N`: what the seed draws.
  static func seed(_ what: String) -> OptionDoc {
    OptionDoc("seed", "N", "seed of \(what) (default 0)")
  }
}

extension ArgumentList {
  /// The data set of the option `name`, matched in any letter case.
  mutating func dataSet(_ name: String) throws -> DataSet? {
    try option(name).map { try DataSet(named: $0) }
  }
}

// MARK: - Output

extension OptionDoc {
  /// `--output DIR`: which files a command writes into its folder.
  static func output(_ files: String, default folder: String? = nil) -> OptionDoc {
    OptionDoc(
      "output", "DIR",
      "also write \(files) into DIR (all or none)" + (folder.map { "\n(default \($0))" } ?? ""))
  }

  /// `--cache DIR`: the kernel cache.
  static func cache(default folder: String) -> OptionDoc {
    OptionDoc(
      "cache", "DIR",
      "kernel cache, shared by curves, claims and depth: a rerun recomputes\nnothing (default \(folder); 'none' for none)"
    )
  }
}

extension ArgumentList {
  /// The folder named by the option `name`.
  mutating func folder(_ name: String) throws(CommandLineError) -> URL? {
    try option(name).map { URL(fileURLWithPath: $0, isDirectory: true) }
  }

  /// The file named by the option `name`.
  mutating func file(_ name: String) throws(CommandLineError) -> URL? {
    try option(name).map { URL(fileURLWithPath: $0) }
  }
}

// MARK: - Format

extension OptionDoc {
  /// `--format F`: what each format prints to standard output.
  static func format(_ formats: String) -> OptionDoc {
    OptionDoc("format", "F", formats + ", printed to standard output")
  }
}

// MARK: - The element of an action

extension OptionDoc {
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
    _ arguments: inout ArgumentList, for families: [any ActionFamily], patch: Bool = true,
    turns: Bool = true
  ) throws(CommandLineError) -> ActionParameters {
    let parameters = ActionParameters(
      shift: try arguments.option("shift", .shift),
      patch: patch ? try arguments.option("patch", .positiveInteger) : nil,
      turns: turns ? try arguments.option("turns", .integer) : nil)
    try parameters.requireApplicable(to: families)
    return parameters
  }
}
