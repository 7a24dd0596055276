import Foundation
import Learners
import Symmetries
import Testing

// MARK: - Tolerances

/// The trapezoid rule on a Gaussian-weighted analytic integrand converges geometrically in the
/// step: 601 x 601 nodes on [-10, 10]^2 (step 1/30) integrate these kernels to about 1e-13
/// relative; a wrong constant in a dual moves it by 1e-3 or more.
private let quadratureTolerance = 1e-10

// MARK: - Cases

/// An activation, the function it applies, and its derivative, as a test states them.
struct ActivationCase: Sendable, CustomTestStringConvertible {
  let layer: String
  let phi: @Sendable (Double) -> Double
  let derivative: @Sendable (Double) -> Double
  var testDescription: String { layer }

  /// The smooth activations, whose duals the trapezoid rule checks to round-off (the kinked
  /// ones, abrelu, leakyrelu, abs and sign, have the classical arc-cosine closed forms and are
  /// checked against neural-tangents in `LayerReferenceTests`).
  static let smooth: [ActivationCase] = [
    ActivationCase(
      layer: "gelu", phi: { $0 * normalCDF($0) },
      derivative: { normalCDF($0) + $0 * exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() }),
    ActivationCase(layer: "sin", phi: { sin($0) }, derivative: { cos($0) }),
    ActivationCase(
      layer: "sin(a=0.7,b=1.3,c=0.4)", phi: { 0.7 * sin(1.3 * $0 + 0.4) },
      derivative: { 0.7 * 1.3 * cos(1.3 * $0 + 0.4) }),
    ActivationCase(
      layer: "rbf(0.5)", phi: { 2.0.squareRoot() * sin($0 + Double.pi / 4) },
      derivative: { 2.0.squareRoot() * cos($0 + Double.pi / 4) }),
    ActivationCase(layer: "identity", phi: { $0 }, derivative: { _ in 1 }),
    ActivationCase(
      layer: "erf", phi: { erf($0) }, derivative: { 2 / Double.pi.squareRoot() * exp(-$0 * $0) }),
  ]
}

/// Phi(x), the standard normal distribution function, from the C library's erfc.
private func normalCDF(_ x: Double) -> Double { erfc(-x / 2.0.squareRoot()) / 2 }

/// E[f(U, V)] for a centred Gaussian pair with variances v1, v2 and covariance s, by the
/// trapezoid rule on U = sqrt(v1) z1, V = sqrt(v2) (rho z1 + sqrt(1 - rho^2) z2).
private func gaussianExpectation(
  _ v1: Double, _ v2: Double, _ s: Double, _ f: (Double, Double) -> Double
) -> Double {
  let nodes = 601
  let step = 20.0 / Double(nodes - 1)
  let rho = s / (v1 * v2).squareRoot()
  let complement = (1 - rho * rho).squareRoot()
  var sum = 0.0
  for i in 0..<nodes {
    let z1 = -10 + Double(i) * step
    let w1 = exp(-z1 * z1 / 2)
    var inner = 0.0
    for j in 0..<nodes {
      let z2 = -10 + Double(j) * step
      inner +=
        exp(-z2 * z2 / 2) * f(v1.squareRoot() * z1, v2.squareRoot() * (rho * z1 + complement * z2))
    }
    sum += w1 * inner
  }
  return sum * step * step / (2 * Double.pi)
}

// MARK: - Claims

@Suite("Activation layers")
struct ActivationLayerTests {
  @Test(
    "Each smooth activation's NNGP and NTK equal E[phi(u) phi(v)] and E[phi'(u) phi'(v)] by quadrature",
    arguments: ActivationCase.smooth)
  func dualMatchesQuadrature(_ activation: ActivationCase) throws {
    // flatten, dense(w=1, b=0): (u, v) has the covariance <x, x'> / d of the two images, and the
    // readout(w=1, b=0) then reads NNGP = K and NTK = K + Kdot <x, x'> / d.
    let architecture = try Architecture(
      parsing: "flatten dense(w=1,b=0) \(activation.layer) readout(w=1,b=0)")
    let images = try ImageBatch(
      count: 2, height: 1, width: 1, channels: 3, values: [0.9, -1.3, 0.4, 0.2, -1.1, 1.6])
    let kernels = try architecture.kernels(images, nil)
    let x = images.values
    let v1 = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) / 3
    let v2 = (x[3] * x[3] + x[4] * x[4] + x[5] * x[5]) / 3
    let s = (x[0] * x[3] + x[1] * x[4] + x[2] * x[5]) / 3
    let value = gaussianExpectation(v1, v2, s) { activation.phi($0) * activation.phi($1) }
    let slope = gaussianExpectation(v1, v2, s) {
      activation.derivative($0) * activation.derivative($1)
    }
    #expect(
      abs(kernels.nngp[0, 1] - value) <= quadratureTolerance * max(1, abs(value)),
      "NNGP \(kernels.nngp[0, 1]) vs \(value)")
    let ntk = value + slope * s
    #expect(
      abs(kernels.ntk[0, 1] - ntk) <= quadratureTolerance * max(1, abs(ntk)),
      "NTK \(kernels.ntk[0, 1]) vs \(ntk)")
    let own = gaussianExpectation(v1, v1, v1 * (1 - 1e-15)) {
      activation.phi($0) * activation.phi($1)
    }
    #expect(
      abs(kernels.nngp[0, 0] - own) <= quadratureTolerance * max(1, abs(own)),
      "variance \(kernels.nngp[0, 0]) vs \(own)")
  }

  @Test("Every new activation prints in the layer-list syntax and parses back to itself")
  func descriptionRoundTrips() throws {
    for layer in [
      "abrelu(-0.3,1)", "leakyrelu(0.1)", "abs", "gelu", "sign", "sin", "sin(a=2,b=0.5,c=1)",
      "rbf(1)",
      "rbf(gamma=0.25)", "identity", "ABS", "LeakyRelu(alpha=0.2)",
    ] {
      let architecture = try Architecture(parsing: "flatten dense \(layer) readout")
      #expect(try Architecture(parsing: architecture.description) == architecture, "\(layer)")
    }
  }

  @Test(
    "An orthogonal map of the flattened image lifts through identity before the first dense layer, and through no other activation, as the rules predict",
    arguments: [
      "flatten identity dense relu readout", "flatten relu dense readout",
      "flatten gelu dense readout", "flatten sign dense readout",
    ])
  func orthogonalMapMeetsAnActivation(_ layers: String) throws {
    let imageShape = try ImageShape(height: 2, width: 2, channels: 2)
    let architecture = try Architecture(parsing: layers)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: imageShape, width: 4, outputs: 2, seed: 3)
    let action = try OrthogonalFamily().element(for: imageShape, seed: 5)
    let transport = try network.transported(by: action)
    let prediction = try architecture.predictedInvariance(
      under: action, on: imageShape, regime: .gradientDescent)
    #expect(transport.lifts == layers.hasPrefix("flatten identity"))
    #expect(transport.lifts == prediction.algorithmic.invariant, "\(prediction.algorithmic)")
    if let transported = transport.network {
      let images = try ImageBatch(
        count: 2, height: 2, width: 2, channels: 2, values: (0..<16).map { sin(Double($0)) })
      let moved = try transported.predictions(images).storage
      let original = try network.predictions(action.apply(to: images)).storage
      #expect(relativeDeviation(moved, original) <= 1e-12)
    }
  }

  @Test(
    "The fast engine refuses each new layer kind by name, so its kernels run on the reference path, never by a silent fallback",
    arguments: [
      ("conv(3) abrelu(-0.3,1) gap readout", "abrelu(-0.3,1.0)"),
      ("conv(3) gelu gap readout", "gelu"),
      ("conv(3) sign flatten readout", "sign"), ("conv(3) sin flatten readout", "sin"),
      ("conv(3) rbf(1) gap readout", "rbf(1.0)"), ("conv(3) identity gap readout", "identity"),
      ("conv(3) layernorm relu gap readout", "layernorm"),
      ("conv(3) residual(relu conv(3)) relu gap readout", "residual(relu conv(3,circular))"),
      ("conv(1) attention relu gap readout", "attention"),
    ])
  func engineNamesTheLayer(_ layers: String, _ name: String) throws {
    let architecture = try Architecture(parsing: layers)
    guard case .failure(let unsupported) = architecture.engineSupport else {
      Issue.record("the engine accepted \(layers)")
      return
    }
    #expect(unsupported.reason == name)
    guard case .reference(let reason) = architecture.kernelPath else {
      Issue.record("\(layers) does not run on the reference path")
      return
    }
    #expect(reason.contains(name))
  }

  /// A layer list and the error it must raise.
  struct BadArguments: Sendable, CustomTestStringConvertible {
    let layer: String
    let reason: String
    var testDescription: String { layer }
  }

  static let badArguments: [BadArguments] = [
    BadArguments(layer: "abrelu", reason: "missing a; write e.g. abrelu(-0.3, 1)"),
    BadArguments(layer: "abrelu(1)", reason: "missing b; write e.g. abrelu(-0.3, 1)"),
    BadArguments(layer: "abrelu(1,2,3)", reason: "unexpected argument '3'"),
    BadArguments(layer: "abrelu(a=1,c=2)", reason: "missing b; write e.g. abrelu(-0.3, 1)"),
    BadArguments(layer: "leakyrelu", reason: "missing alpha; write e.g. leakyrelu(0.1)"),
    BadArguments(layer: "leakyrelu(big)", reason: "'big' is not a number (alpha)"),
    BadArguments(layer: "leakyrelu(inf)", reason: "alpha = inf is not finite"),
    BadArguments(layer: "abs(1)", reason: "unexpected argument '1'"),
    BadArguments(layer: "gelu(approximate=true)", reason: "unexpected key 'approximate'"),
    BadArguments(layer: "sign(x=1)", reason: "unexpected key 'x'"),
    BadArguments(layer: "sin(2)", reason: "unexpected argument '2'"),
    BadArguments(layer: "sin(a=nan)", reason: "a=nan is not finite"),
    BadArguments(layer: "sin(d=1)", reason: "unexpected key 'd'"),
    BadArguments(layer: "rbf", reason: "missing gamma; write e.g. rbf(1)"),
    BadArguments(layer: "rbf(0)", reason: "gamma = 0.0; use a positive gamma such as 1"),
    BadArguments(layer: "rbf(-2)", reason: "gamma = -2.0; use a positive gamma such as 1"),
    BadArguments(
      layer: "identity()", reason: "an empty argument; write name(), or values between commas"),
  ]

  @Test(
    "Bad activation arguments are typed errors that name the layer and say what is wrong",
    arguments: badArguments)
  func badArgumentsRaise(_ bad: BadArguments) {
    #expect(
      throws: ArchitectureError.malformedArguments(
        layer: bad.layer, position: LayerPosition(layer: 3, offset: 14), reason: bad.reason)
    ) {
      try Architecture(parsing: "flatten dense \(bad.layer) readout")
    }
  }
}
