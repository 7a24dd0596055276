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
  let process = try startTool(tool, arguments)
  process.waitUntilExit()
  let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Starts the tool with both output streams going to one pipe.
///
/// The pipe is read only after exit, so a chatty child could block on a full pipe; the tool
/// prints one short line per block, far below a pipe's 64 KiB for these plans.
func startTool(_ tool: URL, _ arguments: [String]) throws -> Process {
  let process = Process()
  process.executableURL = tool
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  return process
}
