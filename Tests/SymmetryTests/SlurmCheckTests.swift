import Foundation
import Testing

/// Whether the real-Slurm check runs: `SYMMETRY_PROBES_SLURM=1 swift test -c release --filter
/// SlurmCheck`, as root. It installs Debian's slurm-wlm and munge when missing, so the default
/// `swift test` never runs it.
private let slurmCheckEnabled = ProcessInfo.processInfo.environment["SYMMETRY_PROBES_SLURM"] == "1"

/// `scripts/slurm-check.sh`, which runs docs/cluster.md's Slurm recipe on a single-node Slurm.
@Suite("docs/cluster.md's Slurm recipe on a real single-node Slurm")
struct SlurmCheckTests {
  @Test(
    "The Slurm job array, with a task cancelled mid-run and resubmitted, assembles matrices identical to one process, a failing array is reported, and no daemon is left",
    .enabled(
      if: slurmCheckEnabled,
      "set SYMMETRY_PROBES_SLURM=1 (as root, with swift test -c release) to run scripts/slurm-check.sh on a real single-node Slurm"
    ))
  func recipeOnRealSlurm() throws {
    #if DEBUG
      Issue.record(
        "run this check with 'swift test -c release': the debug build computes kernels about 50 times slower, so the check would take about an hour"
      )
    #else
      let tool = try #require(builtTool, "needs the built symmetry-probe next to the test bundle")
      let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
      let log = FileManager.default.temporaryDirectory
        .appendingPathComponent("slurm-check-\(UUID().uuidString).log")
      FileManager.default.createFile(atPath: log.path, contents: nil)
      defer { try? FileManager.default.removeItem(at: log) }

      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [root.appendingPathComponent("scripts/slurm-check.sh").path]
      var environment = ProcessInfo.processInfo.environment
      // The tool this test run built: the script must not call `swift build` itself, since
      // `swift test` holds the build folder's lock until it ends.
      environment["SYMMETRY_PROBE_BIN"] = tool.path
      process.environment = environment
      let output = try FileHandle(forWritingTo: log)
      process.standardOutput = output
      process.standardError = output
      try process.run()
      process.waitUntilExit()
      try output.close()
      let text = try String(contentsOf: log, encoding: .utf8)
      print(text)

      #expect(process.terminationStatus == 0, "scripts/slurm-check.sh failed; its output is above")
      #expect(text.contains("CANCELLED"), "no array task was cancelled")
      #expect(text.contains("single-k.npy: identical"), "the NNGP matrices were not compared equal")
      #expect(text.contains("single-t.npy: identical"), "the NTK matrices were not compared equal")
      #expect(text.contains("FAILED 1:0"), "the failing array's tasks were not reported as failed")
      #expect(text.contains("teardown: pgrep finds no"), "a Slurm or munge daemon was left running")
    #endif
  }

  @Test(
    "docs/cluster.md holds the three Slurm blocks scripts/slurm-check.sh copies and runs, in the shape it expects"
  )
  func recipeBlocksAreMarked() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let document = try String(
      contentsOf: root.appendingPathComponent("docs/cluster.md"), encoding: .utf8)
    let sbatch = try #require(Self.block("shards.sbatch", in: document))
    #expect(sbatch.first == "#!/bin/bash")
    #expect(sbatch.contains { $0.contains("--shard \"$SLURM_ARRAY_TASK_ID\" --of \"$N\"") })
    // The script replaces the first two lines (PLAN, N and the planning command) by its own.
    let submit = try #require(Self.block("submit", in: document))
    #expect(submit.count >= 4)
    #expect(submit.first?.hasPrefix("export PLAN=") == true)
    #expect(submit.dropFirst().first?.hasPrefix("symmetry-probe kernel ") == true)
    #expect(submit.contains { $0.hasPrefix("array=$(sbatch --parsable --array=") })
    #expect(submit.contains { $0.hasPrefix("assembly=$(sbatch --parsable --dependency=afterok:") })
    // The script puts the cancelled index in place of the example's 3,17.
    let resubmit = try #require(Self.block("resubmit", in: document))
    #expect(resubmit.first?.contains("--array=3,17 ") == true)
    #expect(resubmit.contains { $0.hasPrefix("assembly=$(sbatch --parsable --dependency=") })
  }

  /// The lines of the fenced block right after `<!-- slurm-check: NAME -->`, as the script's
  /// awk reads them.
  static func block(_ name: String, in document: String) -> [String]? {
    let lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let marker = lines.firstIndex(of: "<!-- slurm-check: \(name) -->"),
      marker + 1 < lines.count, lines[marker + 1].hasPrefix("```")
    else { return nil }
    let body = lines[(marker + 2)...]
    guard let end = body.firstIndex(where: { $0.hasPrefix("```") }) else { return nil }
    return Array(body[..<end])
  }
}
