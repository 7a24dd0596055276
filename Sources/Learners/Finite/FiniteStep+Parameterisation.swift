/// A run of parameters that one factor maps from NTK to standard parameterisation.
struct ParameterScaling: Sendable {
  /// Where the parameters sit in the network's vector.
  let range: Range<Int>
  /// sigma_w / sqrt(fan-in) for weights, sigma_b for biases.
  let factor: Double
}

extension FiniteStep {
  /// The step in standard parameterisation (`Parameterisation`), and the factors that turn its
  /// N(0, 1) parameters into standard ones.
  ///
  /// An affine step computes z = s_w W x + s_b b with s_w = sigma_w / sqrt(fan-in) and
  /// s_b = sigma_b; the standard step is the same pass with s_w = s_b = 1 on parameters
  /// W' = s_w W and b' = s_b b, so its forward and backward passes (which scale by s_w and s_b)
  /// need no other change. Steps without parameters are returned as they are.
  func standardised() -> (step: FiniteStep, scalings: [ParameterScaling]) {
    guard let affine = operation as? AffineOperation else { return (self, []) }
    let end = affine.weightOffset + parameterCount
    let unit = AffineOperation(
      table: affine.table, perLocation: affine.perLocation, weightScale: 1, biasScale: 1,
      weightOffset: affine.weightOffset, biasOffset: affine.biasOffset,
      isIdentityGather: affine.isIdentityGather)
    let step = FiniteStep(
      operation: unit, inputCells: inputCells, inputChannels: inputChannels,
      outputCells: outputCells, outputChannels: outputChannels, outputHeight: outputHeight,
      outputWidth: outputWidth)
    return (
      step,
      [
        ParameterScaling(
          range: affine.weightOffset..<affine.biasOffset, factor: affine.weightScale),
        ParameterScaling(range: affine.biasOffset..<end, factor: affine.biasScale),
      ]
    )
  }
}
