import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe kernel`: the NNGP and NTK Gram matrices of images in an .npy file.
struct KernelCommand: Command {
  static let name = "kernel"
  static let abstract = "Compute infinite-width NNGP and NTK Gram matrices of .npy images."
  static let options: [OptionDoc] = [
    OptionDoc(
      "architecture", "A", NamedArchitecture.allCases.map(\.rawValue).joined(separator: ", ")),
    .activation(default: .relu, " (with --architecture)"),
    .depth("1 to \(maximumDepth), with --architecture", default: 2),
    .layers("a custom architecture instead of --architecture"),
    .filter, .padding,
    OptionDoc("weight-std", "W", "W_std (default sqrt(2) = 1.4142135623730951)"),
    OptionDoc("bias-std", "B", "b_std (default 0.1)"),
    OptionDoc("input", "X.npy", "the first batch"),
    OptionDoc("input2", "Z.npy", "the second batch (default: X)"),
    OptionDoc("nngp", "K.npy", "where to write the NNGP matrix"),
    OptionDoc("ntk", "T.npy", "where to write the NTK matrix"),
    OptionDoc("plan", "DIR", "the plan folder (created by --block-size, read by --shard)"),
    OptionDoc("block-size", "B", "images per block side when planning (e.g. 256)"),
    OptionDoc(
      "shard", "I", "compute shard I (0 <= I < N) of --of N, e.g. a job array's task index"),
    OptionDoc("of", "N", "the number of shards"),
    OptionDoc(
      "explain", nil,
      """
      say which path computes the kernels (the fast engine, or the
      reference definition and why) and stop
      """),
  ]

  static let help = """
    USAGE: symmetry-probe kernel --input X.npy [--input2 Z.npy] --nngp K.npy --ntk T.npy
             (--architecture A [--activation relu|erf] [--depth L] | --layers SPEC)
             [--filter K] [--padding circular|same|valid] [--weight-std W] [--bias-std B]
           symmetry-probe kernel --input X.npy [--input2 Z.npy] --plan DIR --block-size B
             (--architecture A ... | --layers SPEC) [...the same kernel options]
           symmetry-probe kernel --plan DIR --shard I --of N
           symmetry-probe kernel --explain (--architecture A ... | --layers SPEC)

    Reads images as an (n, H, W, C) float64 array (numpy.save), computes the infinite-width
    NNGP and NTK kernels with neural-tangents' conventions (NTK parameterisation, the same W_std
    and b_std in every layer, readout included), and writes (n1, n2) float64 matrices: X against
    X (symmetric) or X against Z with --input2.

    Beyond one machine (see docs/cluster.md): --plan DIR --block-size B writes a plan instead:
    the manifest DIR/plan.json, copies of the inputs, and the list of B x B blocks (the upper
    triangle for X against X). --plan DIR --shard I --of N then computes the blocks b with
    b % N == I into DIR/blocks, each written atomically with its checksum; valid blocks already
    there are skipped and corrupt ones recomputed, so a killed or repeated task just reruns.
    'symmetry-probe assemble --plan DIR --nngp K.npy --ntk T.npy' writes the full matrices.

    OPTIONS:
    \(options.rendered)

    EXAMPLE:
      symmetry-probe kernel --architecture CNN-GAP --activation relu --depth 3 \\
        --input x.npy --nngp k.npy --ntk t.npy
      symmetry-probe kernel --layers "conv(3) relu conv(3,same) erf gap readout" \\
        --input x.npy --nngp k.npy --ntk t.npy
      symmetry-probe kernel --architecture CNN-GAP --input x.npy --plan run --block-size 256
      symmetry-probe kernel --plan run --shard 0 --of 4    # ... through --shard 3 --of 4
      symmetry-probe assemble --plan run --nngp k.npy --ntk t.npy
    """

  /// What the command does.
  enum Mode {
    /// Compute the whole matrices here and write them.
    case direct(nngp: URL, ntk: URL)
    /// Write a plan of blocks of this size into the folder.
    case plan(directory: URL, blockSize: Int)
  }

  /// Either the direct or planning job, or one shard of an existing plan.
  enum Job {
    case kernel(Architecture, input: URL, input2: URL?, Mode)
    case shard(directory: URL, index: Int, count: Int)
    /// Say which path computes the kernels, and why.
    case explain(Architecture)
  }

  let job: Job

  init(_ arguments: inout ArgumentList) throws {
    let plan = try arguments.option("plan").map { URL(fileURLWithPath: $0) }
    let index = try arguments.option("shard", .nonNegativeInteger)
    let count = try arguments.option("of", .positiveInteger)
    if index != nil || count != nil {
      guard let plan else {
        throw CommandLineError.missingOption(
          option: "--plan DIR (with --shard)", command: Self.name)
      }
      guard let index, let count else {
        throw CommandLineError.missingOption(
          option: "both --shard I and --of N", command: Self.name)
      }
      try arguments.finish()
      job = .shard(directory: plan, index: index, count: count)
      return
    }
    if arguments.flag("explain") {
      let architecture = try Self.architecture(&arguments)
      try arguments.finish()
      job = .explain(architecture)
      return
    }
    let architecture = try Self.architecture(&arguments)
    let input = URL(fileURLWithPath: try arguments.required("input"))
    let input2 = try arguments.option("input2").map { URL(fileURLWithPath: $0) }
    let mode: Mode
    if let plan {
      let blockSize = try arguments.option("block-size", .positiveInteger)
      guard let blockSize else {
        throw CommandLineError.missingOption(
          option: "--block-size (or --shard I --of N)", command: Self.name)
      }
      mode = .plan(directory: plan, blockSize: blockSize)
    } else {
      mode = .direct(
        nngp: URL(fileURLWithPath: try arguments.required("nngp")),
        ntk: URL(fileURLWithPath: try arguments.required("ntk")))
    }
    try arguments.finish()
    job = .kernel(architecture, input: input, input2: input2, mode)
  }

  func run() throws {
    let start = Date()
    switch job {
    case .explain(let architecture):
      print("\(architecture)\nkernels by \(architecture.kernelPath)")
    case .shard(let directory, let index, let count):
      let plan = try ShardPlan(directory: directory)
      let report = try plan.runShard(index, of: count, progress: progress)
      progress(
        String(
          format: "shard %d of %d done in %.2f s: %d computed, %d recomputed, %d skipped", index,
          count, Date().timeIntervalSince(start), report.computed.count, report.recomputed.count,
          report.skipped.count))
    case .kernel(let architecture, let input, let input2, let mode):
      let inputs = [input] + (input2.map { [$0] } ?? [])
      if case .direct(let nngp, let ntk) = mode {
        try OutputPath.check([nngp, ntk], inputs: inputs)
      }
      let x1 = try ImageBatch(npyAt: input)
      let x2 = try input2.map { try ImageBatch(npyAt: $0) }
      switch mode {
      case .plan(let directory, let blockSize):
        let plan = try ShardPlan.create(
          in: directory, architecture: architecture, x1: x1, x2: x2, blockSize: blockSize)
        progress(
          "planned \(plan.rowCount) x \(plan.columnCount) in \(plan.blocks.count) blocks of "
            + "\(plan.blockSize) in \(directory.path); run 'symmetry-probe kernel --plan "
            + "\(directory.path) --shard I --of N' for I = 0..<N")
      case .direct(let nngp, let ntk):
        progress(
          "\(abbreviated(architecture)) on \(x1.count) x \(x2?.count ?? x1.count) images of \(x1.shape), by "
            + "\(architecture.kernelPath)")
        let kernels = try architecture.kernels(x1, x2)
        try DataFile.write(
          [(nngp, try kernels.nngp.npyData(for: nngp)), (ntk, try kernels.ntk.npyData(for: ntk))],
          inputs: inputs)
        progress(
          String(
            format: "wrote %@ and %@ (%d x %d) in %.2f s", nngp.path, ntk.path,
            kernels.nngp.rows, kernels.nngp.columns, Date().timeIntervalSince(start)))
      }
    }
  }

  /// The deepest --depth accepted: deep enough for any depth-scale study (the `depth` command
  /// goes to 64), shallow enough that the layer list stays small.
  static let maximumDepth = 1_000

  /// The architecture's layer list, or its ends and its length when the list is long (a depth
  /// of 1,000 spells out 2,000 layers).
  private func abbreviated(_ architecture: Architecture) -> String {
    let text = architecture.description
    guard text.count > 200 else { return text }
    let words = text.split(separator: " ")
    return
      "\(words.prefix(2).joined(separator: " ")) ... \(words.suffix(2).joined(separator: " ")) "
      + "(\(words.count) layers)"
  }

  /// The architecture from --architecture (with its options) or --layers.
  private static func architecture(_ arguments: inout ArgumentList) throws -> Architecture {
    let filter = try arguments.option("filter", .positiveInteger) ?? 3
    let padding = try arguments.choice("padding") as Padding? ?? .circular
    let weightStd = try arguments.option("weight-std", .nonNegativeNumber) ?? 2.0.squareRoot()
    let biasStd = try arguments.option("bias-std", .nonNegativeNumber) ?? 0.1
    let named = try arguments.option("architecture")
    let layers = try arguments.option("layers")
    if layers != nil {
      try arguments.refuse(
        ["activation", "depth"],
        because: "a --layers list spells out its own layers and activations")
    }
    let activation = try arguments.activation("activation") ?? .relu
    let depth = try arguments.option("depth", .integer(in: 1...maximumDepth)) ?? 2
    switch (named, layers) {
    case (let name?, nil):
      return try NamedArchitecture(named: name).architecture(
        depth: depth, activation: activation, filterSize: filter, padding: padding,
        weightStd: weightStd, biasStd: biasStd)
    case (nil, let spec?):
      return try Architecture(
        parsing: spec, weightStd: weightStd, biasStd: biasStd, filterSize: filter, padding: padding)
    default:
      throw CommandLineError.invalidValue(
        option: "--architecture/--layers", value: named ?? layers ?? "",
        expected: "exactly one of --architecture NAME or --layers SPEC")
    }
  }
}
