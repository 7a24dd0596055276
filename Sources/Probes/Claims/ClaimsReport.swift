import Foundation
import Learners

/// The claims measured at one scale, with the run's protocol: what `symmetry-probe claims`
/// writes as claims.md, claims.json and one SVG per claim.
public struct ClaimsReport: Sendable {
  /// A report of `results` measured at `scale` with the run's protocol.
  public init(
    scale: ClaimScale, results: [ClaimResult], metadata: ClaimsRunMetadata,
    ridgeSensitivity: [RidgeSensitivity],
    ridgeVerdicts: [RidgeVerdict] = []
  ) {
    self.scale = scale
    self.results = results
    self.metadata = metadata
    self.ridgeSensitivity = ridgeSensitivity
    self.ridgeVerdicts = ridgeVerdicts
  }

  /// The scale the claims were measured at.
  public var scale: ClaimScale
  /// Each claim's effect, interval and verdict.
  public var results: [ClaimResult]
  /// The run's protocol and provenance.
  public var metadata: ClaimsRunMetadata
  /// Every repeat's natural-image accuracy at each sensitivity ridge.
  public var ridgeSensitivity: [RidgeSensitivity]
  /// The natural-image claims decided again at every sensitivity ridge.
  public var ridgeVerdicts: [RidgeVerdict]

  /// Runs the claims at `scale`: the scale's learning-curve experiment (with `cache`, if any),
  /// then every claim of the catalogue it has learners for.
  ///
  /// With `modelArm` false the O(d)-symmetrised CNN-GAP is not computed (a Monte Carlo kernel of
  /// `symmetrisationDraws` Grams: about half of the medium scale's kernel work) and claim 4a,
  /// which needs it, is left out of the report. `finite` adds the finite-network claims (5a-5c,
  /// 4b) in NTK parameterisation, `standardFinite` the same claims for networks in standard
  /// parameterisation trained until fitted (5a-std ...; `ClaimScale.standardFiniteExperiment`);
  /// with `kernelClaims` false only those run (the finite experiments compute the CNN-VEC and
  /// LCN Grams they need), and the report has no ridge tables.
  public static func run(
    scale: ClaimScale, seed: UInt64 = 0, cache: KernelCache? = nil, modelArm: Bool = true,
    finite: Bool = false,
    standardFinite: Bool = false, kernelClaims: Bool = true, progress: (String) -> Void = { _ in }
  ) throws -> ClaimsReport {
    let start = Date()
    var experiment = scale.experiment
    if !modelArm { experiment.modelActions = [] }
    experiment.seed = seed
    experiment.cache = cache
    let curves = kernelClaims ? try experiment.run(progress: progress) : nil
    var results =
      try curves.map { try ClaimCatalogue.evaluate($0, scale: scale, kinds: experiment.kinds) }
      ?? []
    var recipes: [String] = []
    var finiteTrainSizes: [Int] = []
    var shape = curves?.shape
    for (include, finiteExperiment, claims) in [
      (finite, scale.finiteExperiment, ClaimCatalogue.finiteClaims),
      (standardFinite, scale.standardFiniteExperiment, ClaimCatalogue.standardFiniteClaims),
    ] where include {
      var finiteExperiment = finiteExperiment
      finiteExperiment.seed = seed
      finiteExperiment.cache = cache
      let recipe = finiteExperiment.finite?.recipe ?? ""
      finiteTrainSizes += finiteExperiment.finite?.trainSizes ?? []
      recipes.append("\(claims.map(\.id).joined(separator: ", ")): \(recipe)")
      progress("finite-network claims: CNN-VEC by SGD, \(recipe)")
      let finiteCurves = try finiteExperiment.run(progress: progress)
      shape = finiteCurves.shape
      results += try claims.compactMap { try $0.evaluate(finiteCurves, scale: scale) }
    }
    let finiteRecipe = recipes.isEmpty ? nil : recipes.joined(separator: "; ")
    let ridgeVerdicts =
      try curves.map { try RidgeVerdict.evaluate($0, scale: scale, kinds: experiment.kinds) } ?? []
    let metadata = ClaimsRunMetadata(
      dataset: experiment.dataSet.rawValue, imageShape: shape?.description ?? "",
      // Without the kernel claims only the finite networks' sizes were used: the protocol line
      // should not list the learning curves' m = 16 ... 1,024.
      trainSizes: kernelClaims
        ? experiment.trainSizes : Array(Set(finiteTrainSizes)).sorted(),
      gapMaxTrainSize: kernelClaims ? experiment.gapMaxTrainSize : nil,
      poolSize: experiment.poolSize, testCount: experiment.testCount, repeats: experiment.repeats,
      kernels: experiment.kinds.map(\.rawValue),
      modelActions: experiment.modelActions.map(\.rawValue), depth: experiment.depth,
      activation: "\(experiment.activation)",
      ridge: experiment.diagReg, symmetrisationDraws: experiment.symmetrisationDraws, seed: seed,
      confidence: 0.95, started: ISO8601DateFormatter().string(from: start),
      seconds: Date().timeIntervalSince(start), cache: cache?.directory.path,
      threads: ProcessInfo.processInfo.activeProcessorCount, finiteRecipe: finiteRecipe)
    return ClaimsReport(
      scale: scale, results: results, metadata: metadata,
      ridgeSensitivity: curves?.ridgeSensitivity ?? [],
      ridgeVerdicts: ridgeVerdicts)
  }

  // MARK: - JSON

  /// JSON: `scale`, `metadata`, `claims` (keys claim, id, scale, effect, effect_description,
  /// interval, repeats, margin, direction, verdict, minimum_detectable_effect),
  /// `ridge_sensitivity` and `ridge_verdicts` (each a `ridge` and a claim's `result`).
  public func json() throws -> String {
    struct Document: Encodable {
      var scale: ClaimScale
      var metadata: ClaimsRunMetadata
      var claims: [ClaimResult]
      var ridgeSensitivity: [RidgeSensitivity]
      var ridgeVerdicts: [RidgeVerdict]
      enum CodingKeys: String, CodingKey {
        case scale, metadata, claims
        case ridgeSensitivity = "ridge_sensitivity"
        case ridgeVerdicts = "ridge_verdicts"
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let document = Document(
      scale: scale, metadata: metadata, claims: results, ridgeSensitivity: ridgeSensitivity,
      ridgeVerdicts: ridgeVerdicts)
    return String(decoding: try encoder.encode(document), as: UTF8.self)
  }

  // MARK: - Tables

  /// One row per claim: id, claim, effect with its interval, repeats, margin, MDE, verdict.
  public func table(markdown: Bool) -> String {
    var rows = [["id", "claim", "effect [95% CI]", "n", "margin", "MDE", "verdict"]]
    for r in results {
      rows.append([
        r.id, r.claim, r.summary, "\(r.repeats)", r.direction == .equivalent ? "±\(r.margin)" : "-",
        r.minimumDetectableEffect.map { String(format: "%.4f", $0) } ?? "-", r.verdict.rawValue,
      ])
    }
    let m = metadata
    let protocolLine =
      "Claims at the \(scale) scale: \(m.dataset) \(m.imageShape), m = \(m.trainSizes.map(String.init).joined(separator: ", "))"
      + (m.gapMaxTrainSize.map { " (CNN-GAP to \($0))" } ?? "")
      + " from a pool of \(m.poolSize.map(String.init) ?? "the whole split"), \(m.testCount) test images, "
      + "\(m.repeats) paired repeats, depth \(m.depth) \(m.activation), ridge \(m.ridge) of the mean diagonal, "
      + "seed \(m.seed); paired Student-t 95% intervals; MDE at 80% power. Ran in \(duration(m.seconds))."
      + (m.modelActions.isEmpty
        ? " Model arm skipped (--skip-model-arm): claim 4a not decided." : "")
      + (m.finiteRecipe.map { " Finite networks: CNN-VEC, \($0), on the same pool and repeats." }
        ?? " Finite-network claims (5a-5c, 4b) not run (--finite).")
    let held = results.filter { $0.verdict == .held }.count
    let failed = results.filter { $0.verdict == .failed }.count
    let tally = "\(held) held, \(failed) failed, \(results.count - held - failed) inconclusive."
    var sections = [protocolLine, tally, render(rows, markdown: markdown)]
    if !ridgeSensitivity.isEmpty {
      sections.append(ridgeTable(markdown: markdown))
    }
    if !ridgeVerdicts.isEmpty {
      sections.append(ridgeVerdictTable(markdown: markdown))
    }
    return sections.joined(separator: "\n\n")
  }

  /// One row per natural-image claim: its effect, interval and verdict at each ridge.
  func ridgeVerdictTable(markdown: Bool) -> String {
    let ridges = Set(ridgeVerdicts.map(\.ridge)).sorted()
    var ids: [String] = []
    for v in ridgeVerdicts where !ids.contains(v.result.id) { ids.append(v.result.id) }
    var rows = [["id"] + ridges.map { "ridge \($0)" }]
    for id in ids {
      rows.append(
        [id]
          + ridges.map { ridge in
            ridgeVerdicts.first { $0.ridge == ridge && $0.result.id == id }
              .map { "\($0.result.summary) \($0.result.verdict.rawValue)" } ?? "-"
          })
    }
    let changed = ids.filter { id in
      Set(ridgeVerdicts.filter { $0.result.id == id }.map(\.result.verdict)).count > 1
    }
    return
      "Ridge sensitivity of the verdicts: the natural-image claims decided at each ridge (the same repeats "
      + "and hypotheses). "
      + (changed.isEmpty
        ? "No verdict depends on the ridge."
        : "The verdict depends on the ridge for \(changed.joined(separator: ", ")).")
      + "\n\n" + render(rows, markdown: markdown)
  }

  /// Mean natural-image accuracy at the largest size at each ridge, per learner.
  func ridgeTable(markdown: Bool) -> String {
    ridgeSensitivityTable(ridgeSensitivity, markdown: markdown)
  }

}

/// Rows (the first a header) as a markdown table or aligned text.
func render(_ rows: [[String]], markdown: Bool) -> String {
  if markdown {
    let header = "| " + rows[0].joined(separator: " | ") + " |"
    let rule = "|" + String(repeating: "---|", count: rows[0].count)
    return ([header, rule] + rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" })
      .joined(separator: "\n")
  }
  return alignColumns(rows)
}

/// Mean natural-image test accuracy at the largest size at each ridge, one row per learner.
func ridgeSensitivityTable(_ sensitivity: [RidgeSensitivity], markdown: Bool) -> String {
  guard !sensitivity.isEmpty else { return "" }
  var learners: [String] = []
  for s in sensitivity where !learners.contains("\(s.architecture) \(s.kernel.label)") {
    learners.append("\(s.architecture) \(s.kernel.label)")
  }
  let ridges = Set(sensitivity.map(\.ridge)).sorted()
  var rows = [["learner", "m"] + ridges.map { "ridge \($0)" }]
  for learner in learners {
    let all = sensitivity.filter { "\($0.architecture) \($0.kernel.label)" == learner }
    let largest = all.map(\.trainSize).max() ?? 0
    let mine = all.filter { $0.trainSize == largest }
    var row = [learner, "\(largest)"]
    for ridge in ridges {
      let values = mine.filter { $0.ridge == ridge }.map(\.accuracy)
      row.append(String(format: "%.4f", values.reduce(0, +) / Double(max(values.count, 1))))
    }
    rows.append(row)
  }
  return "Ridge sensitivity: mean natural-image test accuracy at the largest size, by ridge "
    + "(relative to the mean diagonal).\n\n" + render(rows, markdown: markdown)
}

/// What a claims run measured with: enough to rerun it.
public struct ClaimsRunMetadata: Sendable, Codable {
  /// The data set's name, e.g. `cifar10`.
  public var dataset: String
  /// The image shape after preprocessing, e.g. `8x8x3`.
  public var imageShape: String
  /// The training-set sizes m of the curves, ascending.
  public var trainSizes: [Int]
  /// The cap on CNN-GAP's training-set size, or nil when it runs at every size.
  @NullIfAbsent public var gapMaxTrainSize: Int?
  /// The number of images in the training pool, or nil for the whole training split.
  @NullIfAbsent public var poolSize: Int?
  /// The number of test images.
  public var testCount: Int
  /// The number of paired repeats n behind every interval.
  public var repeats: Int
  /// The kernels measured (`nngp`, `ntk`).
  public var kernels: [String]
  /// The model-side conditions run (empty when the model arm was skipped).
  public var modelActions: [String]
  /// The number of hidden layers of every architecture.
  public var depth: Int
  /// The activation of every hidden layer.
  public var activation: String
  /// The ridge, relative to the mean diagonal of the train-train kernel.
  public var ridge: Double
  /// Haar draws in the Monte Carlo O(d) symmetrisation of the model arm.
  public var symmetrisationDraws: Int
  /// The run's seed (subsets, group elements, initialisations).
  public var seed: UInt64
  /// The confidence level of the intervals (0.95).
  public var confidence: Double
  /// When the run started (ISO 8601).
  public var started: String
  /// Wall-clock seconds the run took.
  public var seconds: Double
  /// The kernel cache's folder, or nil when none was used.
  @NullIfAbsent public var cache: String?
  /// The number of processor cores the run could use.
  public var threads: Int
  /// The finite networks' training recipe, or nil when the finite-network claims were not run.
  @NullIfAbsent public var finiteRecipe: String?

  /// The metadata of a run, field by field.
  public init(
    dataset: String, imageShape: String, trainSizes: [Int], gapMaxTrainSize: Int?, poolSize: Int?,
    testCount: Int, repeats: Int, kernels: [String], modelActions: [String], depth: Int,
    activation: String, ridge: Double, symmetrisationDraws: Int, seed: UInt64, confidence: Double,
    started: String, seconds: Double, cache: String?, threads: Int,
    finiteRecipe: String? = nil
  ) {
    self.dataset = dataset
    self.imageShape = imageShape
    self.trainSizes = trainSizes
    self.gapMaxTrainSize = gapMaxTrainSize
    self.poolSize = poolSize
    self.testCount = testCount
    self.repeats = repeats
    self.kernels = kernels
    self.modelActions = modelActions
    self.depth = depth
    self.activation = activation
    self.ridge = ridge
    self.symmetrisationDraws = symmetrisationDraws
    self.seed = seed
    self.confidence = confidence
    self.started = started
    self.seconds = seconds
    self.cache = cache
    self.threads = threads
    self.finiteRecipe = finiteRecipe
  }

  enum CodingKeys: String, CodingKey {
    case dataset, repeats, kernels, depth, activation, ridge, seed, confidence, started, seconds,
      cache, threads
    case imageShape = "image_shape"
    case trainSizes = "train_sizes"
    case gapMaxTrainSize = "gap_max_train_size"
    case poolSize = "pool_size"
    case testCount = "test_count"
    case symmetrisationDraws = "symmetrisation_draws"
    case modelActions = "model_actions"
    case finiteRecipe = "finite_recipe"
  }
}
