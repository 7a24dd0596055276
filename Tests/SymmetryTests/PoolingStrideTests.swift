import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

/// 6 x 6 images with 2 channels: even sides, so window-2 pooling tiles them, and 3 windows per
/// side, so a stride-2 layer has an odd output whose flips are non-trivial.
private let poolShape = shape(6, 6, 2)

/// The kernel probe the table uses: 4 train and 2 test images, seeded standard normal.
private let probe = try! KernelInvarianceProbe(
  train: randomBatch(poolShape, count: 4, seed: 100),
  test: randomBatch(poolShape, count: 2, seed: 101))

/// One prediction checked against the kernels: an architecture, an action, the verdicts the rules
/// must give for the kernels (algorithmic, functional).
struct PoolingSymmetryCase: Sendable, CustomTestStringConvertible {
  let layers: String
  let action: String
  let element: any GroupAction
  let algorithmic: Bool
  let functional: Bool
  var testDescription: String { "\(layers) under \(action)" }

  static let pooled = "conv(3) relu avgpool(2) conv(3) relu gap readout"
  static let strided = "conv(3,stride=2) relu conv(3) relu gap readout"
  static let overlapping = "conv(3) relu avgpool(3,same,stride=1) relu gap readout"
  static let flattened = "conv(3) relu avgpool(2) flatten readout"

  /// Stride or window s keeps translations by multiples of s only; a window-2 valid pooling on
  /// an even side keeps flips and quarter turns; neural-tangents' stride-2 `circular` padding of
  /// a 3-tap window puts the extra tap on one side (rows 2y..2y+2), so flips no longer map
  /// windows onto windows; stride-1 pooling keeps every translation (circular padding) or none
  /// (zero padding at the border).
  static let all: [PoolingSymmetryCase] = [
    PoolingSymmetryCase(
      layers: pooled, action: "translation by (1, 0)", element: Translation(dy: 1, dx: 0),
      algorithmic: false, functional: false),
    PoolingSymmetryCase(
      layers: pooled, action: "translation by (2, 4)", element: Translation(dy: 2, dx: 4),
      algorithmic: true, functional: true),
    PoolingSymmetryCase(
      layers: pooled, action: "horizontal flip", element: HorizontalFlip(), algorithmic: true,
      functional: false),
    PoolingSymmetryCase(
      layers: pooled, action: "quarter turn", element: QuarterTurn(turns: 1), algorithmic: true,
      functional: false),
    PoolingSymmetryCase(
      layers: strided, action: "translation by (0, 1)", element: Translation(dy: 0, dx: 1),
      algorithmic: false, functional: false),
    PoolingSymmetryCase(
      layers: strided, action: "translation by (2, 2)", element: Translation(dy: 2, dx: 2),
      algorithmic: true, functional: true),
    PoolingSymmetryCase(
      layers: strided, action: "horizontal flip", element: HorizontalFlip(), algorithmic: false,
      functional: false),
    PoolingSymmetryCase(
      layers: overlapping, action: "translation by (1, 0)", element: Translation(dy: 1, dx: 0),
      algorithmic: false, functional: false),
    PoolingSymmetryCase(
      layers: overlapping, action: "horizontal flip", element: HorizontalFlip(), algorithmic: true,
      functional: false),
    PoolingSymmetryCase(
      layers: flattened, action: "translation by (2, 2)", element: Translation(dy: 2, dx: 2),
      algorithmic: true, functional: false),
    PoolingSymmetryCase(
      layers: flattened, action: "vertical flip", element: VerticalFlip(), algorithmic: true,
      functional: false),
  ]
}

@Suite("Pooling and strides: symmetry rules")
struct PoolingSymmetryTests {
  @Test(
    "A stride or pooling window s keeps translations by multiples of s only, and flips when the windows tile the image symmetrically: predicted, and measured on the kernels",
    arguments: PoolingSymmetryCase.all)
  func predictedAndMeasured(_ symmetry: PoolingSymmetryCase) throws {
    let architecture = try Architecture(parsing: symmetry.layers)
    let prediction = try architecture.predictedInvariance(under: symmetry.element, on: poolShape)
    #expect(prediction.algorithmic.invariant == symmetry.algorithmic, "\(prediction.algorithmic)")
    #expect(prediction.functional.invariant == symmetry.functional, "\(prediction.functional)")
    let measured = try probe.measure(architecture, under: symmetry.element)
    for kind in KernelKind.allCases {
      let algorithmic = Verdict(deviation: measured.algorithmic[kind], thresholds: .kernel)
      let functional = Verdict(deviation: measured.functional[kind], thresholds: .kernel)
      #expect(
        algorithmic == (symmetry.algorithmic ? .invariant : .notInvariant),
        "\(kind) \(measured.algorithmic[kind])")
      #expect(
        functional == (symmetry.functional ? .invariant : .notInvariant),
        "\(kind) \(measured.functional[kind])")
    }
  }

  @Test("A translation by 1 is broken by the pooling layer, and the reason names it")
  func reasonNamesThePoolingLayer() throws {
    let architecture = try Architecture(parsing: PoolingSymmetryCase.pooled)
    let prediction = try architecture.predictedInvariance(
      under: Translation(dy: 1, dx: 0), on: poolShape)
    #expect(prediction.algorithmic.layer == 3)
    #expect(prediction.algorithmic.reason.contains("avgpool(2,valid,stride=2)"))
  }

  @Test(
    "Weight transport agrees with the predicted finite verdict under pooling and strides",
    arguments: PoolingSymmetryCase.all)
  func transportAgreesWithPrediction(_ symmetry: PoolingSymmetryCase) throws {
    let architecture = try Architecture(parsing: symmetry.layers)
    let predicted = try architecture.predictedInvariance(
      under: symmetry.element, on: poolShape, regime: .gradientDescent)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: poolShape, width: 3, outputs: 1, seed: 4)
    let transport = try network.transported(by: symmetry.element)
    #expect(
      transport.lifts == predicted.algorithmic.invariant, "\(transport) vs \(predicted.algorithmic)"
    )
    if let moved = transport.network {
      // M(theta', x) = M(theta, g x), exactly up to round-off.
      let images = randomBatch(poolShape, count: 3, seed: 8)
      let original = try network.predictions(try symmetry.element.apply(to: images), threads: 1)
      let transported = try moved.predictions(images, threads: 1)
      #expect(deviation(transported.storage, from: original.storage) < 1e-12)
    }
  }
}

@Suite("Pooling and strides: bad layer lists")
struct PoolingErrorTests {
  static let image = randomBatch(poolShape, count: 1, seed: 1)

  @Test(
    "A stride of 0, a window of 0, unknown keys, a missing window and pooling after flatten are typed errors naming the layer"
  )
  func parseErrors() {
    let cases: [(String, ArchitectureError)] = [
      (
        "conv(3,stride=0) relu flatten readout",
        .invalidStride(layer: 1, name: "conv(3,circular,stride=0)", stride: 0)
      ),
      (
        "conv(3) avgpool(2,stride=0) flatten readout",
        .invalidStride(layer: 2, name: "avgpool(2,valid,stride=0)", stride: 0)
      ),
      (
        "conv(3) sumpool(0) flatten readout",
        .invalidWindow(layer: 2, name: "sumpool(0,valid,stride=0)", size: 0)
      ),
      (
        "conv(3) flatten avgpool(2) readout",
        .spatialLayerAfterReduction(layer: 3, description: "avgpool(2,valid,stride=2)")
      ),
      (
        "conv(3) gap sumpool(2) readout",
        .spatialLayerAfterReduction(layer: 3, description: "sumpool(2,valid,stride=2)")
      ),
      (
        "conv(3) avgpool(2,size=3) flatten readout",
        .malformedArguments(
          layer: "avgpool(2,size=3)", position: LayerPosition(layer: 2, offset: 8),
          reason: "unexpected key 'size'")
      ),
      (
        "conv(3) avgpool flatten readout",
        .malformedArguments(
          layer: "avgpool", position: LayerPosition(layer: 2, offset: 8),
          reason: "the window size is missing; write e.g. avgpool(2)")
      ),
      (
        "conv(3,stride=two) flatten readout",
        .malformedArguments(
          layer: "conv(3,stride=two)", position: LayerPosition(layer: 1, offset: 0),
          reason: "stride 'two' is not an integer")
      ),
      (
        "conv(3) avgpool(2,2) flatten readout",
        .malformedArguments(
          layer: "avgpool(2,2)", position: LayerPosition(layer: 2, offset: 8),
          reason: "the window is given twice")
      ),
    ]
    for (text, expected) in cases {
      #expect(throws: expected, "\(text)") { try Architecture(parsing: text) }
    }
    #expect(
      ArchitectureError.invalidStride(layer: 2, name: "avgpool(2,valid,stride=0)", stride: 0)
        .description
        .contains("layer 2 'avgpool(2,valid,stride=0)'"))
  }

  @Test(
    "A window or stride larger than the image it reads is a typed error on every path, naming the layer and its position"
  )
  func geometryErrors() throws {
    let cases: [(String, KernelError)] = [
      (
        "conv(3) avgpool(7) flatten readout",
        .windowLargerThanImage(
          layer: 2, name: "avgpool(7,valid,stride=7)", window: 7, height: 6, width: 6)
      ),
      (
        "conv(3) avgpool(2,circular,stride=7) flatten readout",
        .strideLargerThanImage(
          layer: 2, name: "avgpool(2,circular,stride=7)", stride: 7, height: 6, width: 6)
      ),
      (
        "conv(3,stride=9) flatten readout",
        .strideLargerThanImage(
          layer: 1, name: "conv(3,circular,stride=9)", stride: 9, height: 6, width: 6)
      ),
      // 6 -> 3 -> 1 pixels: the third window no longer fits.
      (
        "avgpool(2) sumpool(2) avgpool(2) flatten readout",
        .windowLargerThanImage(
          layer: 3, name: "avgpool(2,valid,stride=2)", window: 2, height: 1, width: 1)
      ),
    ]
    for (text, expected) in cases {
      let architecture = try Architecture(parsing: text)
      #expect(throws: expected, "\(text)") { try architecture.kernels(Self.image, nil) }
      #expect(throws: expected, "\(text)") { try architecture.referenceKernels(Self.image, nil) }
      #expect(throws: expected, "\(text)") {
        try architecture.predictedInvariance(under: HorizontalFlip(), on: poolShape)
      }
      #expect(throws: FiniteError.layerDoesNotFit(expected), "\(text)") {
        try FiniteNetwork(
          architecture: architecture, inputShape: poolShape, width: 2, outputs: 1, seed: 1)
      }
      #expect(
        expected.description.contains(
          "layer \(text.hasPrefix("conv(3,stride") ? 1 : text.hasPrefix("avgpool") ? 3 : 2) '"))
    }
  }

  @Test(
    "Strided and pooled layers print with every argument and parse back; stride 1 prints as before")
  func descriptionsRoundTrip() throws {
    let architecture = try Architecture(
      parsing:
        "conv(3, same, stride=2) relu local(2,stride=2) avgpool(3, same, stride=1) sumpool(2,circular) flatten readout"
    )
    #expect(
      architecture.description.hasPrefix(
        "conv(3,same,stride=2,w=1.4142135623730951,b=0.1) relu local(2,circular,stride=2,w=1.4142135623730951,b=0.1) avgpool(3,same,stride=1) sumpool(2,circular,stride=2) flatten"
      ))
    #expect(try Architecture(parsing: architecture.description) == architecture)
    #expect(
      try Architecture(parsing: "conv(3) relu flatten readout").description.hasPrefix(
        "conv(3,circular,w="))
  }

  @Test(
    "The engine runs pooling and strided convolutions; a strided locally connected layer names the reference path"
  )
  func enginePathIsExplicit() throws {
    for text in ["conv(3) relu avgpool(2) flatten readout", "conv(3,stride=2) relu gap readout"] {
      #expect(try Architecture(parsing: text).kernelProgram != nil, "\(text)")
    }
    guard
      case .failure(let unsupported) = try Architecture(
        parsing: "local(3,stride=2) relu flatten readout"
      )
      .engineSupport
    else {
      Issue.record("a strided locally connected layer claims the engine")
      return
    }
    #expect(unsupported.reason.contains("stride"))
    #expect(try Architecture(parsing: "conv(3) relu gap readout").kernelProgram != nil)
  }
}

@Suite("train --layers")
struct TrainLayersTests {
  @Test(
    "train --layers trains a pooled custom architecture, names it in the report, and a translation by the stride lifts",
    .enabled(if: builtTool != nil))
  func trainAcceptsLayers() throws {
    let tool = try #require(builtTool)
    let (status, output) = try runTool(
      tool,
      [
        "train", "--layers", "conv(3) relu avgpool(2) conv(3) relu gap readout", "--action",
        "translation",
        "--shift", "2,2", "--optimizer", "gd", "--steps", "2", "--train", "16", "--test", "8",
        "--width", "4", "--size", "4", "--seeds", "3", "--max-seeds", "3", "--format", "json",
      ])
    #expect(status == 0, "\(output.prefix(2_000))")
    #expect(
      output.contains(
        "\"architecture\" : \"conv(3,circular,w=1.4142135623730951,b=0.1) relu avgpool(2,valid,stride=2)"
      ), "\(output.prefix(2_000))")
    #expect(output.contains("\"lifts\" : true"), "\(output.prefix(2_000))")
  }

  @Test(
    "train --layers refuses --depth, which the list spells out itself",
    .enabled(if: builtTool != nil))
  func trainLayersRefusesDepth() throws {
    let tool = try #require(builtTool)
    let (status, output) = try runTool(
      tool,
      [
        "train", "--layers", "conv(3) relu gap readout", "--depth", "2", "--action", "translation",
        "--optimizer", "gd",
      ])
    #expect(status != 0 && output.contains("--depth"), "\(output)")
  }
}

@Suite("Pooling and strides: empirical kernels")
struct PoolingEmpiricalKernelTests {
  /// From (width 16, 8 samples) to (width 64, 64 samples) the Monte Carlo error should shrink
  /// by sqrt(32) (ratio 0.18). The error is a maximum over nine entries of a few samples, itself
  /// noisy: a 4x step in width x samples (`FiniteKernelTests`' pattern) measured ratios of 0.7
  /// to 1.05 for two of these networks while larger steps kept shrinking the error (explored at
  /// 16x8, 64x8, 64x64 and 256x32, the last 8 to 20 times below 16x8; too slow for the suite),
  /// so the step is 32x. The ceiling was set after that exploration, whose worst 32x ratio was
  /// 0.45 (strided conv, NTK): 0.6, still well clear of the 1.0 of an estimator that does not
  /// converge.
  static let convergenceRatioCeiling = 0.6
  /// As `FiniteKernelTests`: the wide error is at most this multiple of 1 / sqrt(width x samples).
  static let convergenceConstant = 4.0

  @Test(
    "Empirical NNGP and NTK of pooled and strided networks converge to the analytic kernels like 1/sqrt(width x samples)",
    arguments: [
      "conv(3) erf avgpool(2) flatten readout", "conv(3) erf sumpool(3,same,stride=1) gap readout",
      "conv(3,stride=2) erf gap readout", "local(3,same,stride=2) erf flatten readout",
    ])
  func empiricalKernelsConverge(_ layers: String) throws {
    let architecture = try Architecture(parsing: layers)
    let images = randomBatch(shape(4, 4, 2), count: 3, seed: 31)
    let analytic = try architecture.kernels(images, nil)
    func errors(width: Int, samples: Int) throws -> (nngp: Double, ntk: Double) {
      let empirical = try MonteCarloKernel(
        architecture: architecture, width: width, samples: samples, seed: 100
      ).kernels(images, nil)
      return (
        relativeDeviation(empirical.nngp.storage, analytic.nngp.storage),
        relativeDeviation(empirical.ntk.storage, analytic.ntk.storage)
      )
    }
    let coarse = try errors(width: 16, samples: 8)
    let fine = try errors(width: 64, samples: 64)
    let scale = 1 / Double(64 * 64).squareRoot()
    #expect(fine.nngp < Self.convergenceRatioCeiling * coarse.nngp, "\(coarse) -> \(fine)")
    #expect(fine.ntk < Self.convergenceRatioCeiling * coarse.ntk, "\(coarse) -> \(fine)")
    #expect(fine.nngp < Self.convergenceConstant * scale, "\(fine.nngp) vs scale \(scale)")
    #expect(fine.ntk < Self.convergenceConstant * scale, "\(fine.ntk) vs scale \(scale)")
  }
}
