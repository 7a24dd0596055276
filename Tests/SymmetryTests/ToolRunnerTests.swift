import Foundation
import Testing

@Suite("The test helper that runs a built executable")
struct ToolRunnerTests {
  @Test("A child that prints far more than a pipe holds runs to the end, and every byte is read")
  func largeOutput() throws {
    // 300,000 bytes: more than four times Linux's 64 KiB pipe buffer, which a reader that
    // waits for exit before reading never drains (the child blocks on its write forever).
    let shell = URL(fileURLWithPath: "/bin/sh")
    let (status, output) = try runTool(
      shell, ["-c", "head -c 300000 /dev/zero | tr '\\000' x; echo done >&2"])
    #expect(status == 0)
    #expect(output.utf8.count == 300_005)
    #expect(output.hasSuffix("done\n"))
  }
}
