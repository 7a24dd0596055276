import CheckerSupport
import Foundation
import Learners
import Probes
import Symmetries
import Testing

// MARK: - Folders and data

/// A fresh, empty folder under the system's temporary directory.
func freshFolder(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("symmetry-probes-\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// CNN-GAP of depth 2: its kernel needs every pixel pair, the costliest layer recursion.
func shardedArchitecture() throws -> Architecture {
  try NamedArchitecture.cnnGap.architecture(depth: 2, activation: .relu)
}

/// Whether two matrices hold the same bits in every entry (`==` would let -0 equal +0).
func bitIdentical(_ a: Matrix, _ b: Matrix) -> Bool {
  a.rows == b.rows && a.columns == b.columns
    && a.storage.map(\.bitPattern) == b.storage.map(\.bitPattern)
}

/// The assembled matrices of `plan`, read back through the public `.npy` reader.
func assembled(_ plan: ShardPlan, in folder: URL) throws -> KernelMatrices {
  let nngp = folder.appendingPathComponent("assembled-nngp.npy")
  let ntk = folder.appendingPathComponent("assembled-ntk.npy")
  try plan.assemble(nngp: nngp, ntk: ntk)
  return try KernelMatrices(nngp: try Matrix(npyAt: nngp), ntk: try Matrix(npyAt: ntk))
}

// MARK: - The built tool

/// The built `symmetry-probe` executable, if one that knows sharding sits next to the test
/// bundle (`swift test` builds every product into the same folder) or in `.build/debug`.
///
/// Building is not guaranteed before tests run, so the multi-process claims are enabled only
/// when this finds the tool; the in-process claims cover the same ground without it.
let builtTool: URL? = {
  var candidates: [URL] = []
  if let executable = Bundle.main.executableURL {
    candidates.append(
      executable.deletingLastPathComponent().appendingPathComponent("symmetry-probe"))
  }
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  candidates.append(root.appendingPathComponent(".build/debug/symmetry-probe"))
  return candidates.first { url in
    // A stale build without the sharding options would fail for the wrong reason.
    FileManager.default.isExecutableFile(atPath: url.path)
      && ((try? runTool(url, ["kernel", "--help"]).output.contains("--shard")) ?? false)
  }
}()

/// Runs the tool to completion; returns its exit status and what it printed on both streams.
@discardableResult
func runTool(_ tool: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
  try startTool(tool, arguments).finish()
}

/// Starts the tool with both output streams going to one pipe, which a reader drains while
/// the tool runs: a child that prints more than a pipe holds (64 KiB on Linux) would otherwise
/// block on its write while the test waits for it to exit.
func startTool(_ tool: URL, _ arguments: [String]) throws -> RunningTool {
  try RunningTool(tool, arguments)
}

/// A started tool and the output read from it so far.
final class RunningTool: @unchecked Sendable {
  let process = Process()
  private let collected = Collected()
  private let drained = DispatchSemaphore(value: 0)

  init(_ tool: URL, _ arguments: [String]) throws {
    process.executableURL = tool
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    // Reads until the last writer (the child and anything it started) closes the pipe.
    let reader = pipe.fileHandleForReading
    let collected = collected
    let drained = drained
    Thread.detachNewThread {
      collected.set(reader.readDataToEndOfFile())
      drained.signal()
    }
  }

  var isRunning: Bool { process.isRunning }
  var processIdentifier: Int32 { process.processIdentifier }

  /// Waits for the tool to exit and its output to be read; returns its status and output.
  @discardableResult
  func finish() -> (status: Int32, output: String) {
    process.waitUntilExit()
    drained.wait()
    drained.signal()
    return (process.terminationStatus, String(decoding: collected.data, as: UTF8.self))
  }

  /// How the tool ended (after `finish()`).
  var terminationReason: Process.TerminationReason { process.terminationReason }
}

/// Bytes handed from the reading thread to the waiting one.
private final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var bytes = Data()
  func set(_ data: Data) { lock.withLock { bytes = data } }
  var data: Data { lock.withLock { bytes } }
}
