import Foundation

/// A learner an invariance expectation can be stated about: it measures its own algorithmic and
/// functional invariance under one group element, says what the symmetry rules predict when it
/// knows its layers, and how to reproduce a measurement with the command-line tool.
///
/// Conformers: `Architecture` and `LayerSpec` (the infinite-width NNGP and NTK), `KernelSubject`
/// (any `KernelFunction`), `FiniteSubject` (a finite network trained by an optimiser) and
/// `RandomLearnerSubject` (any `RandomLearner`, Swift or an outside program).
public protocol InvarianceSubject: Sendable {
  /// A short name for messages, e.g. the layer list.
  var subjectName: String { get }

  /// The measured invariance under `element` on `images`: one reading per quantity measured
  /// (the NNGP and the NTK of a kernel, the predictions of a trained learner).
  func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]

  /// What the layers' symmetry rules predict under `element` on images of `shape`, nil when
  /// the subject has no layers to predict from.
  func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?

  /// A `symmetry-probe` command line that measures the same question on comparable images
  /// (the tool's data sets, its own draw of `action`), nil when the tool cannot express it.
  func reproduceCommand(action: String, images: ProbeImages) -> String?
}

/// One measured quantity under one element: the deviation of each kind of invariance, the
/// thresholds that turn it into a verdict, and the verdicts.
public struct InvarianceReading: Sendable, Hashable {
  /// What was measured, e.g. "NNGP" or "predictions".
  public var quantity: String
  /// The measured deviation from algorithmic invariance (0 when exactly invariant).
  public var algorithmicDeviation: Double
  /// The measured deviation from functional invariance (0 when exactly invariant).
  public var functionalDeviation: Double
  /// The verdict on algorithmic invariance.
  public var algorithmic: Verdict
  /// The verdict on functional invariance.
  public var functional: Verdict
  /// How the deviation becomes a verdict, in words (the thresholds, or the statistical rule).
  public var rule: String
  /// Anything else the probe found, e.g. "the transport does not lift: ...", or "".
  public var note: String

  /// A reading with verdicts decided by the caller (e.g. by a statistical rule).
  public init(
    quantity: String, algorithmicDeviation: Double, functionalDeviation: Double,
    algorithmic: Verdict, functional: Verdict, rule: String, note: String = ""
  ) {
    self.quantity = quantity
    self.algorithmicDeviation = algorithmicDeviation
    self.functionalDeviation = functionalDeviation
    self.algorithmic = algorithmic
    self.functional = functional
    self.rule = rule
    self.note = note
  }

  /// A reading whose verdicts follow from `thresholds`.
  public init(
    quantity: String, algorithmicDeviation: Double, functionalDeviation: Double,
    thresholds: VerdictThresholds, note: String = ""
  ) {
    self.init(
      quantity: quantity, algorithmicDeviation: algorithmicDeviation,
      functionalDeviation: functionalDeviation,
      algorithmic: Verdict(deviation: algorithmicDeviation, thresholds: thresholds),
      functional: Verdict(deviation: functionalDeviation, thresholds: thresholds),
      rule:
        "invariant at or below \(short(thresholds.roundOff)), not invariant above \(short(thresholds.effectFloor))",
      note: note)
  }

  /// The deviation and verdict of one kind.
  public subscript(kind: InvarianceKind) -> (deviation: Double, verdict: Verdict) {
    kind == .algorithmic ? (algorithmicDeviation, algorithmic) : (functionalDeviation, functional)
  }
}

/// A deviation in two significant digits, as the tool's tables print it.
func short(_ value: Double) -> String {
  value.isFinite ? String(format: "%.1e", value) : "\(value)"
}
