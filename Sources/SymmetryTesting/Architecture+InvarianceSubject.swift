/// An architecture is a subject through its infinite-width NNGP and NTK: each is measured by
/// `KernelInvarianceProbe` and read with `VerdictThresholds.kernel`, and the layers predict
/// both verdicts (`Architecture.predictedInvariance`).
extension Architecture: InvarianceSubject {
  public var subjectName: String { compactSpec }

  public func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]
  {
    try kernelReadings(self, under: element, on: images)
  }

  public func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    try predictedInvariance(under: element, on: shape, regime: .kernel)
  }

  public func reproduceCommand(action: String, images: ProbeImages) -> String? {
    "swift run -c release symmetry-probe table --layers \"\(compactSpec)\" --actions \(action) "
      + images.toolOptions
  }
}

/// The NNGP and NTK readings of `kernel` under `element` on `images`.
func kernelReadings(
  _ kernel: some KernelFunction, under element: any GroupAction, on images: ProbeImages
)
  throws -> [InvarianceReading]
{
  let probe = try KernelInvarianceProbe(train: images.train, test: images.test)
  let measured = try probe.measure(kernel, under: element)
  return KernelKind.allCases.map { kind in
    InvarianceReading(
      quantity: kind.rawValue.uppercased(), algorithmicDeviation: measured.algorithmic[kind],
      functionalDeviation: measured.functional[kind], thresholds: .kernel)
  }
}
