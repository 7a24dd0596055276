import Learners
import Symmetries
import Testing

@Suite("Architecture and kernel errors")
struct ArchitectureErrorTests {
  /// A layer list and the error it must raise.
  struct BadList: Sendable, CustomTestStringConvertible {
    let text: String
    let error: ArchitectureError
    var testDescription: String { "\"\(text)\"" }
  }

  static let known = Architecture.knownLayerNames

  static let badLists: [BadList] = [
    BadList(text: "", error: .emptyArchitecture),
    BadList(
      text: "conv(3) softmax flatten dense",
      error: .unknownLayer(
        name: "softmax", position: LayerPosition(layer: 2, offset: 8), known: known)),
    BadList(
      text: "conv(3 relu flatten dense",
      error: .malformedArguments(
        layer: "conv(3 relu flatten dense", position: LayerPosition(layer: 1, offset: 0),
        reason: "missing ')': the '(' at character 5 is never closed")),
    BadList(
      text: "conv(x=3) relu flatten dense",
      error: .malformedArguments(
        layer: "conv(x=3)", position: LayerPosition(layer: 1, offset: 0),
        reason: "unexpected key 'x'")),
    BadList(
      text: "conv(3,sideways) flatten dense",
      error: .malformedArguments(
        layer: "conv(3,sideways)", position: LayerPosition(layer: 1, offset: 0),
        reason: "unexpected argument 'sideways'")),
    BadList(
      text: "flatten dense(w=big)",
      error: .malformedArguments(
        layer: "dense(w=big)", position: LayerPosition(layer: 2, offset: 8),
        reason: "w=big is not a number")),
    BadList(
      text: "relu(2) flatten dense",
      error: .malformedArguments(
        layer: "relu(2)", position: LayerPosition(layer: 1, offset: 0),
        reason: "unexpected argument '2'")),
    BadList(
      text: "conv(3,3) flatten dense",
      error: .malformedArguments(
        layer: "conv(3,3)", position: LayerPosition(layer: 1, offset: 0),
        reason: "the filter size is given twice")),
    BadList(
      text: "conv(padding=odd) flatten dense",
      error: .malformedArguments(
        layer: "conv(padding=odd)", position: LayerPosition(layer: 1, offset: 0),
        reason: "unknown padding 'odd'; use circular, same, valid")),
    BadList(
      text: "conv(w=-1) relu flatten dense",
      error: .invalidStandardDeviation(layer: 1, parameter: "W_std", value: -1)),
    BadList(
      text: "flatten dense(b=-0.1)",
      error: .invalidStandardDeviation(layer: 2, parameter: "b_std", value: -0.1)),
    BadList(
      text: "flatten dense(w=nan)",
      error: .invalidStandardDeviation(layer: 2, parameter: "W_std", value: .nan)),
    BadList(text: "conv(0) flatten dense", error: .invalidFilterSize(layer: 1, size: 0)),
    BadList(text: "conv(3) relu dense", error: .denseBeforeReduction(layer: 3)),
    BadList(text: "conv(3) relu readout", error: .missingReduction),
    BadList(text: "conv(3) flatten relu gap dense", error: .repeatedReduction(layer: 4)),
    BadList(
      text: "conv(3) flatten conv(3) dense",
      error: .spatialLayerAfterReduction(
        layer: 3, description: "conv(3,circular,w=1.4142135623730951,b=0.1)")),
    BadList(text: "conv(3) relu flatten dense relu", error: .missingReadout(last: "relu")),
    BadList(
      text: "conv(3) relu flatten readout dense",
      error: .layerAfterReadout(layer: 5, description: "dense(w=1.4142135623730951,b=0.1)")),
  ]

  @Test("Each malformed layer list raises its typed error", arguments: badLists)
  func badListRaises(_ bad: BadList) {
    #expect {
      _ = try Architecture(parsing: bad.text)
    } throws: { error in
      guard let error = error as? ArchitectureError else { return false }
      // NaN is not equal to itself; compare that case by its description.
      return error == bad.error || error.description == bad.error.description
    }
  }

  /// A bad layer list and what its message must quote: the layer and its position.
  struct Located: Sendable, CustomTestStringConvertible {
    let text: String
    let fragments: [String]
    var testDescription: String { "\"\(text)\"" }
  }

  /// Every kind of bad layer list issue 25 names, on 4 x 4 images: geometry errors surface when
  /// the kernels meet the images, the others when the list is parsed.
  static let located: [Located] = [
    Located(
      text: "conv(3) avgpool(9) gap readout",
      fragments: ["layer 2 'avgpool(9,valid,stride=9)'", "9 x 9 window over a 4 x 4 image"]),
    Located(
      text: "conv(3,stride=9) gap readout",
      fragments: ["layer 1 'conv(3,circular,stride=9)'", "stride of 9 over a 4 x 4 image"]),
    Located(
      text: "conv(3) avgpool(2,stride=0) gap readout",
      fragments: ["layer 2 'avgpool(2,valid,stride=0)'", "stride 0"]),
    Located(
      text: "conv(3) flatten attention readout",
      fragments: ["layer 3 'attention(heads=1,b=0.1)'", "already flattened"]),
    Located(
      text: "conv(3) flatten avgpool(2) readout",
      fragments: ["layer 3 'avgpool(2,valid,stride=2)'", "already flattened"]),
    Located(
      text: "conv(3) residual(relu conv(3,valid)) gap readout",
      fragments: ["layer 2 (residual)", "2 x 2 output to its 4 x 4 input"]),
    Located(
      text: "conv(3) avgpool(2,size=3) gap readout",
      fragments: ["'avgpool(2,size=3)' (layer 2 at character 9)", "unexpected key 'size'"]),
    Located(
      text: "conv(3) residual(relu conv(x=1)) gap readout",
      fragments: [
        "'conv(x=1)' (layer 2 of the block of layer 2 at character 23)", "unexpected key 'x'",
      ]),
    Located(
      text: "conv(3) residual(relu conv(3) gap readout",
      fragments: ["(layer 2 at character 9)", "the '(' at character 17 is never closed"]),
    Located(
      text: "conv(3)) gap readout",
      fragments: [
        "'conv(3))' (layer 1 at character 1)", "the ')' at character 8 has no matching '('",
      ]),
    Located(
      text: "conv(3),relu, softmax gap readout", fragments: ["'softmax' (layer 3 at character 15)"]),
  ]

  @Test(
    "Each bad layer list's message names the layer and its position in the list", arguments: located
  )
  func messagesLocateTheLayer(_ bad: Located) throws {
    let images = try ImageBatch(
      count: 2, height: 4, width: 4, channels: 2, values: (0..<64).map { Double($0 % 7) - 3 })
    let message: String
    do {
      _ = try Architecture(parsing: bad.text).kernels(images, nil)
      Issue.record("\(bad.text) was accepted")
      return
    } catch {
      message = "\(error)"
    }
    for fragment in bad.fragments {
      #expect(message.contains(fragment), "\(message)")
    }
  }

  @Test("Error messages quote the offending text and list the known names")
  func messagesAreSpecific() {
    let unknown = ArchitectureError.unknownLayer(
      name: "softmax", position: LayerPosition(layer: 2, offset: 8), known: Self.known
    ).description
    #expect(unknown.contains("softmax") && Self.known.allSatisfy { unknown.contains($0) })
    let malformed = ArchitectureError.malformedArguments(
      layer: "conv(x=3)", position: LayerPosition(layer: 1, offset: 0), reason: "unexpected key 'x'"
    )
    #expect(malformed.description.contains("conv(x=3)") && malformed.description.contains("'x'"))
    #expect(ArchitectureError.missingReduction.description.contains("flatten"))
  }

  @Test("A depth below 1 and unknown names are typed errors")
  func namedArchitectureErrors() {
    #expect(throws: ArchitectureError.invalidDepth(0)) {
      try NamedArchitecture.fcn.architecture(depth: 0, activation: .relu)
    }
    #expect(throws: ArchitectureError.invalidDepth(-2)) {
      try NamedArchitecture.cnnGap.architecture(depth: -2, activation: .erf)
    }
    #expect(
      throws: ArchitectureError.unknownArchitecture(
        name: "MLP", known: ["FCN", "LCN", "CNN-VEC", "CNN-GAP"])
    ) {
      try NamedArchitecture(named: "MLP")
    }
    #expect(throws: ArchitectureError.unknownActivation(name: "tanh", known: ["relu", "erf"])) {
      try Activation(named: "tanh")
    }
  }

  @Test("Batches of different image shapes are rejected")
  func shapeMismatch() throws {
    let a = try ImageBatch(count: 1, height: 2, width: 2, channels: 1, values: [1, 2, 3, 4])
    let b = try ImageBatch(count: 1, height: 4, width: 1, channels: 1, values: [1, 2, 3, 4])
    let architecture = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    #expect(throws: KernelError.shapeMismatch(first: a.shape, second: b.shape)) {
      try architecture.kernels(a, b)
    }
  }

  @Test("A valid filter larger than the image is rejected, also after earlier layers shrank it")
  func filterLargerThanImage() throws {
    let image = try ImageBatch(
      count: 1, height: 4, width: 5, channels: 1, values: Array(repeating: 1, count: 20))
    #expect(throws: KernelError.filterLargerThanImage(layer: 1, filterSize: 5, height: 4, width: 5))
    {
      try Architecture(parsing: "conv(5,valid) flatten dense").kernels(image, nil)
    }
    #expect(throws: KernelError.filterLargerThanImage(layer: 3, filterSize: 3, height: 2, width: 3))
    {
      try Architecture(parsing: "conv(3,valid) relu conv(3,valid) flatten dense").kernels(
        image, nil)
    }
    // The same filter with same or circular padding is fine.
    _ = try Architecture(parsing: "conv(5,same) flatten dense").kernels(image, nil)
  }

  @Test("Non-finite inputs never reach a kernel, and an overflowing kernel is a typed error")
  func nonFinite() throws {
    // ImageBatch rejects NaN and infinities, so a kernel only ever sees finite pixels.
    #expect(throws: SymmetryError.self) {
      try ImageBatch(count: 1, height: 1, width: 2, channels: 1, values: [.nan, 1])
    }
    let huge = try ImageBatch(count: 1, height: 1, width: 2, channels: 1, values: [1e200, 1e200])
    #expect {
      try NamedArchitecture.fcn.architecture(depth: 1, activation: .erf).kernels(huge, nil)
    } throws: { error in
      guard case .nonFiniteEntry(row: 0, column: 0, _)? = error as? KernelError else {
        return false
      }
      return true
    }
  }

  @Test("A block outside the Gram matrix is rejected")
  func blockOutOfRange() throws {
    let batch = try ImageBatch(count: 2, height: 1, width: 1, channels: 1, values: [1, 2])
    let architecture = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    #expect(
      throws: KernelError.blockOutOfRange(rows: 1..<3, columns: 0..<1, rowCount: 2, columnCount: 2)
    ) {
      try architecture.kernels(batch, nil, rows: 1..<3, columns: 0..<1)
    }
  }
}
