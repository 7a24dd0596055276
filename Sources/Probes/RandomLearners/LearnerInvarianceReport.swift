import Foundation

/// The report of `symmetry-probe probe`: a learner, an action, and its functional and
/// algorithmic verdicts with their statistics (`LearnerInvarianceMeasurement`), as JSON (snake
/// case keys, e.g. `functional_verdict`, `algorithmic_verdict`), text, Markdown and a forest plot.
public struct LearnerInvarianceReport: Sendable, Encodable {
  /// One kind of invariance: its verdicts and statistics.
  public struct Part: Sendable, Encodable {
    /// The summary (`FiniteVerdict`) of the exact and distributional evidence.
    public var verdict: FiniteVerdict
    /// Weight transport's (run by run) verdict.
    public var exact: ExactVerdict
    /// The ensembles' verdict, after the multiplicity rule.
    public var distributional: DistributionalVerdict
    /// The worst element's rho and its interval at the simultaneous confidence.
    public var effect: Double
    /// The worst element's interval, [lower, upper].
    public var interval: [Double]
    /// Every element's rho.
    public var elementEffects: [Double]
    /// Every element's interval.
    public var elementIntervals: [[Double]]
    /// The p-value of "some element has rho >= margin".
    public var pEqual: Double
    /// The p-value of "every element has rho <= margin".
    public var pDiffer: Double
    /// The largest relative deviation between the two runs of a pair.
    public var pairedDeviation: Double
    /// Whether some interval of rho^2 excludes 0: the laws differ, by however little.
    public var differenceDetected: Bool

    init(
      _ cell: EnsembleCellMeasurement, exact: ExactVerdict, distributional: DistributionalVerdict,
      deviation: Double
    ) {
      self.exact = exact
      self.distributional = distributional
      verdict = FiniteVerdict(exact: exact, distributional: distributional)
      effect = cell.worst.effect
      interval = cell.worst.interval
      elementEffects = cell.elements.map(\.effect)
      elementIntervals = cell.elements.map(\.interval)
      pEqual = cell.pEqual
      pDiffer = cell.pDiffer
      pairedDeviation = deviation
      differenceDetected = cell.differenceDetected
    }
  }

  /// The learner (a command line, or a Swift learner's name) and the action.
  public var learner: String
  /// The action family's name.
  public var action: String
  /// What the data were, e.g. "128 cifar10 training images of 8 x 8 x 3, 100 test images".
  public var data: String
  /// Distinct group elements probed.
  public var elements: Int
  /// The experiment seed.
  public var seed: UInt64
  /// Pairs K used, and runs of the learner.
  public var pairs: Int
  /// Runs of the learner.
  public var runs: Int
  /// The decision margin on rho.
  public var margin: Double
  /// The family-wise error rate alpha of the two verdicts.
  public var alpha: Double
  /// The confidence of every interval: 1 - alpha / (2 L E).
  public var confidence: Double
  /// The multiplicity rule, in words.
  public var multiplicity: String
  /// Functional invariance: f_S(g x*) against f_S(x*).
  public var functional: Part
  /// Algorithmic invariance: f_{g.S}(g x*) against f_S(x*).
  public var algorithmic: Part
  /// The mean test loss of the S runs (half the mean squared error against the test targets).
  public var testLoss: Double

  /// The report of `measurement` of `learner` under `action` on `data`.
  public init(
    learner: String, action: String, data: String, seed: UInt64,
    measurement: LearnerInvarianceMeasurement
  ) {
    self.learner = learner
    self.action = action
    self.data = data
    self.seed = seed
    let cell = measurement.algorithmic
    elements = cell.elements.count
    pairs = cell.pairs
    runs = measurement.runs
    margin = cell.worst.margin
    alpha = cell.alpha
    confidence = 1 - cell.alpha / Double(2 * cell.looks * cell.elements.count)
    multiplicity =
      "Holm over the 4 one-sided tests of the functional and the algorithmic cell at family-wise error "
      + "\(String(format: "%g", cell.alpha)); per cell, equal: intersection-union over its \(elements) element"
      + "\(elements == 1 ? "" : "s"), not equal: Bonferroni over them; Bonferroni over the sequential rule's \(cell.looks) looks"
    let verdicts = measurement.distributional
    functional = Part(
      measurement.functional, exact: measurement.functionalExact,
      distributional: verdicts.functional,
      deviation: measurement.functionalDeviation)
    algorithmic = Part(
      cell, exact: measurement.algorithmicExact, distributional: verdicts.algorithmic,
      deviation: measurement.algorithmicDeviation)
    testLoss = cell.worst.originalTestLoss
  }

  private enum CodingKeys: String, CodingKey {
    case learner, action, data, elements, seed, pairs, runs, margin, alpha, confidence,
      multiplicity, testLoss
    case functionalVerdict, algorithmicVerdict, functional, algorithmic
  }

  /// Flat verdicts first (`functional_verdict`, `algorithmic_verdict`), the statistics under
  /// `functional` and `algorithmic`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(learner, forKey: .learner)
    try container.encode(action, forKey: .action)
    try container.encode(data, forKey: .data)
    try container.encode(elements, forKey: .elements)
    try container.encode(seed, forKey: .seed)
    try container.encode(pairs, forKey: .pairs)
    try container.encode(runs, forKey: .runs)
    try container.encode(margin, forKey: .margin)
    try container.encode(alpha, forKey: .alpha)
    try container.encode(confidence, forKey: .confidence)
    try container.encode(multiplicity, forKey: .multiplicity)
    try container.encode(testLoss, forKey: .testLoss)
    try container.encode(functional.verdict, forKey: .functionalVerdict)
    try container.encode(algorithmic.verdict, forKey: .algorithmicVerdict)
    try container.encode(functional, forKey: .functional)
    try container.encode(algorithmic, forKey: .algorithmic)
  }

  /// The report as JSON with sorted, snake-case keys.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  private var parts: [(String, Part)] {
    [("functional", functional), ("algorithmic", algorithmic)]
  }

  /// A few lines of text.
  public func text() -> String {
    var lines = [
      "\(learner)",
      "action \(action), \(elements) element\(elements == 1 ? "" : "s"), \(pairs) pairs (\(runs) runs), seed \(seed); \(data)",
    ]
    for (name, part) in parts {
      lines.append(
        "\(name): \(part.verdict) (exact: \(part.exact), pairs part by \(String(format: "%.2e", part.pairedDeviation)); "
          + "distributions: \(part.distributional), worst rho \(intervalText(part.effect, lower: part.interval[0], upper: part.interval[1], decimals: 4)))"
      )
    }
    lines.append(
      "margin \(margin) on rho, intervals at \(String(format: "%.4g", confidence * 100))% simultaneous confidence"
    )
    lines.append("multiplicity: \(multiplicity)")
    return lines.joined(separator: "\n")
  }

  /// A Markdown table, one row per kind of invariance, and the rule under it.
  public func markdown() -> String {
    var lines = [
      "| learner | action | invariance | verdict | exact | paired deviation | distributional | rho (worst of E) | interval | E | K |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    let label = learner.replacingOccurrences(of: "|", with: "\\|")
    for (name, part) in parts {
      let rho = intervalParts(
        part.effect, lower: part.interval[0], upper: part.interval[1], decimals: 3)
      lines.append(
        "| `\(label)` | \(action) | \(name) | \(part.verdict) | \(part.exact) | "
          + String(format: "%.1e | ", part.pairedDeviation) + "\(part.distributional) | "
          + "\(rho.estimate) | [\(rho.lower), \(rho.upper)] | \(elements) | \(pairs) |")
    }
    lines.append("")
    lines.append(
      "Margin \(margin) on rho; intervals at \(String(format: "%.4g", confidence * 100))% simultaneous confidence; "
        + "multiplicity: \(multiplicity); seed \(seed); \(data).")
    return lines.joined(separator: "\n")
  }

  /// The forest plot of the two verdicts (`ForestPlot`).
  public func svg() -> String {
    ForestPlot(
      title: "Is the learner invariant to \(action)?", sideHeader: "paired runs",
      rows: parts.map { name, part in
        ForestPlot.Row(
          label: "\(name) / \(action)", effect: part.effect, interval: part.interval,
          otherEffects: part.elementEffects.sorted().dropLast(), verdict: part.verdict,
          detail: "\(part.verdict) (distributions \(part.distributional)), worst rho "
            + intervalText(
              part.effect, lower: part.interval[0], upper: part.interval[1], decimals: 3)
            + ", \(pairs) pairs",
          side: "\(part.exact), pairs part by " + String(format: "%.1e", part.pairedDeviation))
      },
      margin: margin
    ).svg
  }
}
