/// The summary of a finite-invariance cell, from its exact and distributional evidence kept
/// apart: it never says plain "invariant" when weight transport shows a break.
public enum FiniteVerdict: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// Exactly invariant (transport), or no transport and the distributions equal within margin.
  case invariant = "invariant"
  /// The distributions differ by more than the margin (and transport does not say invariant).
  case notInvariant = "not invariant"
  /// Transport shows a break run by run, yet the distributions are equal within the margin.
  case brokenButClose = "not exactly invariant; distributions equal within margin"
  /// Transport shows a break; the distributions are undecided.
  case brokenUndecided = "not exactly invariant; distributions inconclusive"
  /// No exact evidence, and the distributions are undecided.
  case inconclusive = "inconclusive"
  /// Transport is exact but the distributions were called different: a false alarm of the
  /// ensemble probe (its family-wise error rate bounds how often) or a defect; reported, not hidden.
  case conflicting = "conflicting: exactly invariant, distributions not equal"
  /// Every network predicts 0 (untrained centred networks): transport and ensembles then agree
  /// trivially, which is no evidence either way.
  case noSignal = "no signal"

  public var description: String { rawValue }

  /// The summary of the exact and the distributional evidence.
  public init(exact: ExactVerdict, distributional: DistributionalVerdict) {
    switch (exact, distributional) {
    case (_, .noSignal): self = .noSignal
    case (.invariant, .notEqual): self = .conflicting
    case (.invariant, _), (.unknown, .equal): self = .invariant
    case (_, .notEqual): self = .notInvariant
    case (.notInvariant, .equal): self = .brokenButClose
    case (.notInvariant, .inconclusive): self = .brokenUndecided
    case (.unknown, .inconclusive): self = .inconclusive
    }
  }
}
