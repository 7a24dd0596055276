import Foundation
import Probes
import Symmetries

/// `symmetry-probe transform`: apply one group action to a batch stored as `.npy`.
struct TransformCommand: Command {
  static let name = "transform"
  static let abstract = "Apply one group action to an (n, H, W, C) float64 .npy batch."
  static let options: [OptionDoc] =
    [
      OptionDoc("action", "NAME", "one of: \(ActionCatalogue.names.joined(separator: ", "))"),
      OptionDoc("input", "PATH", "the batch to transform"),
      OptionDoc("output", "PATH", "where to write the result (written atomically)"),
    ] + OptionDoc.element + [OptionDoc("inverse", nil, "apply the inverse of the element instead")]

  static let help = """
    USAGE: symmetry-probe transform --action NAME --input X.npy --output Y.npy
             [--seed N] [--shift DY,DX] [--patch K] [--turns K] [--inverse]

    Reads an (n, H, W, C) float64 array (C order, as numpy.save writes it), applies one element
    of the named action family to every image, and writes the result with the same shape.
    The element is drawn from --seed (the same seed always gives the same element), so the
    same transformation can be applied to train and test files in two calls.

    OPTIONS:
    \(options.rendered)

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
    seed = try arguments.option("seed", .seed) ?? 0
    parameters = try ActionParameters.parse(&arguments, for: [family])
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
