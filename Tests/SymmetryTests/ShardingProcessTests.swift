import CheckerSupport
import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// The sharded kernel computation driven through the built tool, one operating-system process
/// per command, as a cluster runs it.
@Suite(
  "Sharded kernel plans across processes",
  .enabled(if: builtTool != nil, "needs the built symmetry-probe next to the test bundle"))
struct ShardingProcessTests {
  static let imageShape = shape(6, 6, 2)

  @Test(
    "Shards computed by concurrent separate processes assemble bit-identically to the single-process result"
  )
  func separateProcesses() throws {
    let tool = try #require(builtTool)
    let folder = try freshFolder("processes")
    defer { try? FileManager.default.removeItem(at: folder) }
    let x = randomBatch(Self.imageShape, count: 8, seed: 21)
    let plan = try Self.plan(x, blockSize: 3, in: folder, tool: tool)

    let shards = try (0..<3).map { shard in
      try startTool(tool, ["kernel", "--plan", plan.path, "--shard", "\(shard)", "--of", "3"])
    }
    for shard in shards {
      let (status, output) = shard.finish()
      #expect(status == 0, "\(output)")
    }
    let result = try Self.assemble(plan, in: folder, tool: tool)
    let single = try shardedArchitecture().kernels(x, nil)
    #expect(bitIdentical(result.nngp, single.nngp))
    #expect(bitIdentical(result.ntk, single.ntk))
  }

  @Test(
    "A shard killed with SIGKILL mid-run leaves only whole blocks, and its rerun completes bit-identically"
  )
  func killedShard() throws {
    let tool = try #require(builtTool)
    let folder = try freshFolder("kill")
    defer { try? FileManager.default.removeItem(at: folder) }
    // 20 images in blocks of 2: 55 blocks of a few milliseconds each, so a kill after the
    // third block lands mid-run with a wide margin.
    let x = randomBatch(Self.imageShape, count: 20, seed: 22)
    let planFolder = try Self.plan(x, blockSize: 2, in: folder, tool: tool)
    let blocksFolder = planFolder.appendingPathComponent("blocks")

    let shard = try startTool(
      tool, ["kernel", "--plan", planFolder.path, "--shard", "0", "--of", "1"])
    let deadline = Date().addingTimeInterval(60)
    while shard.isRunning, Date() < deadline {
      let written = try FileManager.default.contentsOfDirectory(atPath: blocksFolder.path)
        .filter { $0.hasSuffix(".block") }
      if written.count >= 3 { break }
      usleep(1_000)
    }
    kill(shard.processIdentifier, SIGKILL)
    shard.finish()
    #expect(shard.terminationReason == .uncaughtSignal, "the shard finished before the kill")

    let plan = try ShardPlan(directory: planFolder)
    let afterKill = plan.problems()
    #expect(!afterKill.isEmpty, "the kill came after the last block")
    #expect(afterKill.count < plan.blocks.count, "the kill came before the first block")
    #expect(afterKill.allSatisfy { $0.kind == .missing }, "a killed shard left a partial block")

    let rerun = try runTool(
      tool, ["kernel", "--plan", planFolder.path, "--shard", "0", "--of", "1"])
    #expect(rerun.status == 0)
    #expect(rerun.output.contains("\(afterKill.count) computed, 0 recomputed"))
    #expect(plan.problems().isEmpty)
    let result = try Self.assemble(planFolder, in: folder, tool: tool)
    let single = try shardedArchitecture().kernels(x, nil)
    #expect(bitIdentical(result.nngp, single.nngp))
    #expect(bitIdentical(result.ntk, single.ntk))
  }

  @Test("The assemble command names a missing block, exits with status 1 and writes no matrix")
  func assembleNamesMissingBlock() throws {
    let tool = try #require(builtTool)
    let folder = try freshFolder("assemble-missing")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try Self.plan(
      randomBatch(Self.imageShape, count: 4, seed: 23), blockSize: 2, in: folder, tool: tool)
    #expect(
      try runTool(tool, ["kernel", "--plan", plan.path, "--shard", "0", "--of", "2"]).status == 0)
    let result = try runTool(
      tool,
      [
        "assemble", "--plan", plan.path, "--nngp", folder.appendingPathComponent("k.npy").path,
        "--ntk", folder.appendingPathComponent("t.npy").path,
      ])
    #expect(result.status == 1)
    #expect(result.output.contains("block 1 ("))
    #expect(result.output.contains("000001.block): missing"))
    // Nothing partial: neither matrix file is written.
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("k.npy").path))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("t.npy").path))
  }

  // MARK: - Helpers

  /// Writes `x` and plans CNN-GAP of depth 2 on it with the tool; returns the plan folder.
  static func plan(_ x: ImageBatch, blockSize: Int, in folder: URL, tool: URL) throws -> URL {
    let input = folder.appendingPathComponent("x.npy")
    try x.write(npyTo: input)
    let plan = folder.appendingPathComponent("plan")
    let result = try runTool(
      tool,
      [
        "kernel", "--architecture", "CNN-GAP", "--depth", "2", "--activation", "relu", "--input",
        input.path, "--plan", plan.path, "--block-size", "\(blockSize)",
      ])
    try #require(result.status == 0, "planning failed: \(result.output)")
    return plan
  }

  /// Assembles with the tool and reads the matrices back.
  static func assemble(_ plan: URL, in folder: URL, tool: URL) throws -> KernelMatrices {
    let nngp = folder.appendingPathComponent("k.npy")
    let ntk = folder.appendingPathComponent("t.npy")
    let result = try runTool(
      tool, ["assemble", "--plan", plan.path, "--nngp", nngp.path, "--ntk", ntk.path])
    try #require(result.status == 0, "assembly failed: \(result.output)")
    return try KernelMatrices(nngp: try Matrix(npyAt: nngp), ntk: try Matrix(npyAt: ntk))
  }
}
