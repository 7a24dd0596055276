import Foundation
import Probes
import Symmetries

/// `symmetry-probe claims`: every empirical claim of docs/design.md, decided held, failed or
/// inconclusive at a named scale.
struct ClaimsCommand: Command {
  static let name = "claims"
  static let abstract =
    "Decide the empirical claims of docs/design.md: held, failed or inconclusive, with intervals."
  static let options: [OptionDoc] = [
    OptionDoc("scale", "S", "small, medium (default) or large"),
    .output(
      "claims.md, claims.json and claim-<id>.svg", default: "symmetry-probe-output/claims-<scale>"),
    OptionDoc(
      "cache", "DIR",
      """
      kernel cache; an interrupted run continues from it and a rerun recomputes
      nothing (default symmetry-probe-output/kernel-cache)
      """),
    .format("text (default), json or markdown"),
    .seed("the pool, the subsets and the group elements"),
    OptionDoc(
      "skip-model-arm", nil,
      """
      do not compute CNN-GAP symmetrised over O(d) (4 Monte Carlo Grams at
      the medium scale, about half its kernel work); claim 4a is then left out
      """),
    OptionDoc(
      "finite", nil,
      "also decide the finite-network claims at the medium or large scale\n(the small scale always does)"
    ),
    OptionDoc(
      "finite-standard", nil,
      """
      also decide 5a-std, 5b-std, 5c-std and 4b-std: the same claims for
      CNN-VEC in standard parameterisation (z = W x + b, W ~ N(0, W_std^2 /
      fan-in)) trained by SGD until its training MSE is <= 0.01 or a cap
      (docs/claims/README.md, "Claim 5 with the standard parameterisation")
      """),
    OptionDoc(
      "finite-only", nil,
      """
      skip the kernel claims: only the finite-network claims asked for (their
      experiments compute the CNN-VEC and LCN Grams they need)
      """),
  ]

  /// The finite-network recipe of `scale`'s claims, from the experiment itself (so the help
  /// cannot drift from the code): width, rate, steps and the training-set size.
  static func finiteRecipe(_ scale: ClaimScale) -> String {
    guard let finite = scale.finiteExperiment.finite, let m = finite.trainSizes?.first else {
      return "no finite networks"
    }
    let rate =
      finite.learningRate == finite.learningRate.rounded()
      ? String(Int(finite.learningRate)) : "\(finite.learningRate)"
    return "width \(finite.width), rate \(rate), \(finite.steps(trainSize: m)) steps, m = \(m)"
  }

  static let help = """
    USAGE: symmetry-probe claims [--scale small|medium|large] [--output DIR] [--cache DIR]
             [--format text|json|markdown] [--seed N] [--skip-model-arm] [--finite]
             [--finite-standard] [--finite-only]

    Runs the learning curves behind docs/design.md's claims (kernel regression of FCN, LCN = CNN-VEC
    and CNN-GAP on CIFAR-10 under no action, a random orthogonal map, a random pixel permutation
    and a 2 x 2 patch shuffle of the data, and CNN-GAP symmetrised over O(d)) with 10 paired
    repeats, then decides each claim from its hypothesis fixed in code (Sources/Probes/Claims):
    the paired effect's Student-t 95% interval against zero, or against the equivalence margin
    (0.01 accuracy) for "about equal" claims. Held: the interval is on the claim's side (inside
    the margin); failed: on the other side (outside it); inconclusive: it crosses. Each row also
    gives the minimum detectable effect at 80% power.

    The finite-network claims (5a-5c, and 4b, claim 4's finite half) train CNN-VEC by SGD on the
    same pool and repeats, at natural and per-pixel channel-rotated data, at one size: at the
    small scale always (\(finiteRecipe(.small))), at medium and large with --finite
    (\(finiteRecipe(.medium)): trained networks are not cached, so a warm rerun retrains them).

    SCALES:
      small    4 x 4, m = 16..64 from a pool of 128, 100 test images, NNGP (what swift test runs)
      medium   8 x 8, m = 16..1024 (CNN-GAP to 512) from a pool of 2,048, 1,000 test images,
               NNGP and NTK
      large    16 x 16, otherwise as medium

    OPTIONS:
    \(options.rendered)

    Progress, with an estimate of the time left, goes to standard error.
    """

  var scale = ClaimScale.medium
  var output: URL
  var cache = URL(fileURLWithPath: "symmetry-probe-output/kernel-cache", isDirectory: true)
  var format = OutputFormat.text
  var seed: UInt64 = 0
  var modelArm = true
  var finite = false
  var standardFinite = false
  var kernelClaims = true

  init(_ arguments: inout ArgumentList) throws {
    scale = try arguments.choice("scale") ?? scale
    output =
      try arguments.folder("output")
      ?? URL(fileURLWithPath: "symmetry-probe-output/claims-\(scale.rawValue)", isDirectory: true)
    cache = try arguments.folder("cache") ?? cache
    format = try OutputFormat.parse(&arguments)
    seed = try arguments.option("seed", .seed) ?? seed
    modelArm = !arguments.flag("skip-model-arm")
    finite = arguments.flag("finite") || scale == .small
    standardFinite = arguments.flag("finite-standard")
    kernelClaims = !arguments.flag("finite-only")
    try arguments.finish()
  }

  func run() throws {
    try OutputPath.checkFolder(output)
    progress("claims at the \(scale) scale; kernel cache \(cache.path)")
    let report = try ClaimsReport.run(
      scale: scale, seed: seed, cache: KernelCache(directory: cache), modelArm: modelArm,
      finite: finite,
      standardFinite: standardFinite, kernelClaims: kernelClaims, progress: progress)
    switch format {
    case .text: print(report.table(markdown: false))
    case .markdown: print(report.table(markdown: true))
    case .json: print(try RunMetadata(seed: seed).annotate(report.json()))
    }
    var files = [
      ("claims.json", try RunMetadata(seed: seed).annotate(report.json())),
      ("claims.md", "# Claims at the \(scale) scale\n\n" + report.table(markdown: true) + "\n"),
    ]
    for result in report.results {
      files.append(("claim-\(result.id).svg", report.svg(for: result)))
    }
    try writeOutputs(files, into: output)
  }
}
