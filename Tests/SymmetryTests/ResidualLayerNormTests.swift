import CheckerSupport
import Learners
import Symmetries
import Testing

// MARK: - Tolerances

/// Two recursions that agree mathematically and differ only in summation order or by the
/// normaliser's eps = 1e-12 relative to O(1) variances agree to about 1e-12; a wrong branch or
/// scale moves entries by O(1).
private let identityTolerance = 1e-10

// MARK: - Claims

@Suite("Residual blocks and layer normalisation")
struct ResidualLayerNormTests {
  private let images = randomBatch(shape(4, 4, 2), count: 3, seed: 12)

  @Test(
    "A residual block whose last layer has zero weights and bias adds nothing: its kernels are those of the stack without it"
  )
  func zeroBlockIsTheIdentity() throws {
    let with = try Architecture(parsing: "conv(3) residual(relu conv(1,w=0,b=0)) relu gap readout")
    let without = try Architecture(parsing: "conv(3) relu gap readout")
    let a = try with.kernels(images, nil)
    let b = try without.kernels(images, nil)
    #expect(relativeDeviation(a.nngp.storage, b.nngp.storage) <= identityTolerance)
    #expect(relativeDeviation(a.ntk.storage, b.ntk.storage) <= identityTolerance)
  }

  @Test(
    "A residual block of a linear layer adds the branches' kernels: residual(conv(1,w=W,b=B)) at the input equals S0 plus the conv's kernel"
  )
  func linearBlockAddsKernels() throws {
    // x + conv(1)(x): S = S0 + (B^2 + W^2 S0), T = 0 + S_conv; then flatten and readout(w=1, b=0)
    // read the mean over pixels. The same as a conv(1) with W^2 + 1 and B^2, for the NNGP.
    let residual = try Architecture(
      parsing: "residual(conv(1,w=0.7,b=0.3)) flatten readout(w=1,b=0)")
    let plain = try Architecture(
      parsing: "conv(1,w=\((1 + 0.49).squareRoot()),b=0.3) flatten readout(w=1,b=0)")
    let a = try residual.kernels(images, nil)
    let b = try plain.kernels(images, nil)
    #expect(relativeDeviation(a.nngp.storage, b.nngp.storage) <= identityTolerance)
  }

  @Test(
    "Layer normalisation removes the scale of the layer before it: scaling its weights and bias by 3 leaves the kernels unchanged",
    arguments: ["layernorm", "layernorm(all)"])
  func normalisationRemovesScale(_ layer: String) throws {
    let small = try Architecture(
      parsing: "conv(3,w=0.5,b=0.1) \(layer) relu conv(3) \(layer) erf gap readout")
    let large = try Architecture(
      parsing: "conv(3,w=1.5,b=0.3) \(layer) relu conv(3) \(layer) erf gap readout")
    let a = try small.kernels(images, nil)
    let b = try large.kernels(images, nil)
    #expect(relativeDeviation(a.nngp.storage, b.nngp.storage) <= identityTolerance)
    #expect(relativeDeviation(a.ntk.storage, b.ntk.storage) <= identityTolerance)
  }

  @Test(
    "Nested and repeated residual blocks print in the layer-list syntax and parse back to themselves"
  )
  func nestedRoundTrip() throws {
    for text in [
      "conv(3) residual(relu conv(3)) residual(relu conv(3) residual(erf conv(1) layernorm)) relu gap readout",
      "conv(1) residual(conv(3,same) relu conv(3,same)) layernorm(all) relu flatten dense residual(relu dense) readout",
    ] {
      let architecture = try Architecture(parsing: text)
      #expect(try Architecture(parsing: architecture.description) == architecture, "\(text)")
      _ = try architecture.kernels(images, nil)
    }
  }

  /// A layer list and the error it must raise.
  struct BadList: Sendable, CustomTestStringConvertible {
    let text: String
    let error: ArchitectureError
    var testDescription: String { "\"\(text)\"" }
  }

  static let badLists: [BadList] = [
    BadList(
      text: "conv(3) relu layernorm gap readout",
      error: .uncentredNormalisation(layer: 3, description: "layernorm")),
    BadList(
      text: "layernorm(all) conv(3) gap readout",
      error: .uncentredNormalisation(layer: 1, description: "layernorm(all)")),
    BadList(
      text: "conv(3) layernorm(channels) gap readout",
      error: .malformedArguments(
        layer: "layernorm(channels)", position: LayerPosition(layer: 2, offset: 8),
        reason: "unexpected argument 'channels'")),
    BadList(
      text: "conv(3) residual() relu gap readout",
      error: .invalidResidualBlock(
        layer: 2, reason: "its block is empty; write e.g. residual(relu conv(3))")),
    BadList(
      text: "conv(3) residual(relu gap) dense readout",
      error: .invalidResidualBlock(
        layer: 2,
        reason:
          "its block turns the pixel grid into a vector (flatten or gap), so x + block(x) has no shape; keep reductions outside the block"
      )),
    BadList(
      text: "conv(3) residual(relu dense) gap readout",
      error: .invalidResidualBlock(
        layer: 2,
        reason:
          "in its block, layer 2 is dense but the features are still a pixel grid; insert 'flatten' or 'gap' before it, or use 'conv(1)' for a per-pixel dense layer"
      )),
    BadList(
      text: "conv(3) relu residual(layernorm conv(3)) gap readout",
      error: .invalidResidualBlock(
        layer: 3,
        reason:
          "in its block, layer 1 'layernorm' normalises features that are not centred (their mean over channels does not vanish, e.g. after relu or on the raw image), where its infinite-width kernel is not defined; put a conv, local or dense layer right before it"
      )),
    BadList(
      text: "conv(3) residual(relu softmax) gap readout",
      error: .unknownLayer(
        name: "softmax", position: LayerPosition(numbers: [2, 2], offset: 22),
        known: Architecture.knownLayerNames)),
    BadList(
      text: "conv(3) residual(relu conv(x=1)) gap readout",
      error: .malformedArguments(
        layer: "conv(x=1)", position: LayerPosition(numbers: [2, 2], offset: 22),
        reason: "unexpected key 'x'")),
    BadList(
      text: "conv(3) residual(relu conv(3) gap readout",
      error: .malformedArguments(
        layer: "residual(relu conv(3) gap readout", position: LayerPosition(layer: 2, offset: 8),
        reason: "missing ')': the '(' at character 17 is never closed")),
    BadList(
      text: "conv(3) relu gap attention readout",
      error: .spatialLayerAfterReduction(layer: 4, description: "attention(heads=1,b=0.1)")),
    BadList(
      text: "conv(3) attention(heads=0) gap readout",
      error: .malformedArguments(
        layer: "attention(heads=0)", position: LayerPosition(layer: 2, offset: 8),
        reason: "heads=0; use at least one head")),
    BadList(
      text: "conv(3) attention(2) gap readout",
      error: .malformedArguments(
        layer: "attention(2)", position: LayerPosition(layer: 2, offset: 8),
        reason: "unexpected argument '2'")),
    BadList(
      text: "conv(3) attention(heads=x) gap readout",
      error: .malformedArguments(
        layer: "attention(heads=x)", position: LayerPosition(layer: 2, offset: 8),
        reason: "number of heads 'x' is not an integer")),
    BadList(
      text: "conv(3) residual(relu conv(3))) gap readout",
      error: .malformedArguments(
        layer: "residual(relu conv(3)))", position: LayerPosition(layer: 2, offset: 8),
        reason: "the ')' at character 31 has no matching '('; delete it or add a '(' before it")),
  ]

  @Test(
    "Each malformed residual block or normalisation raises its typed error, naming the layer and its position",
    arguments: badLists)
  func badListRaises(_ bad: BadList) {
    #expect(throws: bad.error) { try Architecture(parsing: bad.text) }
  }

  @Test(
    "A residual block ending in a layer without fresh weights is refused, since its branches are correlated",
    arguments: [
      "conv(3) residual(relu) relu gap readout", "conv(3) residual(conv(3) relu) gap readout",
      "conv(3) residual(conv(3) gelu) gap readout",
      "conv(3) residual(conv(3) sin(c=1)) gap readout",
    ])
  func uncentredBlockRefused(_ text: String) {
    #expect {
      try Architecture(parsing: text)
    } throws: { error in
      guard case .invalidResidualBlock(let layer, let reason)? = error as? ArchitectureError else {
        return false
      }
      return layer == 2 && reason.contains("not centred given the block's input")
    }
  }

  @Test(
    "A block ending in conv, or in conv followed by odd or normalising layers, is accepted",
    arguments: [
      "conv(3) residual(relu conv(3)) relu gap readout",
      "conv(3) residual(relu conv(3) erf) relu gap readout",
      "conv(3) residual(relu conv(3) layernorm identity sign) relu gap readout",
      "conv(3) residual(relu conv(3) residual(relu conv(1))) relu gap readout",
    ])
  func centredBlockAccepted(_ text: String) throws {
    _ = try Architecture(parsing: text)
  }

  @Test(
    "A block that changes the grid is a typed error for the kernels and the finite network, naming the residual layer"
  )
  func shapeChangeIsTyped() throws {
    let architecture = try Architecture(
      parsing: "conv(3) residual(relu conv(3,valid)) relu gap readout")
    let expected = KernelError.residualChangesShape(
      layer: 2, height: 4, width: 4, blockHeight: 2, blockWidth: 2)
    #expect(throws: expected) { try architecture.kernels(images, nil) }
    #expect(throws: expected) { try architecture.referenceKernels(images, nil) }
    #expect(throws: FiniteError.layerDoesNotFit(expected)) {
      try FiniteNetwork(
        architecture: architecture, inputShape: images.shape, width: 3, outputs: 1, seed: 1)
    }
    #expect(expected.description.contains("layer 2 (residual)"))
  }
}
