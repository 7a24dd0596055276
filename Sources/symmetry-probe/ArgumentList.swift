/// The arguments of one command, consumed option by option; whatever is left is an error.
///
/// Accepts `--name value` and `--name=value`. The shape follows swift-argument-parser (a command
/// is a value type built from its options, validated, then run) without the dependency.
struct ArgumentList {
  private var remaining: [String]
  let command: String
  /// The options the command declares (`Command.options`): the only names it may read.
  private let declared: Set<String>

  init(_ arguments: [String], command: String, declared: [OptionDoc]) {
    remaining = arguments
    self.command = command
    self.declared = Set(declared.map(\.name))
  }

  /// A command reads only the options it declares, so its help lists every one it takes
  /// (`CommandOptionTests` checks every command's source against its help).
  private func requireDeclared(_ name: String) {
    precondition(
      declared.contains(name), "internal: \(command) reads --\(name) without declaring it")
  }

  /// Refuses the first option the command does not declare, before anything is read, so an
  /// unknown (or misspelt) option is named even when a required one is also missing.
  func refuseUndeclared() throws(CommandLineError) {
    for argument in remaining where argument.hasPrefix("--") {
      let name = String(argument.dropFirst(2).prefix { $0 != "=" })
      if !declared.contains(name) {
        throw .unknownOption(argument, command: command, known: declared.sorted())
      }
    }
  }

  /// Whether `--help` or `-h` was given.
  var wantsHelp: Bool { remaining.contains("--help") || remaining.contains("-h") }

  /// Removes and returns the value of `--name`, or nil if absent.
  mutating func option(_ name: String) throws(CommandLineError) -> String? {
    requireDeclared(name)
    let flag = "--\(name)"
    guard let index = remaining.firstIndex(where: { $0 == flag || $0.hasPrefix(flag + "=") }) else {
      return nil
    }
    let argument = remaining.remove(at: index)
    if argument.count > flag.count { return String(argument.dropFirst(flag.count + 1)) }
    guard index < remaining.count, !remaining[index].hasPrefix("--") else {
      throw .missingValue(option: flag, command: command)
    }
    return remaining.remove(at: index)
  }

  /// Every value of a repeatable `--name`, each possibly a comma-separated list.
  mutating func list(_ name: String) throws(CommandLineError) -> [String]? {
    var values: [String] = []
    while let value = try option(name) {
      values += value.split(separator: ",").map { $0.trimmingWhitespace() }
    }
    return values.isEmpty ? nil : values
  }

  /// The value of `--name` converted by `parse`, or nil if absent.
  mutating func option<T>(
    _ name: String, expected: String, _ parse: (String) -> T?
  ) throws(CommandLineError) -> T? {
    guard let text = try option(name) else { return nil }
    guard let value = parse(text) else {
      throw .invalidValue(option: "--\(name)", value: text, expected: expected)
    }
    return value
  }

  /// The value of a required `--name`.
  mutating func required(_ name: String) throws(CommandLineError) -> String {
    guard let value = try option(name) else {
      throw .missingOption(option: "--\(name)", command: command)
    }
    return value
  }

  /// The value of `--name` as a case of `T`, matched in any letter case.
  mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String) throws(CommandLineError)
    -> T?
  where T.RawValue == String {
    try option(name, expected: T.allCases.map(\.rawValue).joined(separator: ", ")) {
      T(matching: $0)
    }
  }

  /// Every value of the list `--name` as a case of `T`, each matched in any letter case.
  mutating func choices<T: RawRepresentable & CaseIterable>(_ name: String) throws(CommandLineError)
    -> [T]?
  where T.RawValue == String {
    try list(name)?.map { (text: String) throws(CommandLineError) -> T in
      guard let value = T(matching: text) else {
        throw .invalidValue(
          option: "--\(name)", value: text,
          expected: T.allCases.map(\.rawValue).joined(separator: ", "))
      }
      return value
    }
  }

  /// Removes `--name` and says whether it was there.
  mutating func flag(_ name: String) -> Bool {
    requireDeclared(name)
    guard let index = remaining.firstIndex(of: "--\(name)") else { return false }
    remaining.remove(at: index)
    return true
  }

  /// Refuses `names` with `reason` when any is given: options that the other options make
  /// meaningless are refused, never silently ignored.
  func refuse(_ names: [String], because reason: String) throws(CommandLineError) {
    for name in names where contains(name) {
      throw .notApplicableHere(option: "--\(name)", reason: reason, command: command)
    }
  }

  /// Throws if any argument was not consumed: an option the command does not have, one it
  /// has but did not read for the options given, or a stray word.
  func finish() throws(CommandLineError) {
    guard let first = remaining.first else { return }
    if first.hasPrefix("--") {
      let name = String(first.dropFirst(2).prefix { $0 != "=" })
      if declared.contains(name) {
        throw .notApplicableHere(
          option: "--\(name)", reason: "the other options given do not use it", command: command)
      }
      throw .unknownOption(first, command: command, known: declared.sorted())
    }
    throw .unexpectedArgument(first, command: command)
  }

  /// Whether `--name` (as `--name V`, `--name=V` or a flag) is among the arguments not read yet.
  func contains(_ name: String) -> Bool {
    requireDeclared(name)
    let flag = "--\(name)"
    return remaining.contains { $0 == flag || $0.hasPrefix(flag + "=") }
  }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
  /// The case whose name is `text` in any letter case.
  init?(matching text: String) {
    guard let value = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() })
    else {
      return nil
    }
    self = value
  }
}

extension Substring {
  func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}

/// A mistake on the command line, with how to fix it.
enum CommandLineError: Error, CustomStringConvertible {
  case missingValue(option: String, command: String)
  case missingOption(option: String, command: String)
  case invalidValue(option: String, value: String, expected: String)
  case unexpectedArgument(String, command: String)
  case unknownCommand(String, known: [String])
  case notApplicable(option: String, actions: [String], appliesTo: [String])
  case notApplicableHere(option: String, reason: String, command: String)
  case unknownOption(String, command: String, known: [String])

  var description: String {
    switch self {
    case .missingValue(let option, let command):
      return "\(option) needs a value; see 'symmetry-probe \(command) --help'"
    case .missingOption(let option, let command):
      return "\(command) needs \(option); see 'symmetry-probe \(command) --help'"
    case .invalidValue(let option, let value, let expected):
      return "\(option) \(Self.quoted(value)) is not valid: expected \(expected)"
    case .unexpectedArgument(let argument, let command):
      return "unexpected argument \(Self.quoted(argument)); see 'symmetry-probe \(command) --help'"
    case .unknownCommand(let name, let known):
      return "unknown command \(Self.quoted(name)); commands: \(known.joined(separator: ", "))"
    case .notApplicable(let option, let actions, let appliesTo):
      return "\(option) does not apply to \(actions.joined(separator: ", ")): it fixes the element "
        + "of \(appliesTo.joined(separator: " or ")) only; remove it or choose that action"
    case .notApplicableHere(let option, let reason, let command):
      return
        "\(option) does not apply here: \(reason); remove it (see 'symmetry-probe \(command) --help')"
    case .unknownOption(let option, let command, let known):
      return "\(command) has no option \(Self.quoted(option)); its options: "
        + known.map { "--\($0)" }.joined(separator: ", ")
    }
  }

  /// An argument as the message quotes it: whole when short, its start and its length when
  /// long (a pasted file or a runaway shell expansion should not flood the terminal).
  static func quoted(_ argument: String) -> String {
    guard argument.count > 80 else { return "'\(argument)'" }
    return "'\(argument.prefix(60))...' (\(argument.count) characters)"
  }
}
