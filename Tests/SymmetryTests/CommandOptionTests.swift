import Foundation
import Testing

/// The tool's source folder, found from this file.
private let toolSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
    "Sources/symmetry-probe")

/// Every command the tool lists in its overview.
private func commandNames(_ tool: URL) throws -> [String] {
  let (status, overview) = try runTool(tool, ["--help"])
  #expect(status == 0)
  let block = overview.components(separatedBy: "COMMANDS:").last ?? ""
  return block.split(separator: "\n").compactMap { line in
    line.hasPrefix("  ") ? line.split(separator: " ").first.map(String.init) : nil
  }
}

/// The option names a command's `--help` lists in its OPTIONS rows (`  --name ...`).
private func declaredOptions(_ tool: URL, _ command: String) throws -> Set<String> {
  let (status, help) = try runTool(tool, [command, "--help"])
  #expect(status == 0, "\(help)")
  #expect(help.contains("OPTIONS:"), "\(command) --help has no OPTIONS block")
  return Set(
    help.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("  --") else { return nil }
      return String(line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
    })
}

/// The option names a command's source reads: the first string argument of every call on its
/// `ArgumentList` (`arguments.option("depth", ...)`, `Self.numbers(&arguments, "depths", ...)`),
/// every name in a `refuse([...])` list or a `static let ...Options = [...]` list, and the
/// names the shared readers take (`OutputFormat.parse`: format; `ActionParameters.parse`:
/// shift, patch and turns unless switched off).
private func readOptions(_ command: String) throws -> Set<String> {
  let files = try FileManager.default.contentsOfDirectory(atPath: toolSources.path).filter {
    $0.hasSuffix(".swift")
  }
  let source = try files.map {
    try String(contentsOf: toolSources.appendingPathComponent($0), encoding: .utf8)
  }
  .first { $0.contains("static let name = \"\(command)\"") }
  let text = try #require(source, "no source file declares the command \(command)")
  func captures(_ pattern: String) throws -> [String] {
    let expression = try NSRegularExpression(pattern: pattern)
    return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
      Range($0.range(at: 1), in: text).map { String(text[$0]) }
    }
  }
  var names = Set(try captures(#"arguments\.\w+\(\s*"([a-z0-9-]+)""#))
  names.formUnion(try captures(#"&arguments,\s*"([a-z0-9-]+)""#))
  for list in try captures(#"refuse\(\s*\[([^\]]*)\]"#)
    + captures(#"static let \w+Options = \[([^\]]*)\]"#)
  {
    names.formUnion(try quotedNames(in: list))
  }
  if text.contains("OutputFormat.parse(") { names.insert("format") }
  if let call = try captures(#"(ActionParameters\.parse\([^)]*\))"#).first {
    names.insert("shift")
    if !call.contains("patch: false") { names.insert("patch") }
    if !call.contains("turns: false") { names.insert("turns") }
  }
  return names
}

/// The quoted strings in `list`.
private func quotedNames(in list: String) throws -> [String] {
  let expression = try NSRegularExpression(pattern: #""([a-z0-9-]+)""#)
  return expression.matches(in: list, range: NSRange(list.startIndex..., in: list)).compactMap {
    Range($0.range(at: 1), in: list).map { String(list[$0]) }
  }
}

@Suite(
  "Every command declares its options: its help lists them and its parser reads no other",
  .enabled(if: builtTool != nil, "needs the built symmetry-probe next to the test bundle"))
struct CommandOptionTests {
  @Test("The tool has the twelve commands the overview lists")
  func overview() throws {
    let names = try commandNames(try #require(builtTool))
    #expect(names.count == 12, "\(names)")
    #expect(
      Set(names).isSuperset(of: ["curves", "claims", "depth", "bench", "train", "probe", "verdict"])
    )
  }

  @Test("Each option a command's source reads is one its help lists, and each listed one is read")
  func sourceReadsOnlyDeclared() throws {
    let tool = try #require(builtTool)
    for command in try commandNames(tool) {
      let declared = try declaredOptions(tool, command)
      let read = try readOptions(command)
      #expect(!read.isEmpty, "found no option reads in \(command)'s source: the scan is broken")
      #expect(
        read.subtracting(declared).isEmpty,
        "\(command) reads undeclared \(read.subtracting(declared).sorted())")
      #expect(
        declared.subtracting(read).isEmpty,
        "\(command) declares unread \(declared.subtracting(read).sorted())")
    }
  }

  @Test("An undeclared option is refused by name by every command, before a missing required one")
  func undeclaredRefused() throws {
    let tool = try #require(builtTool)
    for command in try commandNames(tool) {
      for spelling in [["--no-such-option", "1"], ["--no-such-option=1"]] {
        let (status, output) = try runTool(tool, [command] + spelling)
        #expect(status == 2, "\(command): \(output)")
        #expect(
          output.contains("\(command) has no option '\(spelling[0])'"), "\(command): \(output)")
      }
    }
  }
}
