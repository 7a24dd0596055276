/// Any `KernelFunction` as a subject (a Monte Carlo kernel, a group-averaged kernel, your own
/// closure): measured like an architecture, but with no layers there is no prediction and no
/// command line.
public struct KernelSubject<Kernel: KernelFunction>: InvarianceSubject {
  public let subjectName: String
  /// The kernel measured.
  public let kernel: Kernel

  /// The kernel `kernel`, called `name` in messages.
  public init(_ name: String, _ kernel: Kernel) {
    subjectName = name
    self.kernel = kernel
  }

  public func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]
  {
    try kernelReadings(kernel, under: element, on: images)
  }

  public func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    nil
  }

  public func reproduceCommand(action: String, images: ProbeImages) -> String? { nil }
}
