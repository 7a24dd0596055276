import Testing

/// An architecture written in the tool's `--layers` syntax, as a test argument:
/// `@Test(arguments: ["conv(3) relu gap readout", "conv(1) relu flatten readout"] as [LayerSpec])`.
///
/// The text is parsed when the test case runs, not when the arguments are built, so a spec that
/// does not parse fails its own case with `ArchitectureError` instead of stopping the suite.
public struct LayerSpec: Sendable, Hashable, ExpressibleByStringLiteral,
  CustomTestStringConvertible,
  CustomStringConvertible
{
  /// The layer list, e.g. "conv(3) relu conv(3) relu gap readout".
  public let text: String

  /// The architecture written as a layer list in the `--layers` syntax.
  public init(_ text: String) { self.text = text }
  public init(stringLiteral text: String) { self.text = text }

  /// The architecture, or `ArchitectureError` saying what does not parse.
  public func architecture() throws -> Architecture { try Architecture(parsing: text) }

  /// The named architectures (FCN, LCN, CNN-VEC, CNN-GAP) of depth 2 with 3 x 3 circular filters,
  /// as layer lists: the rows of the main invariance table.
  /// - Throws: `ArchitectureError.invalidDepth` for a depth below 1.
  public static func named(activation: Activation = .relu, depth: Int = 2) throws(ArchitectureError)
    -> [LayerSpec]
  {
    var specs: [LayerSpec] = []
    for name in NamedArchitecture.allCases {
      specs.append(
        LayerSpec(try name.architecture(depth: depth, activation: activation).description))
    }
    return specs
  }

  public var description: String { text }
  public var testDescription: String { text }
}

extension LayerSpec: InvarianceSubject {
  public var subjectName: String { text }

  public func measureInvariance(under element: any GroupAction, on images: ProbeImages) throws
    -> [InvarianceReading]
  {
    try architecture().measureInvariance(under: element, on: images)
  }

  public func predictedVerdicts(under element: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    try architecture().predictedInvariance(under: element, on: shape, regime: .kernel)
  }

  public func reproduceCommand(action: String, images: ProbeImages) -> String? {
    (try? architecture())?.reproduceCommand(action: action, images: images)
  }
}
