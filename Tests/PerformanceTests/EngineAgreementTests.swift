import CheckerSupport
import Foundation
import Learners
import Symmetries
import SymmetryTesting
import Testing

/// Both paths sum the same terms in different orders (the engine in relative coordinates, with
/// its own arc-cosine); at depth 3 the measured disagreement is about 1e-15 of the largest
/// entry, so 1e-12 is round-off with room, and any wrong index or formula shows as O(1).
private let agreement = 1e-12

@Suite("The fast engine against the reference definition")
struct EngineAgreementTests {
  @Test(
    "The fast engine equals the layer-by-layer definition on random inputs, NNGP and NTK",
    arguments: NamedArchitecture.allCases, Activation.allCases)
  func engineEqualsReference(architecture: NamedArchitecture, activation: Activation) throws {
    let network = try architecture.architecture(depth: 3, activation: activation)
    let program = try #require(network.kernelProgram, "the engine should run \(architecture)")
    let engine = try KernelEngine(program: program)
    for s in [shape(8, 8, 1), shape(6, 6, 3)] {
      let x = randomBatch(s, count: 5, seed: 1)
      let y = randomBatch(s, count: 3, seed: 2)
      for (fast, reference) in [
        (try engine.kernels(x), try network.referenceKernels(x, nil)),
        (try engine.kernels(x, y), try network.referenceKernels(x, y)),
      ] {
        expectClose(
          fast.nngp.storage, reference.nngp.storage, tolerance: agreement,
          "\(architecture) \(activation) NNGP \(s)")
        expectClose(
          fast.ntk.storage, reference.ntk.storage, tolerance: agreement,
          "\(architecture) \(activation) NTK \(s)")
      }
    }
  }

  @Test(
    "The fast engine equals the layer-by-layer definition with circular, zero and valid padding, NNGP and NTK",
    arguments: [NamedArchitecture.cnnVec, .cnnGap, .lcn], Activation.allCases)
  func paddedEngineEqualsReference(architecture: NamedArchitecture, activation: Activation) throws {
    // Depth 2 so valid padding leaves a grid; widths 6, 7 and 17 give one, two and five offset
    // groups of 8 lanes (bounded offsets run from -(W' - 1) to W' - 1), a height unequal to
    // the width catches swapped axes.
    for padding in Padding.allCases {
      let network = try architecture.architecture(
        depth: 2, activation: activation, padding: padding)
      let program = try #require(network.kernelProgram, "the engine should run \(network)")
      let engine = try KernelEngine(program: program)
      for s in [shape(6, 6, 1), shape(5, 7, 2), shape(5, 17, 1)] {
        let x = randomBatch(s, count: 3, seed: 11)
        let y = randomBatch(s, count: 2, seed: 12)
        for (fast, reference) in [
          (try engine.kernels(x), try network.referenceKernels(x, nil)),
          (try engine.kernels(x, y), try network.referenceKernels(x, y)),
        ] {
          let what = "\(architecture) \(activation) \(padding) \(s)"
          expectClose(
            fast.nngp.storage, reference.nngp.storage, tolerance: agreement, "\(what) NNGP")
          expectClose(fast.ntk.storage, reference.ntk.storage, tolerance: agreement, "\(what) NTK")
        }
      }
    }
  }

  @Test(
    "The fast engine equals the layer-by-layer definition for layer lists mixing paddings and filter sizes",
    arguments: [
      "conv(2,same) relu conv(4,valid,w=1.3,b=0.2) erf gap readout",
      "conv(5,same) erf conv(3,valid) relu conv(2,same) relu gap readout",
      "conv(3,valid) relu conv(2) erf flatten readout",
      "local(4,same) relu local(3,valid) relu conv(3) relu flatten readout(w=0.7,b=0)",
      "conv(1,same) relu relu conv(3,same) gap readout",
    ])
  func mixedLayerListsEqualReference(spec: String) throws {
    let network = try Architecture(parsing: spec)
    let program = try #require(network.kernelProgram, "the engine should run \(spec)")
    let engine = try KernelEngine(program: program)
    let x = randomBatch(shape(7, 6, 2), count: 4, seed: 13)
    let y = randomBatch(shape(7, 6, 2), count: 2, seed: 14)
    for (fast, reference) in [
      (try engine.kernels(x), try network.referenceKernels(x, nil)),
      (try engine.kernels(x, y), try network.referenceKernels(x, y)),
    ] {
      expectClose(fast.nngp.storage, reference.nngp.storage, tolerance: agreement, "\(spec) NNGP")
      expectClose(fast.ntk.storage, reference.ntk.storage, tolerance: agreement, "\(spec) NTK")
    }
  }

  @Test(
    "The engine's arc-cosine and arc-sine agree with the definition at every angle between two images",
    arguments: Activation.allCases)
  func inverseTrigonometryEqualsReferenceAtEveryAngle(activation: Activation) throws {
    // Points on a circle: pair (i, j) has cosine cos(phi_i - phi_j), so 240 points put about
    // 29,000 cosines across [-1, 1], through the polynomial's branch at |c| = 1/2 and up to
    // nearly parallel pairs (the closest are about 1e-4 apart in angle, far from the snap to
    // c = 1 within 8 ulp). Radii vary so the factors are not all 1.
    var generator = SeededGenerator(seed: 21)
    let count = 240
    var values: [Double] = []
    for _ in 0..<count {
      let angle = Double.random(in: 0..<(2 * Double.pi), using: &generator)
      let radius = Double.random(in: 0.5...2, using: &generator)
      values += [radius * cos(angle), radius * sin(angle)]
    }
    let x = try ImageBatch(shape: shape(1, 1, 2), values: values)
    let network = try NamedArchitecture.fcn.architecture(depth: 1, activation: activation)
    let engine = try KernelEngine(program: try #require(network.kernelProgram))
    let fast = try engine.kernels(x)
    let reference = try network.referenceKernels(x, nil)
    expectClose(
      fast.nngp.storage, reference.nngp.storage, tolerance: agreement, "\(activation) NNGP")
    expectClose(fast.ntk.storage, reference.ntk.storage, tolerance: agreement, "\(activation) NTK")
  }

  @Test(
    "Architectures the engine does not run take the reference path, and the capability check says why"
  )
  func referencePathIsChosenWithAReason() throws {
    for (spec, reason) in [
      ("local(3) relu gap readout", "locally connected layer under global average pooling"),
      (
        "conv(3) relu flatten dense relu readout",
        "dense layer between the reduction and the readout"
      ),
      (
        "conv(3) relu conv(3,same) relu gap readout",
        "circular and zero or valid padded layers mixed"
      ),
    ] {
      let network = try Architecture(parsing: spec)
      #expect(network.kernelProgram == nil, "\(spec)")
      guard case .reference(let why) = network.kernelPath else {
        Issue.record("\(spec) should take the reference path")
        continue
      }
      #expect(why.contains(reason), "\(spec): \(why)")
      let x = randomBatch(shape(5, 5, 2), count: 3, seed: 3)
      #expect(try network.kernels(x, nil) == network.referenceKernels(x, nil), "\(spec)")
    }
  }

  @Test(
    "Architectures the engine runs take the engine path in an optimised build and say so; a debug build says why not"
  )
  func enginePathIsExplicit() throws {
    let network = try NamedArchitecture.cnnGap.architecture(depth: 2, activation: .relu)
    let program = try #require(network.kernelProgram)
    #if DEBUG
      guard case .reference(let why) = network.kernelPath else {
        Issue.record("a debug build takes the reference path")
        return
      }
      #expect(why.contains("debug build"))
    #else
      #expect(network.kernelPath == .engine(program))
    #endif
    let valid = try Architecture(parsing: "conv(5,valid) relu conv(5,valid) relu flatten readout")
    #expect(throws: KernelError.filterLargerThanImage(layer: 3, filterSize: 5, height: 2, width: 2))
    {
      try valid.kernels(randomBatch(shape(6, 6, 1), count: 2, seed: 1), nil)
    }
  }
}
