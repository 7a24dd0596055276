import Foundation
import Probes
import Symmetries

/// `symmetry-probe transform`: apply one group action to a batch stored as `.npy`.
struct TransformCommand: Command {
  static let name = "transform"
  static let abstract = "Apply one group action to an (n, H, W, C) float64 .npy batch."
  static let help = """
    USAGE: symmetry-probe transform --action NAME --input X.npy --output Y.npy
             [--seed N] [--shift DY,DX] [--patch K] [--turns K] [--inverse]

    Reads an (n, H, W, C) float64 array (C order, as numpy.save writes it), applies one element
    of the named action family to every image, and writes the result with the same shape.
    The element is drawn from --seed (the same seed always gives the same element), so the
    same transformation can be applied to train and test files in two calls.

    OPTIONS:
      --action NAME   one of: \(ActionCatalogue.names.joined(separator: ", "))
      --input PATH    the batch to transform
      --output PATH   where to write the result (written atomically)
      --seed N        seed of the random element (default 0)
      --shift DY,DX   translation: the circular shift instead of a random one
      --patch K       patch-shuffle: the patch side (default 2; must divide H and W)
      --turns K       quarter-turn: the number of counter-clockwise turns instead of a random one
      --inverse       apply the inverse of the element instead

    EXAMPLE:
      symmetry-probe transform --action orthogonal --seed 7 --input x.npy --output gx.npy
      symmetry-probe transform --action orthogonal --seed 7 --inverse --input gx.npy --output x2.npy
    """

  let family: any ActionFamily
  let parameters: ActionParameters
  let seed: UInt64
  let inverse: Bool
  let input: URL
  let output: URL

  init(_ arguments: inout ArgumentList) throws {
    family = try ActionCatalogue.family(named: arguments.required("action"))
    seed = try arguments.option("seed", expected: "a non-negative integer") { UInt64($0) } ?? 0
    let shift = try arguments.option("shift", expected: "two integers DY,DX, e.g. 1,-2") { text in
      let parts = text.split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
      return parts.count == 2 ? PixelShift(dy: parts[0], dx: parts[1]) : nil
    }
    let patch = try arguments.option("patch", expected: "a positive integer") { Int($0).flatMap { $0 > 0 ? $0 : nil } }
    let turns = try arguments.option("turns", expected: "an integer") { Int($0) }
    parameters = ActionParameters(shift: shift, patch: patch, turns: turns)
    try parameters.requireApplicable(to: [family])
    inverse = arguments.flag("inverse")
    input = URL(fileURLWithPath: try arguments.required("input"))
    output = URL(fileURLWithPath: try arguments.required("output"))
    try arguments.finish()
  }

  func run() throws {
    try OutputPath.check([output], inputs: [input])
    let batch = try ImageBatch(npyAt: input)
    let element = try family.element(for: batch.shape, parameters: parameters, seed: seed)
    let action = inverse ? element.inverse : element
    try action.apply(to: batch).write(npyTo: output)
    FileHandle.standardError.write(
      Data("applied \(action) to \(batch.count) images of \(batch.shape) -> \(output.path)\n".utf8))
  }
}
