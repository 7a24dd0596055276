import CheckerSupport
import Learners
import Probes
import Symmetries
import SymmetryTesting
import Testing

// MARK: - Tolerances

/// A transported network computes the same sums as the original in another order (and with
/// G^T W formed first for FCN): about 1e-15 relative for these depth-2, width-4 networks; a wrong
/// index changes outputs by O(1).
private let transportRoundOff = 1e-12

/// The bound for two training runs that coincide mathematically: round-off of 1e-15 per
/// step, amplified mildly by the stable dynamics over the steps below.
private let trainingRoundOff = 1e-10

/// Adam under O(d) is not a symmetry: its per-coordinate normalisation sees the rotated
/// coordinates, so the runs separate by O(1) relative amounts (measured: 1e-1 on CIFAR-10).
/// 1e-3 is seven orders of magnitude above round-off.
private let adamBreakFloor = 1e-3

/// A width-4 network whose function a non-symmetry changes moves its outputs by O(1) relative
/// amounts (a different pixel pairing or filter tap); 1e-6 sits far above round-off (1e-15).
private let functionalBreakFloor = 1e-6

// MARK: - Data

private let imageShape = shape(4, 4, 2)

struct TransportCase: Sendable, CustomTestStringConvertible {
  let label: String
  let architecture: Architecture
  let action: String
  var testDescription: String { "\(label) / \(action)" }

  /// The named four at depth 2, and layer lists whose transports the rules must get right:
  /// 1x1 convolutions, local layers with pooling, zero, valid and circular padding with odd and
  /// even filters, a dense layer after pooling.
  static let architectures: [(String, Architecture)] =
    NamedArchitecture.allCases.map {
      ($0.rawValue, try! $0.architecture(depth: 2, activation: .relu))
    }
    + [
      "conv(1) relu conv(1) relu gap readout", "local(3) relu local(3) relu gap readout",
      "conv(3,same) relu gap readout", "local(3,valid) relu flatten readout",
      "conv(2) relu conv(2) relu gap readout", "conv(3) relu gap dense relu readout",
      "conv(3) residual(relu conv(3)) relu gap readout",
      "residual(conv(3) relu conv(3)) relu flatten readout",
      "conv(3) layernorm relu conv(3) layernorm(all) relu flatten readout",
      "identity flatten dense abs readout",
      "conv(1) attention(heads=2) relu gap readout",
    ].map { ($0, try! Architecture(parsing: $0)) }

  static let all: [TransportCase] = architectures.flatMap { label, architecture in
    ActionCatalogue.names.map {
      TransportCase(label: label, architecture: architecture, action: $0)
    }
  }
}

private func network(_ name: NamedArchitecture, width: Int = 4, outputs: Int = 2, seed: UInt64 = 3)
  throws -> FiniteNetwork
{
  try network(
    name.architecture(depth: 2, activation: .relu), width: width, outputs: outputs, seed: seed)
}

private func network(
  _ architecture: Architecture, width: Int = 4, outputs: Int = 2, seed: UInt64 = 3
) throws -> FiniteNetwork {
  try FiniteNetwork(
    architecture: architecture, inputShape: imageShape, width: width, outputs: outputs, seed: seed)
}

private func trainingData(count: Int = 6) throws -> (
  train: ImageBatch, targets: Matrix, test: ImageBatch
) {
  let labels = (0..<count).map { $0 % 2 }
  return (
    randomBatch(imageShape, count: count, seed: 21),
    try Matrix.centredOneHot(labels: labels, classCount: 2),
    randomBatch(imageShape, count: 3, seed: 22)
  )
}

// MARK: - Claims

@Suite("Weight transport: acting on the model")
struct TransportTests {
  @Test(
    "An action lifts exactly when the layers' rules predict it, and the lifted parameters satisfy M(theta', x) = M(theta, g x)",
    arguments: TransportCase.all)
  func transportedNetworkActsLikeTheAction(_ transportCase: TransportCase) throws {
    let original = try network(transportCase.architecture)
    let action = try ActionCatalogue.family(named: transportCase.action).element(
      for: imageShape, seed: 8)
    let transport = try original.transported(by: action)
    let prediction = try transportCase.architecture
      .predictedInvariance(under: action, on: imageShape, regime: .gradientDescent)
    #expect(transport.lifts == prediction.algorithmic.invariant, "\(prediction.algorithmic)")
    guard let transported = transport.network else { return }
    let images = randomBatch(imageShape, count: 3, seed: 4)
    expectClose(
      try transported.predictions(images).storage,
      try original.predictions(action.apply(to: images)).storage, tolerance: transportRoundOff)
  }

  @Test(
    "A finite network is functionally invariant, f(g x) = f(x), exactly when the layers' rules predict it",
    arguments: TransportCase.all)
  func functionalInvarianceOfNetworks(_ transportCase: TransportCase) throws {
    let network = try network(transportCase.architecture)
    let action = try ActionCatalogue.family(named: transportCase.action).element(
      for: imageShape, seed: 8)
    let prediction = try transportCase.architecture
      .predictedInvariance(under: action, on: imageShape, regime: .gradientDescent)
    let images = randomBatch(imageShape, count: 3, seed: 4)
    let deviation = relativeDeviation(
      try network.predictions(action.apply(to: images)).storage,
      try network.predictions(images).storage)
    if prediction.functional.invariant {
      #expect(deviation <= transportRoundOff, "\(prediction.functional)")
    } else {
      #expect(deviation > functionalBreakFloor, "deviation \(deviation); \(prediction.functional)")
    }
  }

  @Test(
    "Finite CNN-VEC does not lift per-pixel channel rotations although its kernel is invariant to them"
  )
  func cnnVecLosesPixelwiseRotations() throws {
    let action = try PixelwiseChannelRotationFamily().element(for: imageShape, seed: 5)
    let transport = try network(.cnnVec).transported(by: action)
    #expect(!transport.lifts)
    if case .doesNotLift(let reason) = transport { #expect(reason.contains("shared")) }
    let kernel = try NamedArchitecture.cnnVec.architecture(depth: 2, activation: .relu)
      .predictedInvariance(under: action, on: imageShape)
    #expect(kernel.algorithmic.invariant)
    #expect(try network(.lcn).transported(by: action).lifts)
  }

  @Test("Zero padding keeps flips but loses translations")
  func samePaddingLosesTranslations() throws {
    let layers = try NamedArchitecture.cnnGap.architecture(
      depth: 1, activation: .relu, padding: .same)
    let padded = try FiniteNetwork(
      architecture: layers, inputShape: imageShape, width: 3, outputs: 2, seed: 1)
    #expect(try !padded.transported(by: Translation(dy: 1, dx: 0)).lifts)
    #expect(try padded.transported(by: HorizontalFlip()).lifts)
  }

  @Test(
    "Exact transport: training on g.S from theta and on S from theta' gives the same predictions",
    arguments: [
      (NamedArchitecture.fcn, "orthogonal", "gd"), (.fcn, "orthogonal", "sgd"),
      (.cnnGap, "translation", "gd"), (.cnnGap, "translation", "sgd"),
      (.lcn, "pixelwise-channel-rotation", "gd"), (.cnnVec, "quarter-turn", "sgd"),
    ])
  func transportedTrainingCoincides(
    _ name: NamedArchitecture, _ family: String, _ optimizer: String
  ) throws {
    let (train, targets, test) = try trainingData()
    let action = try ActionCatalogue.family(named: family).element(for: imageShape, seed: 12)
    let rule: Optimizer =
      optimizer == "gd"
      ? .gradientDescent(learningRate: 0.5) : .sgd(learningRate: 0.5, batchSize: 2)
    let measurement = try TransportProbe(optimizer: rule, steps: 40, batchSeed: 7).measure(
      network(name), under: action, train: train, targets: targets, test: test)
    #expect(measurement.lifts)
    let deviation = try #require(measurement.deviation)
    #expect(deviation <= trainingRoundOff)
  }

  @Test(
    "FCN with Adam keeps pixel permutations exactly but breaks O(d); FCN with gradient descent keeps both"
  )
  func adamIsPerCoordinate() throws {
    let (train, targets, test) = try trainingData()
    let permutation = try PixelPermutationFamily().element(for: imageShape, seed: 2)
    let rotation = try OrthogonalFamily().element(for: imageShape, seed: 2)
    func deviation(_ action: any GroupAction, _ optimizer: Optimizer) throws -> Double {
      try #require(
        TransportProbe(optimizer: optimizer, steps: 30).measure(
          network(.fcn), under: action, train: train, targets: targets, test: test
        ).deviation)
    }
    let adam = Optimizer.adam(learningRate: 1e-2)
    let descent = Optimizer.gradientDescent(learningRate: 0.5)
    #expect(try deviation(permutation, adam) <= trainingRoundOff)
    #expect(try deviation(rotation, adam) > adamBreakFloor)
    #expect(try deviation(permutation, descent) <= trainingRoundOff)
    #expect(try deviation(rotation, descent) <= trainingRoundOff)
    let fcn = try NamedArchitecture.fcn.architecture(depth: 2, activation: .relu)
    #expect(
      try fcn.predictedInvariance(under: permutation, on: imageShape, regime: .adam).algorithmic
        .invariant)
    #expect(
      try !fcn.predictedInvariance(under: rotation, on: imageShape, regime: .adam).algorithmic
        .invariant)
  }
}
