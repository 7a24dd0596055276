import Foundation
import Probes

/// `symmetry-probe assemble`: the full Gram matrices of a plan from its blocks.
struct AssembleCommand: Command {
  static let name = "assemble"
  static let abstract = "Assemble a sharded kernel plan's blocks into full NNGP and NTK .npy files."
  static let options = [
    OptionDoc("plan", "DIR", "the plan folder"),
    OptionDoc("nngp", "K.npy", "where to write the NNGP matrix"),
    OptionDoc("ntk", "T.npy", "where to write the NTK matrix"),
  ]

  static let help = """
    USAGE: symmetry-probe assemble --plan DIR --nngp K.npy --ntk T.npy

    Checks that every block of the plan in DIR (see 'symmetry-probe kernel --help') is present,
    intact (its SHA-256 matches) and computed from the plan's inputs and settings, then writes
    the full (n1, n2) float64 matrices. A missing, corrupt or foreign block is named, never
    filled in: rerun its shard (block b belongs to shard b % N) and assemble again. Memory: one
    band of block-size rows of each matrix.

    OPTIONS:
    \(options.rendered)

    EXAMPLE:
      symmetry-probe assemble --plan run --nngp k.npy --ntk t.npy
    """

  let plan: URL
  let nngp: URL
  let ntk: URL

  init(_ arguments: inout ArgumentList) throws {
    plan = URL(fileURLWithPath: try arguments.required("plan"))
    nngp = URL(fileURLWithPath: try arguments.required("nngp"))
    ntk = URL(fileURLWithPath: try arguments.required("ntk"))
    try arguments.finish()
  }

  func run() throws {
    let start = Date()
    try ShardPlan(directory: plan).assemble(nngp: nngp, ntk: ntk, progress: progress)
    progress(String(format: "assembled in %.2f s", Date().timeIntervalSince(start)))
  }
}
