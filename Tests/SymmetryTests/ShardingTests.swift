import CheckerSupport
import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// The sharded kernel computation, in one process: every shard run loads the plan afresh from
/// its folder, so runs communicate only through the files, as separate processes would.
@Suite("Sharded kernel plans")
struct ShardingTests {
  /// A plan's geometry: n1, n2 (nil for one batch against itself), the block size, the shards.
  struct Layout: Sendable, CustomTestStringConvertible {
    let rows: Int
    let columns: Int?
    let blockSize: Int
    let shards: Int

    var testDescription: String {
      "\(rows) x \(columns.map(String.init) ?? "\(rows) symmetric"), blocks of \(blockSize), "
        + "\(shards) shards"
    }
  }

  static let layouts: [Layout] = [
    Layout(rows: 7, columns: nil, blockSize: 3, shards: 3),
    Layout(rows: 6, columns: nil, blockSize: 2, shards: 4),
    Layout(rows: 5, columns: 4, blockSize: 3, shards: 2),
    Layout(rows: 3, columns: nil, blockSize: 8, shards: 5),
  ]

  static let imageShape = shape(4, 4, 2)

  // MARK: - Bit-identical assembly

  @Test(
    "Blocks computed by separate shard runs assemble bit-identically to the single-process Gram matrices",
    arguments: layouts)
  func assemblyIsBitIdentical(layout: Layout) throws {
    let folder = try freshFolder("identical")
    defer { try? FileManager.default.removeItem(at: folder) }
    let architecture = try shardedArchitecture()
    let x1 = randomBatch(Self.imageShape, count: layout.rows, seed: 11)
    let x2 = layout.columns.map { randomBatch(Self.imageShape, count: $0, seed: 12) }
    let planFolder = folder.appendingPathComponent("plan")
    let plan = try ShardPlan.create(
      in: planFolder, architecture: architecture, x1: x1, x2: x2, blockSize: layout.blockSize)

    var computed: [Int] = []
    for shard in 0..<layout.shards {
      let report = try ShardPlan(directory: planFolder).runShard(shard, of: layout.shards)
      #expect(report.computed.allSatisfy { $0 % layout.shards == shard })
      computed += report.computed
    }
    #expect(computed.sorted() == Array(plan.blocks.indices), "every block computed exactly once")

    let single = try architecture.kernels(x1, x2)
    let result = try assembled(plan, in: folder)
    #expect(bitIdentical(result.nngp, single.nngp))
    #expect(bitIdentical(result.ntk, single.ntk))
  }

  @Test("A symmetric plan lists the upper triangle of blocks, a rectangular plan every block")
  func blockLists() throws {
    let folder = try freshFolder("tiling")
    defer { try? FileManager.default.removeItem(at: folder) }
    let architecture = try shardedArchitecture()
    let x = randomBatch(Self.imageShape, count: 7, seed: 1)
    let square = try ShardPlan.create(
      in: folder.appendingPathComponent("square"), architecture: architecture, x1: x, x2: nil,
      blockSize: 3)
    #expect(square.blocks.count == 6)  // 3 bands: 3 + 2 + 1
    #expect(square.blocks.allSatisfy { $0.rows.lowerBound <= $0.columns.lowerBound })
    let rectangle = try ShardPlan.create(
      in: folder.appendingPathComponent("rectangle"), architecture: architecture, x1: x,
      x2: randomBatch(Self.imageShape, count: 4, seed: 2), blockSize: 3)
    #expect(rectangle.blocks.count == 6)  // 3 row bands x 2 column bands
    #expect(try rectangle.blocks(ofShard: 1, of: 4).map(\.index) == [1, 5])
    #expect(try Architecture(parsing: square.architecture.description) == architecture)
  }

  // MARK: - Resuming and damage

  @Test("A rerun skips every valid block and recomputes nothing")
  func rerunSkipsValidBlocks() throws {
    let (folder, plan) = try Self.computedPlan("rerun")
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try ShardPlan(directory: plan.directory).runShard(0, of: 1)
    #expect(report.skipped == Array(plan.blocks.indices))
    #expect(report.computed.isEmpty && report.recomputed.isEmpty)
  }

  /// Ways a block file is damaged after it was written.
  enum Damage: String, CaseIterable, Sendable {
    case truncated, payloadByteFlipped, headerByteFlipped, checksumByteFlipped, emptied
    case deleted
  }

  @Test(
    "A damaged block is named at assembly and recomputed by the next shard run, bit-identically",
    arguments: Damage.allCases)
  func damagedBlock(damage: Damage) throws {
    let (folder, plan) = try Self.computedPlan("damage")
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = plan.blocks[2]
    let url = plan.url(of: target)
    var bytes = try Data(contentsOf: url)
    switch damage {
    case .truncated: bytes = bytes.prefix(bytes.count / 2)
    case .payloadByteFlipped: bytes[bytes.count - 100] ^= 0x01
    case .headerByteFlipped: bytes[20] ^= 0x20
    case .checksumByteFlipped: bytes[bytes.count - 1] ^= 0x01
    case .emptied: bytes = Data()
    case .deleted: break
    }
    if damage == .deleted {
      try FileManager.default.removeItem(at: url)
    } else {
      try bytes.write(to: url)
    }

    let problems = plan.problems()
    #expect(problems.map(\.block) == [target.index])
    #expect((problems.first?.kind == .missing) == (damage == .deleted))
    #expect(throws: ShardingError.invalidBlocks(problems)) {
      try plan.assemble(
        nngp: folder.appendingPathComponent("k.npy"), ntk: folder.appendingPathComponent("t.npy"))
    }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("k.npy").path))
    let message = ShardingError.invalidBlocks(problems).description
    #expect(message.contains("block \(target.index) (\(url.path))"))

    let report = try ShardPlan(directory: plan.directory).runShard(target.index % 2, of: 2)
    if damage == .deleted {
      #expect(report.computed == [target.index])
    } else {
      #expect(report.recomputed.map(\.block) == [target.index])
      #expect(report.recomputed.allSatisfy { if case .corrupt = $0.kind { true } else { false } })
    }
    let single = try plan.architecture.kernels(Self.batch, nil)
    let result = try assembled(plan, in: folder)
    #expect(bitIdentical(result.nngp, single.nngp) && bitIdentical(result.ntk, single.ntk))
  }

  @Test(
    "A run killed mid-block (simulated: a partial temporary file and a truncated block) resumes bit-identically"
  )
  func simulatedKill() throws {
    let (folder, plan) = try Self.computedPlan("simulated-kill")
    defer { try? FileManager.default.removeItem(at: folder) }
    // What SIGKILL can leave: a half-written temporary file of the block in progress (another
    // process id) and, were a file system to expose a half-renamed file, a truncated block.
    let inProgress = plan.url(of: plan.blocks[4])
    try FileManager.default.removeItem(at: inProgress)
    let temporary = URL(fileURLWithPath: inProgress.path + ".tmp-999999")
    try Data("SPKBLOCK partial".utf8).write(to: temporary)
    let truncated = plan.url(of: plan.blocks[3])
    try Data(try Data(contentsOf: truncated).prefix(40)).write(to: truncated)

    let reports = try (0..<2).map { shard in
      try ShardPlan(directory: plan.directory).runShard(shard, of: 2)
    }
    #expect(reports.flatMap(\.computed) == [4])
    #expect(reports.flatMap(\.recomputed).map(\.block) == [3])
    #expect(reports.flatMap(\.removedTemporaries) == [temporary.path])
    #expect(!FileManager.default.fileExists(atPath: temporary.path))
    let single = try plan.architecture.kernels(Self.batch, nil)
    let result = try assembled(plan, in: folder)
    #expect(bitIdentical(result.nngp, single.nngp) && bitIdentical(result.ntk, single.ntk))
  }

  // MARK: - Foreign blocks and plans

  @Test(
    "A block computed from other inputs or settings is refused at assembly, naming what differs",
    arguments: ["inputs", "settings"])
  func foreignBlockRefused(field: String) throws {
    let (folder, plan) = try Self.computedPlan("foreign-\(field)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let otherFolder = folder.appendingPathComponent("other")
    let other = try ShardPlan.create(
      in: otherFolder,
      architecture: field == "settings"
        ? try NamedArchitecture.cnnGap.architecture(depth: 2, activation: .erf)
        : plan.architecture,
      x1: field == "inputs" ? randomBatch(Self.imageShape, count: 6, seed: 99) : Self.batch,
      x2: nil, blockSize: 2)
    try other.runShard(0, of: 1)
    let target = plan.blocks[1]
    try FileManager.default.removeItem(at: plan.url(of: target))
    try FileManager.default.copyItem(at: other.url(of: target), to: plan.url(of: target))

    let problems = plan.problems()
    #expect(problems.count == 1)
    let problem = try #require(problems.first)
    guard case .foreign(let reported, _, _) = problem.kind else {
      Issue.record("expected a foreign block, got \(problem)")
      return
    }
    #expect(reported == field)
    #expect(throws: ShardingError.invalidBlocks(problems)) {
      try plan.assemble(
        nngp: folder.appendingPathComponent("k.npy"), ntk: folder.appendingPathComponent("t.npy"))
    }
    #expect(problem.description.contains("belongs to another plan"))
  }

  @Test("Planning into a folder that holds another plan is refused; the same plan is reused")
  func replanning() throws {
    let (folder, plan) = try Self.computedPlan("replan")
    defer { try? FileManager.default.removeItem(at: folder) }
    let again = try ShardPlan.create(
      in: plan.directory, architecture: plan.architecture, x1: Self.batch, x2: nil, blockSize: 2)
    #expect(again.settingsHash == plan.settingsHash)
    #expect(plan.problems().isEmpty, "replanning kept the computed blocks")
    #expect(
      throws: ShardingError.planExists(
        directory: plan.directory.path, reason: "block size 2 there, 3 now")
    ) {
      try ShardPlan.create(
        in: plan.directory, architecture: plan.architecture, x1: Self.batch, x2: nil,
        blockSize: 3)
    }
    do {
      _ = try ShardPlan.create(
        in: plan.directory, architecture: plan.architecture,
        x1: randomBatch(Self.imageShape, count: 6, seed: 5), x2: nil, blockSize: 2)
      Issue.record("planning other inputs into the folder succeeded")
    } catch {
      guard case .planExists(_, let reason) = error else {
        Issue.record("expected planExists, got \(error)")
        return
      }
      #expect(reason.contains("input SHA-256"))
      #expect(!reason.contains("block size"))
    }
  }

  // MARK: - Memory

  @Test(
    "A shard holds at most 2 x block-size images and block-size^2 entries, whatever n is",
    arguments: [1, 2, 3])
  func memoryIsBoundedByBlockSize(blockSize: Int) throws {
    let folder = try freshFolder("memory")
    defer { try? FileManager.default.removeItem(at: folder) }
    var held: [Int: (images: Int, entries: Int)] = [:]
    for n in [6, 9, 17] {
      let plan = try ShardPlan.create(
        in: folder.appendingPathComponent("n\(n)"), architecture: try shardedArchitecture(),
        x1: randomBatch(shape(3, 3, 1), count: n, seed: UInt64(n)), x2: nil,
        blockSize: blockSize)
      let report = try plan.runShard(0, of: 1)
      held[n] = (report.largestImageCount, report.largestEntryCount)
    }
    for (n, counts) in held {
      #expect(counts.images == 2 * blockSize, "n = \(n)")
      #expect(counts.entries == blockSize * blockSize, "n = \(n)")
    }
  }

  // MARK: - Errors

  @Test(
    "Bad shard indices, block sizes, folders, edited manifests and altered inputs throw typed errors"
  )
  func errors() throws {
    let (folder, plan) = try Self.computedPlan("errors")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (index, count) in [(2, 2), (-1, 3), (0, 0)] {
      #expect(throws: ShardingError.invalidShard(index: index, count: count)) {
        try plan.runShard(index, of: count)
      }
    }
    #expect(throws: ShardingError.invalidBlockSize(0)) {
      try ShardPlan.create(
        in: folder.appendingPathComponent("zero"), architecture: plan.architecture,
        x1: Self.batch, x2: nil, blockSize: 0)
    }
    #expect(throws: ShardingError.shapeMismatch(first: Self.imageShape, second: shape(3, 3, 2))) {
      try ShardPlan.create(
        in: folder.appendingPathComponent("shapes"), architecture: plan.architecture,
        x1: Self.batch, x2: randomBatch(shape(3, 3, 2), count: 2, seed: 1), blockSize: 2)
    }
    let nowhere = folder.appendingPathComponent("nowhere")
    #expect(
      throws: ShardingError.manifestMissing(path: nowhere.appendingPathComponent("plan.json").path)
    ) {
      try ShardPlan(directory: nowhere)
    }

    let manifest = plan.directory.appendingPathComponent("plan.json")
    let original = try Data(contentsOf: manifest)
    let edited = String(decoding: original, as: UTF8.self)
      .replacingOccurrences(of: "\"blockSize\" : 2", with: "\"blockSize\" : 3")
    try Data(edited.utf8).write(to: manifest)
    do {
      _ = try ShardPlan(directory: plan.directory)
      Issue.record("an edited manifest was accepted")
    } catch {
      guard case .manifestMalformed = error else {
        Issue.record("expected manifestMalformed, got \(error)")
        return
      }
    }
    try original.write(to: manifest)

    let input = plan.directory.appendingPathComponent("x1.npy")
    var bytes = try Data(contentsOf: input)
    bytes[bytes.count - 3] ^= 0x10
    try bytes.write(to: input)
    do {
      try plan.runShard(0, of: 1)
      Issue.record("a shard ran on an altered input")
    } catch {
      guard case .inputChanged(let path, _, _) = error else {
        Issue.record("expected inputChanged, got \(error)")
        return
      }
      #expect(path == input.path)
    }
  }

  // MARK: - Helpers

  static let batch = randomBatch(imageShape, count: 6, seed: 3)

  /// A folder with a fully computed 6 x 6 plan in blocks of 2 (6 blocks), run as 2 shards.
  static func computedPlan(_ name: String) throws -> (folder: URL, plan: ShardPlan) {
    let folder = try freshFolder(name)
    let plan = try ShardPlan.create(
      in: folder.appendingPathComponent("plan"), architecture: try shardedArchitecture(),
      x1: batch, x2: nil, blockSize: 2)
    for shard in 0..<2 { try plan.runShard(shard, of: 2) }
    #expect(plan.problems().isEmpty)
    return (folder, plan)
  }
}
