/// The ensemble probe's evidence for one cell (an architecture, an action, an optimiser): one
/// `EnsembleMeasurement` per group element g_1 ... g_E, each g_e.S arm against the same S arm,
/// and the cell's two p-values for a grid's multiplicity rule.
///
/// The cell asks about the group, so its verdict is over all its elements, the worst case:
///
/// - **equal within the margin** needs every element's rho below the margin. Its null
///   hypothesis, "some rho_e >= delta", is a union, so the intersection-union test rejects it
///   when every element's test does, at the same level with no correction for E (Berger 1982):
///   p(equal) = max_e p_e(rho_e >= delta).
/// - **not equal** needs one element's rho above the margin. Its null hypothesis, "every
///   rho_e <= delta", is an intersection, tested by the smallest of the E p-values with
///   Bonferroni's correction: p(differ) = E min_e p_e(rho_e <= delta).
///
/// Both are multiplied by the L looks the sequential rule allows (Bonferroni over looks: the
/// chance that any look's p-value falls below u/L is at most u, so the p-value of the look the
/// cell stopped at stays valid). A grid then decides its cells together by Holm's procedure over
/// the 2N p-values (`DistributionalVerdict.decide`).
///
/// Each element's interval is reported at the simultaneous confidence 1 - alpha / (N L E),
/// Bonferroni over the N cells, L looks and E elements: an interval entirely below (above) the
/// margin implies the cell is called equal (not equal) by Holm, which may also decide cells
/// whose simultaneous intervals still touch the margin.
public struct EnsembleCellMeasurement: Sendable, Hashable, Codable {
  /// Per element, rho of its g.S arm against the S arm, with the interval at the simultaneous
  /// confidence.
  public var elements: [EnsembleMeasurement]
  /// The p-value of "some element has rho >= margin", corrected for the looks.
  public var pEqual: Double
  /// The p-value of "every element has rho <= margin", corrected for the elements and looks.
  public var pDiffer: Double
  /// Looks L the sequential rule allowed, and cells N decided together.
  public var looks: Int
  /// Cells N decided together (the family of Holm's procedure).
  public var familySize: Int
  /// The family-wise error rate alpha.
  public var alpha: Double

  /// The measurements of E paired arms (`moved[e]` against `original`, K >= 3 pairs each).
  /// - Throws: `ProbeError` as `EnsembleMeasurement` does, or for no elements, fewer than one
  ///   look or cell, or alpha outside (0, 1).
  public init(
    moved: [[[Double]]], original: [[Double]], targets: [Double], margin: Double, alpha: Double,
    looks: Int = 1, familySize: Int = 1
  ) throws(ProbeError) {
    try self.init(
      moved: moved, originals: Array(repeating: original, count: moved.count), targets: targets,
      margin: margin,
      alpha: alpha, looks: looks, familySize: familySize)
  }

  /// The same with an S arm per element: `moved[e]` against `originals[e]` (transport-paired
  /// ensembles, `EnsembleSample.transported`).
  public init(
    moved: [[[Double]]], originals: [[[Double]]], targets: [Double], margin: Double, alpha: Double,
    looks: Int = 1, familySize: Int = 1
  ) throws(ProbeError) {
    guard originals.count == moved.count else {
      throw .mismatch(
        "\(moved.count) g.S arms but \(originals.count) S arms: one S arm per element")
    }
    guard !moved.isEmpty else { throw .invalidOption("a cell needs at least one group element") }
    guard looks >= 1, familySize >= 1 else {
      throw .invalidOption("looks (\(looks)) and cells (\(familySize)) must be at least 1")
    }
    guard alpha > 0, alpha < 1 else {
      throw .invalidOption(
        "the family-wise error rate must lie strictly between 0 and 1, got \(alpha)")
    }
    let count = Double(moved.count)
    let simultaneous = 1 - alpha / (Double(familySize * looks) * count)
    elements = try zip(moved, originals).map { arm, original throws(ProbeError) in
      try EnsembleMeasurement(
        moved: arm, original: original, targets: targets, margin: margin, confidence: simultaneous)
    }
    let lookCount = Double(looks)
    pEqual = min(1, lookCount * elements.map(\.pBelowMargin).max()!)
    pDiffer = min(1, lookCount * count * elements.map(\.pAboveMargin).min()!)
    self.looks = looks
    self.familySize = familySize
    self.alpha = alpha
  }

  /// The element with the largest rho, the one the cell's verdict turns on.
  public var worst: EnsembleMeasurement { elements.max { $0.squaredEffect < $1.squaredEffect }! }

  /// Pairs K used.
  public var pairs: Int { elements[0].pairs }

  /// Whether some element's simultaneous interval lies above 0: the ensembles differ, however
  /// little.
  public var differenceDetected: Bool { elements.contains { $0.differenceDetected } }

  /// Whether some network of some arm predicts anything but 0; without that, equal arms say
  /// nothing (`DistributionalVerdict.noSignal`).
  public var hasSignal: Bool { elements.contains { $0.verdict != .noSignal } }

  /// Whether the sequential rule stops at this look: one of the cell's p-values is at most
  /// alpha / (2N), Bonferroni's level over the family's 2N hypotheses, where Holm's procedure
  /// rejects it whatever the other cells' p-values (its first threshold is alpha / (2N)).
  public var isSettled: Bool { min(pEqual, pDiffer) <= alpha / Double(2 * familySize) }

  /// The verdict of this cell decided alone (a family of one).
  public var verdict: DistributionalVerdict {
    DistributionalVerdict.decide([self], alpha: alpha)[0]
  }
}
