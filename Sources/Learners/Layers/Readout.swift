import Symmetries

/// The final dense layer with one output per class: z = W x / sqrt(fan-in) + b on the vector.
///
/// Its kernel recursion is the dense layer's, S = b^2 + W^2 K and T = S + W^2 T' (the output
/// width does not enter the kernel); it must be the last layer. A final `dense` layer is a
/// readout too.
struct Readout: LayerKind {
  /// The weight standard deviation W.
  var weightStd: Double
  /// The bias standard deviation b.
  var biasStd: Double

  // MARK: - Syntax

  static let names = ["readout"]
  static let syntax = [
    "readout(w=W, b=B)             the final dense layer (a final dense is the readout too)"
  ]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Readout
  {
    Readout(
      weightStd: try arguments.number("w") ?? arguments.defaults.weightStd,
      biasStd: try arguments.number("b") ?? arguments.defaults.biasStd)
  }

  var description: String { "readout(w=\(weightStd),b=\(biasStd))" }
  var shortName: String { "readout" }

  // MARK: - Shape

  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  {
    try AffineLayer.check(weightStd, "W_std", position: position)
    try AffineLayer.check(biasStd, "b_std", position: position)
    guard stage == .vector else { throw .missingReduction }
    return .vector
  }

  var isReadout: Bool { true }
  var hasWeights: Bool { true }

  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid { .vector }

  // MARK: - Kernel, finite, engine

  func kernelStep(on grid: Grid) -> any KernelStep {
    AffineKernelStep(
      weightVariance: weightStd * weightStd, biasVariance: biasStd * biasStd, shared: true,
      table: .vector)
  }

  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep {
    AffineOperation.step(
      table: .vector, perLocation: false, inputCells: 1,
      inputChannels: input.cells * input.channels,
      outputChannels: channels, weightStd: weightStd, biasStd: biasStd, offset: offset)
  }

  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    guard isLast else { return EngineUnsupported("a readout before the last layer") }
    return program.setReadout(weightStd: weightStd, biasStd: biasStd)
  }

  // MARK: - Symmetry

  /// The dense layer's rule (`AffineLayer.denseRule`).
  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    AffineLayer.denseRule(state, question: question, name: shortName, position: position)
  }
}
