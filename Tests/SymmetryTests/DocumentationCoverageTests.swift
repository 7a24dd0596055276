import Foundation
import Testing

// Doc coverage is read from the compiler's own view of the public surface: the symbol graphs
// `swift-symbolgraph-extract` (in every Swift toolchain) writes from the modules `swift test`
// has just built. A scan of the source text would miss what is public without the keyword
// (enum cases, protocol requirements, members of a public extension).

// MARK: - The library products

/// The package's root folder (this file is Tests/SymmetryTests/DocumentationCoverageTests.swift).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The modules of the library products that users import, as Package.swift lists them.
private let libraryModules = [
  "LinearAlgebra", "Symmetries", "Learners", "Probes", "SymmetryTesting",
]

// MARK: - Symbol graphs

/// The part of a symbol graph file (`Module.symbols.json`, `Module@Extended.symbols.json`)
/// the check reads.
private struct SymbolGraph: Decodable {
  struct Symbol: Decodable {
    struct Kind: Decodable { let identifier: String }
    struct Location: Decodable {
      struct Position: Decodable { let line: Int }
      let uri: String
      let position: Position
    }
    struct DocComment: Decodable {
      struct Line: Decodable { let text: String }
      let lines: [Line]
    }
    let kind: Kind
    let pathComponents: [String]
    let location: Location?
    let docComment: DocComment?
  }
  let symbols: [Symbol]
}

/// The folder of the built modules: `swift test` puts the test bundle beside `Modules/`.
private func builtModulesFolder() throws -> URL {
  let executable = try #require(Bundle.main.executableURL, "the test bundle has no executable URL")
  return executable.deletingLastPathComponent().appendingPathComponent("Modules")
}

/// `swift-symbolgraph-extract` from the toolchain on PATH (it sits beside `swift`).
private func symbolGraphExtractor() throws -> URL {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  let found = path.split(separator: ":").map {
    URL(fileURLWithPath: String($0)).appendingPathComponent("swift-symbolgraph-extract")
  }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  return try #require(
    found,
    "swift-symbolgraph-extract is not on PATH; put the Swift toolchain's usr/bin on PATH")
}

/// The public symbols of `module` as the compiler sees them, with compiler-synthesized members
/// (Equatable's `!=`, Hashable's `hashValue`, ...) left out: they have no source to document.
private func publicSymbols(of module: String) throws -> [SymbolGraph.Symbol] {
  let output = try freshFolder("symbol-graph-\(module)")
  defer { try? FileManager.default.removeItem(at: output) }
  let run = try runTool(
    try symbolGraphExtractor(),
    [
      "-module-name", module, "-target", hostTriple, "-I", try builtModulesFolder().path,
      "-output-dir", output.path, "-minimum-access-level", "public",
      "-skip-synthesized-members",
    ])
  try #require(run.status == 0, "swift-symbolgraph-extract failed on \(module): \(run.output)")
  // Module.symbols.json, plus one Module@Other.symbols.json per module whose types it extends.
  let files = try FileManager.default.contentsOfDirectory(
    at: output, includingPropertiesForKeys: nil
  )
  .filter { $0.lastPathComponent.hasSuffix(".symbols.json") }
  return try files.flatMap {
    try JSONDecoder().decode(SymbolGraph.self, from: Data(contentsOf: $0)).symbols
  }
}

/// The target triple the modules were built for.
private var hostTriple: String {
  #if arch(x86_64)
    let arch = "x86_64"
  #elseif arch(arm64)
    let arch = "aarch64"
  #else
    let arch = "unknown"
  #endif
  #if os(Linux)
    return "\(arch)-unknown-linux-gnu"
  #elseif os(macOS)
    return "\(arch == "aarch64" ? "arm64" : arch)-apple-macosx13.0"
  #else
    return "\(arch)-unknown-unknown"
  #endif
}

// MARK: - Claims

@Suite("Documentation coverage")
struct DocumentationCoverageTests {
  @Test("The checked modules are exactly the library products of Package.swift")
  func modulesAreTheProducts() throws {
    let manifest = try String(
      contentsOf: packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    let products = manifest.split(separator: "\n").compactMap { line -> String? in
      guard let range = line.range(of: ".library(name: \"") else { return nil }
      return String(line[range.upperBound...].prefix { $0 != "\"" })
    }
    #expect(products.sorted() == libraryModules.sorted())
  }

  @Test(
    "Every public declaration of a library product has a doc comment", arguments: libraryModules)
  func everyPublicDeclarationIsDocumented(module: String) throws {
    let symbols = try publicSymbols(of: module)
    // An empty graph (a wrong module folder, an extractor that read nothing) must not pass.
    try #require(symbols.count > 10, "only \(symbols.count) public symbols found in \(module)")
    let undocumented = symbols.filter { symbol in
      symbol.location != nil
        && (symbol.docComment?.lines.allSatisfy {
          $0.text.trimmingCharacters(in: .whitespaces).isEmpty
        } ?? true)
    }.map { symbol -> String in
      let location = symbol.location!
      let file = location.uri.replacingOccurrences(of: "file://" + packageRoot.path + "/", with: "")
      return
        "\(file):\(location.position.line + 1) \(symbol.kind.identifier) \(symbol.pathComponents.joined(separator: "."))"
    }.sorted()
    #expect(
      undocumented.isEmpty,
      "\(undocumented.count) public declarations of \(module) have no doc comment (/// before the declaration; a one-sentence abstract, the formula where there is one):\n\(undocumented.joined(separator: "\n"))"
    )
  }
}
