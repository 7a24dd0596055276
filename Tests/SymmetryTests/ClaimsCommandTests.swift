import Foundation
import Testing

/// The command-line side of the claims and the curves protocol options: bad input is a message
/// and exit status 2, never a crash, and no file is written.
@Suite(
  "claims and curves options on the command line",
  .enabled(if: builtTool != nil, "needs the built symmetry-probe next to the test bundle"))
struct ClaimsCommandTests {
  @Test(
    "An unknown scale, subset rule or standardisation, or a negative ridge, is refused with the accepted values",
    arguments: [
      (["claims", "--scale", "huge"], "small|medium|large"),
      (["curves", "--subsets", "last"], "random or first"),
      (["curves", "--standardise-by", "test"], "pool or train"),
      (["curves", "--ridge", "-1"], "non-negative"),
      (["curves", "--pool", "0"], "positive"),
    ])
  func badOptions(_ arguments: [String], _ expected: String) throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("claims-bad-\(UUID().uuidString)")
    let (status, text) = try runTool(builtTool!, arguments + ["--output", output.path])
    #expect(status == 2, "\(text)")
    #expect(text.contains(expected), "\(text)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test("claims --help names every scale and the report's files")
  func help() throws {
    let (status, text) = try runTool(builtTool!, ["claims", "--help"])
    #expect(status == 0)
    for word in ["small", "medium", "large", "claims.json", "claims.md", "--cache"] {
      #expect(text.contains(word), "\(word) missing from the help")
    }
  }
}
