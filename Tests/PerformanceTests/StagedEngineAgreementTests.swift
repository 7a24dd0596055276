import CheckerSupport
import Learners
import Symmetries
import SymmetryTesting
import Testing

/// The engine and the reference path sum the same terms in different orders (offset fields and
/// separable window sums against all-pairs loops); round-off stays near 1e-15 of the largest
/// entry, while a wrong window anchor, stride or scatter index moves entries by 1e-3 or more.
private let agreement = 1e-12

/// Every pooled or strided layer list of the reference cases (fixtures/reference/
/// neural-tangents-layers.json), of the invariance table's catalogue and of `bench --workload
/// pool16`, then lists that reach the other code paths: sum pooling, circular and same pooling,
/// pooling twice, strides under valid and circular padding, a stride first (stage 0 with no
/// step), bounded stages after a stride, Erf, non-default weights.
private let specs = [
  "conv(3) relu avgpool(2) flatten readout",
  "conv(3) relu avgpool(3, same, stride=1) gap readout",
  "conv(3) relu sumpool(2) flatten readout",
  "conv(3, stride=2) relu flatten readout",
  "conv(3, same, stride=2) relu gap readout",
  "conv(3) relu avgpool(2) conv(3) relu gap readout",
  "conv(3,stride=2) relu conv(3) relu gap readout",
  "conv(3) erf sumpool(2,circular) conv(2) relu gap readout",
  "conv(2,same) relu avgpool(2,same) conv(3,valid,w=1.3,b=0.2) erf gap readout",
  "conv(3,valid) relu avgpool(2,stride=1) avgpool(2) relu flatten readout(w=0.7,b=0)",
  "conv(2,valid,stride=2) relu conv(3,same) relu gap readout",
  "conv(3,circular,stride=3) erf conv(2) relu flatten readout",
  "relu avgpool(2,circular,stride=1) conv(3,same,stride=2) relu gap readout",
]

@Suite("The fast engine with strides and pooling against the reference definition")
struct StagedEngineAgreementTests {
  @Test(
    "The engine equals the layer-by-layer definition for pooled and strided networks, NNGP and NTK",
    arguments: specs)
  func stagedEngineEqualsReference(spec: String) throws {
    let network = try Architecture(parsing: spec)
    let program = try #require(network.kernelProgram, "the engine should run \(spec)")
    let engine = try KernelEngine(program: program)
    // A square grid as the fixture's, an odd and uneven one (catches swapped axes and odd
    // windows), and a width past 8 lanes (two offset groups).
    for s in [shape(6, 6, 2), shape(7, 5, 2), shape(6, 11, 1)] {
      let x = randomBatch(s, count: 4, seed: 21)
      let y = randomBatch(s, count: 3, seed: 22)
      for (fast, reference) in [
        (try engine.kernels(x), try network.referenceKernels(x, nil)),
        (try engine.kernels(x, y), try network.referenceKernels(x, y)),
      ] {
        expectClose(
          fast.nngp.storage, reference.nngp.storage, tolerance: agreement, "\(spec) \(s) NNGP")
        expectClose(
          fast.ntk.storage, reference.ntk.storage, tolerance: agreement, "\(spec) \(s) NTK")
      }
    }
  }

  @Test(
    "Pooled and strided results are bit-identical for 1 and 2 threads, and a block equals the whole matrix's entries",
    arguments: [specs[5], specs[9]])
  func bitsDoNotDependOnThreadsOrBlocks(spec: String) throws {
    let program = try #require(try Architecture(parsing: spec).kernelProgram)
    let x = randomBatch(shape(6, 6, 2), count: 7, seed: 23)
    let one = try KernelEngine(program: program, threads: 1)
    let two = try KernelEngine(program: program, threads: 2)
    let whole = try two.kernels(x)
    #expect(try one.kernels(x) == whole)
    let block = try one.kernels(x, rows: 2..<6, columns: 1..<4)
    for i in 0..<4 {
      for j in 0..<3 {
        #expect(
          block.nngp[i, j] == whole.nngp[i + 2, j + 1] && block.ntk[i, j] == whole.ntk[i + 2, j + 1]
        )
      }
    }
  }

  @Test("A strided locally connected layer stays on the reference path, and says why")
  func stridedLocalIsRefused() throws {
    let network = try Architecture(parsing: "conv(3) relu local(2,stride=2) relu flatten readout")
    guard case .failure(let unsupported) = network.engineSupport else {
      Issue.record("a strided locally connected layer claims the engine")
      return
    }
    #expect(unsupported.reason.contains("locally connected"))
  }

  @Test("A pooling window or stride that does not fit the grid is a typed engine error")
  func windowThatDoesNotFitThrows() throws {
    let program = KernelProgram(
      input: .spatial,
      steps: [
        .affine(filterHeight: 3, filterWidth: 3, padding: .circular, weightStd: 1, biasStd: 0),
        .pool(window: 5, stride: 5, padding: .valid, average: true),
      ],
      readout: .globalAveragePool(weightStd: 1, biasStd: 0))
    let engine = try KernelEngine(program: program)
    #expect(
      throws: KernelEngineError.windowDoesNotFit(step: 1, size: 5, stride: 5, height: 4, width: 4)
    ) {
      try engine.kernels(randomBatch(shape(4, 4, 1), count: 2, seed: 1))
    }
    #expect(throws: KernelEngineError.invalidWindow(step: 0, size: 2, stride: 0)) {
      try KernelEngine(
        program: KernelProgram(
          input: .spatial, steps: [.pool(window: 2, stride: 0, padding: .valid, average: false)],
          readout: .flatten(weightStd: 1, biasStd: 0)))
    }
  }
}
