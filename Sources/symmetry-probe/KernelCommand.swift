import Foundation
import Learners
import Probes
import Symmetries

/// `symmetry-probe kernel`: the NNGP and NTK Gram matrices of images in an .npy file.
struct KernelCommand: Command {
  static let name = "kernel"
  static let abstract = "Compute infinite-width NNGP and NTK Gram matrices of .npy images."
  static let help = """
    USAGE: symmetry-probe kernel --input X.npy [--input2 Z.npy] --nngp K.npy --ntk T.npy
             (--architecture A [--activation relu|erf] [--depth L] | --layers SPEC)
             [--filter K] [--padding circular|same|valid] [--weight-std W] [--bias-std B]

    Reads images as an (n, H, W, C) float64 array (numpy.save), computes the infinite-width
    NNGP and NTK kernels with neural-tangents' conventions (NTK parameterisation, the same W_std
    and b_std in every layer, readout included), and writes (n1, n2) float64 matrices: X against
    X (symmetric) or X against Z with --input2.

    OPTIONS:
      --architecture A  \(NamedArchitecture.allCases.map(\.rawValue).joined(separator: ", "))
      --activation F    relu (default) or erf
      --depth L         hidden layers (default 2)
      --layers SPEC     a custom architecture instead of --architecture; its syntax:
    \(Architecture.layerListSyntax.split(separator: "\n").map { "                      " + $0 }.joined(separator: "\n"))
      --filter K        filter side (default 3)
      --padding P       circular (default), same or valid
      --weight-std W    W_std (default sqrt(2) = 1.4142135623730951)
      --bias-std B      b_std (default 0.1)
      --input X.npy     first batch; --input2 Z.npy the second (default: X)
      --nngp K.npy      where to write the NNGP matrix
      --ntk T.npy       where to write the NTK matrix

    EXAMPLE:
      symmetry-probe kernel --architecture CNN-GAP --activation relu --depth 3 \\
        --input x.npy --nngp k.npy --ntk t.npy
      symmetry-probe kernel --layers "conv(3) relu conv(3,same) erf gap readout" \\
        --input x.npy --nngp k.npy --ntk t.npy
    """

  let architecture: Architecture
  let input: URL
  let input2: URL?
  let nngp: URL
  let ntk: URL

  init(_ arguments: inout ArgumentList) throws {
    let positive = "a positive integer"
    let nonNegative = "a non-negative number"
    let filter = try arguments.option("filter", expected: positive) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? 3
    let padding = try arguments.option("padding", expected: "circular, same or valid") { Padding(rawValue: $0) } ?? .circular
    let weightStd = try arguments.option("weight-std", expected: nonNegative) { Double($0) } ?? 2.0.squareRoot()
    let biasStd = try arguments.option("bias-std", expected: nonNegative) { Double($0) } ?? 0.1
    let named = try arguments.option("architecture")
    let layers = try arguments.option("layers")
    let activation = try arguments.option("activation").map { try Activation(named: $0) } ?? .relu
    let depth = try arguments.option("depth", expected: "an integer") { Int($0) } ?? 2
    switch (named, layers) {
    case (let name?, nil):
      architecture = try NamedArchitecture(named: name).architecture(
        depth: depth, activation: activation, filterSize: filter, padding: padding,
        weightStd: weightStd, biasStd: biasStd)
    case (nil, let spec?):
      architecture = try Architecture(
        parsing: spec, weightStd: weightStd, biasStd: biasStd, filterSize: filter, padding: padding)
    default:
      throw CommandLineError.invalidValue(
        option: "--architecture/--layers", value: named ?? layers ?? "",
        expected: "exactly one of --architecture NAME or --layers SPEC")
    }
    input = URL(fileURLWithPath: try arguments.required("input"))
    input2 = try arguments.option("input2").map { URL(fileURLWithPath: $0) }
    nngp = URL(fileURLWithPath: try arguments.required("nngp"))
    ntk = URL(fileURLWithPath: try arguments.required("ntk"))
    try arguments.finish()
  }

  func run() throws {
    let start = Date()
    let x1 = try ImageBatch(npyAt: input)
    let x2 = try input2.map { try ImageBatch(npyAt: $0) }
    progress("\(architecture) on \(x1.count) x \(x2?.count ?? x1.count) images of \(x1.shape)")
    let kernels = try architecture.kernels(x1, x2)
    try kernels.nngp.write(npyTo: nngp)
    try kernels.ntk.write(npyTo: ntk)
    progress(
      String(format: "wrote %@ and %@ (%d x %d) in %.2f s", nngp.path, ntk.path,
             kernels.nngp.rows, kernels.nngp.columns, Date().timeIntervalSince(start)))
  }
}
