import CheckerSupport
import Learners
import Probes
import Symmetries
import SymmetryTesting
import Testing

/// Probe images for the table claims: 6 x 6 pixels with 2 channels (so channel actions are not
/// trivial), 4 train and 2 test images; seeded standard normal. Not 4 x 4: there a 2 x 2 patch
/// shuffle permutes only a 2 x 2 grid of patches, and most such permutations are translations
/// by 2 pixels or flips, which are genuine symmetries of the local kernels.
private let probeShape = shape(6, 6, 2)
private let probe = try! KernelInvarianceProbe(
  train: randomBatch(probeShape, count: 4, seed: 100),
  test: randomBatch(probeShape, count: 2, seed: 101))

/// One row of the table claims: an architecture and the activations it is measured with.
struct TableArchitecture: Sendable, CustomTestStringConvertible {
  let label: String
  let layers: [Architecture]
  var testDescription: String { label }

  /// The four named architectures (depth 2, 3x3 circular filters), ReLU and Erf.
  static func named(_ name: NamedArchitecture) -> TableArchitecture {
    TableArchitecture(
      label: name.rawValue,
      layers: Activation.allCases.map { try! name.architecture(depth: 2, activation: $0) })
  }

  /// A layer list, with ReLU as written and with every relu replaced by erf.
  static func layers(_ text: String) -> TableArchitecture {
    let relu = try! Architecture(parsing: text)
    let erf = try! Architecture(parsing: text.replacingOccurrences(of: "relu", with: "erf"))
    return TableArchitecture(label: text, layers: relu == erf ? [relu] : [relu, erf])
  }

  /// The named four, and architectures whose rows the rules must get right beyond them:
  /// 1x1 convolutions (pixel permutations kept, functionally too under pooling), a locally
  /// connected network with pooling (the LCN's row, functional invariance to nothing), zero and
  /// valid padding (translations lost, flips and turns kept), an even filter (a flip maps its
  /// window to a shifted window: kept with circular padding, lost with zero padding), mixed
  /// layers and dense layers after pooling; residual blocks (inside and at the input, where
  /// channel maps reach the skip unabsorbed), layer normalisation per pixel and per image, new
  /// activations, and the identity before flatten (which keeps O(d)).
  static let catalogue: [TableArchitecture] =
    NamedArchitecture.allCases.map(named) + [
      layers("conv(1) relu conv(1) relu gap readout"),
      layers("conv(1) relu conv(1) relu flatten readout"),
      layers("local(3) relu local(3) relu gap readout"),
      layers("conv(3,same) relu conv(3,same) relu gap readout"),
      layers("local(3,same) relu flatten readout"),
      layers("conv(3,valid) relu conv(3,valid) relu gap readout"),
      layers("conv(2) relu conv(2) relu gap readout"),
      layers("conv(2,same) relu gap readout"),
      layers("conv(3) relu local(3) relu gap readout"),
      layers("conv(3) relu gap dense relu readout"),
      layers("flatten dense relu dense relu readout"),
      // Stride-2 pooling and a stride-2 convolution: translations by 1 break, flips survive the
      // window-2 pooling of an even side but not neural-tangents' one-sided stride-2 padding.
      layers("conv(3) relu avgpool(2) conv(3) relu gap readout"),
      layers("conv(3) relu sumpool(2) flatten readout"),
      layers("conv(3,stride=2) relu conv(3) relu gap readout"),
      layers("conv(3) residual(relu conv(3)) relu gap readout"),
      layers("residual(conv(3) relu conv(3)) relu flatten readout"),
      layers("conv(3) layernorm relu conv(3) layernorm relu gap readout"),
      layers("conv(3) layernorm(all) relu flatten readout"),
      layers("conv(1) gelu conv(1) sin gap readout"),
      layers("identity flatten dense abs readout"),
      layers("conv(1) attention relu gap readout"),
      layers("conv(3) relu attention relu flatten readout"),
    ]
}

@Suite("The invariance table")
struct InvarianceTableTests {
  @Test(
    "Every predicted cell is measured and agrees with its prediction, for every architecture in the catalogue and every action, both ways",
    arguments: TableArchitecture.catalogue, ActionCatalogue.names)
  func tableMatchesPredictions(architecture: TableArchitecture, action: String) throws {
    // The product's expectation, on the same images and element as `probe` and the table
    // (ProbeImages.standard is this file's probe, the element is drawn from seed 0).
    let family = try ActionCatalogue.family(named: action)
    for layers in architecture.layers {
      try expectPredictedVerdicts(layers, under: family)
    }
  }

  @Test(
    "The product's standard probe images are this suite's probe images, so the grid above measures what the table measures"
  )
  func standardImagesAreTheProbe() {
    #expect(ProbeImages.standard.train == probe.train)
    #expect(ProbeImages.standard.test == probe.test)
  }

  @Test(
    "A custom layer list gets its predicted row, meets it, and renders as JSON (with reasons), markdown and SVG"
  )
  func customRowAndRendering() throws {
    let custom = try Architecture(parsing: "conv(3) relu gap readout")
    let rows = [InvarianceRow(name: "mine", activation: "custom", kernel: custom)]
    let table = try InvarianceTable.measure(
      rows: rows, families: [TranslationFamily(), PixelPermutationFamily()], probe: probe)
    #expect(table.cells.count == 4)
    #expect(table.cells.allSatisfy { $0.expectedAlgorithmic != nil && $0.meetsPrediction })
    #expect(table.contradictions.isEmpty)
    let json = try table.json()
    for key in [
      "\"architecture\"", "\"activation\"", "\"action\"", "\"kernel\"", "\"algorithmic_deviation\"",
      "\"functional_deviation\"", "\"algorithmic\"", "\"functional\"", "\"algorithmic_reason\"",
      "\"functional_reason\"",
    ] {
      #expect(json.contains(key), "JSON lacks \(key)")
    }
    #expect(json.contains("\"not invariant\""))
    #expect(table.markdown().contains("| mine custom |"))
    #expect(table.svg().hasPrefix("<svg"))
  }
}

@Suite("Contradictions between measured and predicted verdicts")
struct ContradictionTests {
  @Test(
    "A measured cell that contradicts its prediction is counted, marked '!' and listed with the layer's reason"
  )
  func contradictionIsReported() throws {
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .relu)
    let prediction = try gap.predictedInvariance(under: Translation(dy: 1, dx: 0), on: probeShape)
    // A made-up measurement: the translation breaks the kernel, against its prediction.
    let cell = InvarianceCell(
      architecture: "CNN-GAP", activation: "relu", action: "translation", kernel: .nngp,
      algorithmicDeviation: 0.3, functionalDeviation: 1e-16, algorithmic: .notInvariant,
      functional: .invariant, prediction: prediction, trivial: false)
    let table = InvarianceTable(cells: [cell], actions: ["translation"], shape: probeShape)
    #expect(table.contradictions.count == 1)
    let text = table.text()
    #expect(text.contains("x 3e-01!"))
    #expect(text.contains("1 of 1 predicted cells contradict"))
    #expect(
      text.contains(
        "algorithmic: measured not invariant (3e-01), predicted invariant: kept by every layer"))
    #expect(table.markdown().contains("(!)"))
    #expect(try table.json().contains("\"algorithmic_reason\" : \"kept by every layer\""))
  }
}

@Suite("Exact identities between kernels")
struct KernelIdentityTests {
  /// Averages and pooled sums reorder floating-point additions; at depth 2 on 4 x 4 images the
  /// terms are O(1) and there are at most a few hundred of them, so 1e-12 is ample for round-off.
  static let identityTolerance = 1e-12

  @Test(
    "Averaging the CNN-VEC kernel over all circular translations of one argument gives the CNN-GAP kernel, NNGP and NTK",
    arguments: Activation.allCases)
  func poolingIsTranslationAveraging(activation: Activation) throws {
    let vec = try NamedArchitecture.cnnVec.architecture(depth: 2, activation: activation)
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 2, activation: activation)
    let averaged = GroupAveragedKernel.overTranslations(vec, shape: probeShape)
    let x = randomBatch(probeShape, count: 3, seed: 5)
    let y = randomBatch(probeShape, count: 2, seed: 6)
    let expected = try gap.kernels(x, y)
    let measured = try averaged.kernels(x, y)
    #expect(averaged.isExact && averaged.elements.count == probeShape.pixelCount)
    expectClose(
      measured.nngp.storage, expected.nngp.storage, tolerance: Self.identityTolerance, "NNGP")
    expectClose(
      measured.ntk.storage, expected.ntk.storage, tolerance: Self.identityTolerance, "NTK")
  }

  @Test("CNN-GAP with zero (same) padding loses exact translation invariance: a negative control")
  func samePaddingBreaksTranslations() throws {
    let row = try InvarianceRow(.cnnGap, activation: .relu, depth: 2, padding: .same)
    let table = try InvarianceTable.measure(
      rows: [row], families: [TranslationFamily()], probe: probe)
    for cell in table.cells {
      #expect(cell.algorithmic == .notInvariant, "deviation \(cell.algorithmicDeviation)")
      #expect(cell.functional == .notInvariant, "deviation \(cell.functionalDeviation)")
      #expect(cell.meetsPrediction)
    }
  }

  @Test("Precomposing a kernel with g equals acting on the data with g")
  func precompositionIsActingOnData() throws {
    let gap = try NamedArchitecture.cnnGap.architecture(depth: 1, activation: .erf)
    let g = try PixelPermutationFamily().element(for: probeShape, seed: 3)
    let x = randomBatch(probeShape, count: 3, seed: 7)
    let precomposed = try PrecomposedKernel(gap, action: g).kernels(x, nil)
    let moved = try gap.kernels(g.apply(to: x), nil)
    #expect(precomposed == moved)
  }
}

@Suite("The verdict machinery")
struct VerdictTests {
  @Test(
    "A deviation at round-off is invariant, above the floor not invariant, between inconclusive")
  func thresholds() {
    let t = VerdictThresholds.kernel
    #expect(Verdict(deviation: 0, thresholds: t) == .invariant)
    #expect(Verdict(deviation: t.roundOff, thresholds: t) == .invariant)
    #expect(Verdict(deviation: t.roundOff * 10, thresholds: t) == .inconclusive)
    #expect(Verdict(deviation: t.effectFloor * 1.01, thresholds: t) == .notInvariant)
    // NaN is what `deviation` returns when every compared value is zero: nothing was measured.
    #expect(Verdict(deviation: .nan, thresholds: t) == .noSignal)
    #expect(Verdict(deviation: .infinity, thresholds: t) == .notInvariant)
  }

  @Test("A probe fed a non-invariant kernel never says invariant", arguments: ActionCatalogue.names)
  func nonInvariantKernelIsCaught(action: String) throws {
    // K(x, x') = <m * x, m * x'> with a fixed non-constant mask m on the flattened image: it
    // weights pixels and channels differently, so no action in the catalogue leaves it unchanged.
    let mask = (0..<probeShape.dimension).map { 1 + Double($0 % 7) / 3 }
    let masked = ClosureKernel { x1, x2 in
      let second = x2 ?? x1
      var k = try Matrix(rows: x1.count, columns: second.count)
      for i in 0..<x1.count {
        for j in 0..<second.count {
          k[i, j] = zip(zip(x1.image(i), second.image(j)), mask).reduce(0) {
            $0 + $1.0.0 * $1.0.1 * $1.1 * $1.1
          }
        }
      }
      return try KernelMatrices(nngp: k, ntk: k)
    }
    let row = InvarianceRow(name: "masked", activation: "none", kernel: masked)
    let table = try InvarianceTable.measure(
      rows: [row], families: [ActionCatalogue.family(named: action)], probe: probe)
    for cell in table.cells {
      #expect(cell.algorithmic != .invariant, "algorithmic deviation \(cell.algorithmicDeviation)")
      #expect(cell.functional != .invariant, "functional deviation \(cell.functionalDeviation)")
    }
  }

  @Test("A kernel perturbed by one part in 10^7 is inconclusive, not rounded to either side")
  func smallBreakIsInconclusive() throws {
    let fcn = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    // Adds 1e-7 * K(x, x') * (first pixel of x), which a translation changes.
    let perturbed = ClosureKernel { x1, x2 in
      var k = try fcn.kernels(x1, x2)
      for i in 0..<k.nngp.rows {
        let bump = 1 + 1e-7 * x1.image(i).first!
        for j in 0..<k.nngp.columns {
          k.nngp[i, j] *= bump
          k.ntk[i, j] *= bump
        }
      }
      return k
    }
    let row = InvarianceRow(name: "perturbed", activation: "relu", kernel: perturbed)
    let table = try InvarianceTable.measure(
      rows: [row], families: [TranslationFamily()], probe: probe)
    for cell in table.cells {
      #expect(cell.algorithmic == .inconclusive, "deviation \(cell.algorithmicDeviation)")
    }
  }
}
