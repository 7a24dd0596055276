import CheckerSupport
import Learners
import Symmetries
import Testing

// MARK: - Tolerances

/// Central differences with step h err by O(h^2 |L'''|) (about 1e-10 for these O(1) losses at
/// h = 1e-5) plus round-off O(ulp * |L| / h) ~ 1e-11; a wrong index or a missing scale factor
/// changes the directional derivative by O(1). 1e-6 relative sits between the two.
private let finiteDifferenceTolerance = 1e-6

/// The step of the central difference.
private let finiteDifferenceStep = 1e-5

// MARK: - Cases

/// A network in which the layer under test sits after another parameterised layer, so both its
/// parameter gradient and its input gradient (through the earlier layer's weights) are checked.
struct GradientCase: Sendable, CustomTestStringConvertible {
  let layer: String
  let layers: String
  var testDescription: String { layer }

  static let all: [GradientCase] =
    Padding.allCases.flatMap { padding in
      // Two valid 3 x 3 layers would leave no pixel of a 4 x 4 image.
      let second = padding == .valid ? 2 : 3
      return [
        GradientCase(
          layer: "conv \(padding)",
          layers: "conv(3,\(padding)) erf conv(\(second),\(padding)) relu flatten readout"),
        GradientCase(
          layer: "local \(padding)",
          layers: "local(3,\(padding)) erf local(\(second),\(padding)) relu flatten readout"),
      ]
    } + [
      GradientCase(layer: "dense, relu", layers: "flatten dense relu dense relu readout"),
      GradientCase(layer: "erf", layers: "flatten dense erf readout"),
      GradientCase(layer: "flatten", layers: "conv(3) relu flatten readout"),
      GradientCase(layer: "global average pooling", layers: "conv(3) relu gap dense erf readout"),
      GradientCase(layer: "even filter", layers: "conv(2) relu local(2,same) relu gap readout"),
      GradientCase(
        layer: "abrelu", layers: "conv(3) abrelu(-0.3,1) conv(3) abrelu(0.5,2) flatten readout"),
      GradientCase(
        layer: "leakyrelu", layers: "flatten dense leakyrelu(0.1) dense leakyrelu(0.2) readout"),
      GradientCase(layer: "abs", layers: "conv(3) abs gap dense abs readout"),
      GradientCase(layer: "gelu", layers: "conv(3) gelu conv(3) gelu flatten readout"),
      GradientCase(layer: "sign", layers: "flatten dense erf dense sign readout"),
      GradientCase(layer: "sin", layers: "conv(3) sin flatten dense sin(a=0.5,b=2,c=0.3) readout"),
      GradientCase(layer: "rbf", layers: "flatten dense rbf(0.5) dense rbf(2) readout"),
      GradientCase(layer: "identity", layers: "conv(3) identity conv(3) relu identity gap readout"),
      GradientCase(
        layer: "layernorm",
        layers: "conv(3) layernorm relu conv(3) layernorm(all) erf flatten readout"),
      GradientCase(
        layer: "layernorm on a vector",
        layers: "flatten dense layernorm relu dense layernorm(all) readout"),
      GradientCase(layer: "residual", layers: "conv(3) residual(relu conv(3)) relu gap readout"),
      GradientCase(
        layer: "residual at the input",
        layers: "residual(conv(3) relu conv(3)) relu flatten readout"),
      GradientCase(
        layer: "nested and repeated residuals",
        layers:
          "conv(3) residual(erf conv(3) residual(relu conv(3,same) layernorm)) residual(relu conv(1)) relu flatten readout"
      ),
      GradientCase(
        layer: "residual on a vector", layers: "flatten dense residual(relu dense) relu readout"),
      GradientCase(layer: "attention", layers: "conv(1) attention(heads=2) relu gap readout"),
      GradientCase(
        layer: "attention in a residual block",
        layers: "conv(3) residual(erf attention) relu flatten readout"),
    ]
    + Padding.allCases.flatMap { padding in
      [
        GradientCase(
          layer: "avgpool \(padding)",
          layers: "conv(3) erf avgpool(3,\(padding),stride=2) conv(1) relu flatten readout"),
        GradientCase(
          layer: "sumpool \(padding), stride 1",
          layers: "conv(3) erf sumpool(3,\(padding),stride=1) relu gap readout"),
        GradientCase(
          layer: "conv stride 2 \(padding)",
          layers: "conv(3) erf conv(3,\(padding),stride=2) relu flatten readout"),
        GradientCase(
          layer: "local stride 2 \(padding)",
          layers: "local(3) erf local(3,\(padding),stride=2) relu flatten readout"),
      ]
    }
}

// MARK: - Claims

@Suite("Finite networks: backward passes")
struct FiniteGradientTests {
  @Test(
    "Each layer's backward pass matches central finite differences in a seeded random direction, in both parameterisations",
    arguments: GradientCase.all, Parameterisation.allCases)
  func backwardMatchesFiniteDifferences(
    _ gradientCase: GradientCase, _ parameterisation: Parameterisation
  ) throws {
    let imageShape = shape(4, 4, 2)
    let images = randomBatch(imageShape, count: 3, seed: 5)
    var generator = SeededGenerator(seed: 9)
    let targets = try Matrix(rows: 3, columns: 2, storage: generator.gaussians(6))
    let architecture = try Architecture(parsing: gradientCase.layers)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 3, outputs: 2, seed: 17,
      parameterisation: parameterisation)
    let direction = try generator.gaussians(network.parameterCount)
    let (_, gradient) = try network.lossAndGradient(on: images, targets: targets, threads: 1)
    let analytic = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
    func loss(_ sign: Double) throws -> Double {
      let moved = zip(network.parameters, direction).map { $0 + sign * finiteDifferenceStep * $1 }
      return try network.replacingParameters(moved).loss(on: images, targets: targets, threads: 1)
    }
    let numeric = (try loss(1) - loss(-1)) / (2 * finiteDifferenceStep)
    let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric))
    #expect(error < finiteDifferenceTolerance, "directional derivative \(analytic) vs \(numeric)")
  }
}
