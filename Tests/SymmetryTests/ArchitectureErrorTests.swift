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
    BadList(text: "conv(3) softmax flatten dense", error: .unknownLayer(name: "softmax", known: known)),
    BadList(text: "conv(3 relu flatten dense", error: .malformedArguments(layer: "conv(3 relu flatten dense", reason: "missing ')'")),
    BadList(text: "conv(x=3) relu flatten dense", error: .malformedArguments(layer: "conv(x=3)", reason: "unexpected key 'x'")),
    BadList(text: "conv(3,sideways) flatten dense", error: .malformedArguments(layer: "conv(3,sideways)", reason: "unexpected argument 'sideways'")),
    BadList(text: "flatten dense(w=big)", error: .malformedArguments(layer: "dense(w=big)", reason: "w=big is not a number")),
    BadList(text: "relu(2) flatten dense", error: .malformedArguments(layer: "relu(2)", reason: "unexpected argument '2'")),
    BadList(text: "conv(3,3) flatten dense", error: .malformedArguments(layer: "conv(3,3)", reason: "the filter size is given twice")),
    BadList(text: "conv(padding=odd) flatten dense", error: .malformedArguments(layer: "conv(padding=odd)", reason: "unknown padding 'odd'; use circular, same, valid")),
    BadList(text: "conv(w=-1) relu flatten dense", error: .invalidStandardDeviation(layer: 1, parameter: "W_std", value: -1)),
    BadList(text: "flatten dense(b=-0.1)", error: .invalidStandardDeviation(layer: 2, parameter: "b_std", value: -0.1)),
    BadList(text: "flatten dense(w=nan)", error: .invalidStandardDeviation(layer: 2, parameter: "W_std", value: .nan)),
    BadList(text: "conv(0) flatten dense", error: .invalidFilterSize(layer: 1, size: 0)),
    BadList(text: "conv(3) relu dense", error: .denseBeforeReduction(layer: 3)),
    BadList(text: "conv(3) relu readout", error: .missingReduction),
    BadList(text: "conv(3) flatten relu gap dense", error: .repeatedReduction(layer: 4)),
    BadList(text: "conv(3) flatten conv(3) dense", error: .spatialLayerAfterReduction(layer: 3, description: "conv(3,circular,w=1.4142135623730951,b=0.1)")),
    BadList(text: "conv(3) relu flatten dense relu", error: .missingReadout(last: "relu")),
    BadList(text: "conv(3) relu flatten readout dense", error: .layerAfterReadout(layer: 5, description: "dense(w=1.4142135623730951,b=0.1)")),
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

  @Test("Error messages quote the offending text and list the known names")
  func messagesAreSpecific() {
    let unknown = ArchitectureError.unknownLayer(name: "softmax", known: Self.known).description
    #expect(unknown.contains("softmax") && Self.known.allSatisfy { unknown.contains($0) })
    let malformed = ArchitectureError.malformedArguments(layer: "conv(x=3)", reason: "unexpected key 'x'")
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
    #expect(throws: ArchitectureError.unknownArchitecture(name: "MLP", known: ["FCN", "LCN", "CNN-VEC", "CNN-GAP"])) {
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
    let image = try ImageBatch(count: 1, height: 4, width: 5, channels: 1, values: Array(repeating: 1, count: 20))
    #expect(throws: KernelError.filterLargerThanImage(layer: 1, filterSize: 5, height: 4, width: 5)) {
      try Architecture(parsing: "conv(5,valid) flatten dense").kernels(image, nil)
    }
    #expect(throws: KernelError.filterLargerThanImage(layer: 3, filterSize: 3, height: 2, width: 3)) {
      try Architecture(parsing: "conv(3,valid) relu conv(3,valid) flatten dense").kernels(image, nil)
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
      guard case .nonFiniteEntry(row: 0, column: 0, _)? = error as? KernelError else { return false }
      return true
    }
  }

  @Test("A block outside the Gram matrix is rejected")
  func blockOutOfRange() throws {
    let batch = try ImageBatch(count: 2, height: 1, width: 1, channels: 1, values: [1, 2])
    let architecture = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    #expect(throws: KernelError.blockOutOfRange(rows: 1..<3, columns: 0..<1, rowCount: 2, columnCount: 2)) {
      try architecture.kernels(batch, nil, rows: 1..<3, columns: 0..<1)
    }
  }
}
