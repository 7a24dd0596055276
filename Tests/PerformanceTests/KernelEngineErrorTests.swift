import CheckerSupport
import Learners
import Symmetries
import SymmetryTesting
import Testing

@Suite("Bad input to the kernel engine gets a typed error, never a crash")
struct KernelEngineErrorTests {
  private let program = engineProgram(
    .cnnGap, depth: 1, activation: .relu, weightStd: 1.5, biasStd: 0.1)

  @Test("Batches of different shapes are refused")
  func mismatchedShapes() throws {
    let engine = try KernelEngine(program: program)
    let x = randomBatch(shape(4, 4, 1), count: 2, seed: 1)
    let y = randomBatch(shape(4, 4, 2), count: 2, seed: 1)
    #expect(throws: KernelEngineError.shapeMismatch(first: x.shape, second: y.shape)) {
      try engine.kernels(x, y)
    }
  }

  @Test("Negative or non-finite standard deviations are refused")
  func badStandardDeviations() {
    #expect(throws: KernelEngineError.invalidStandardDeviation(step: 0, value: -1)) {
      try KernelEngine(
        program: KernelProgram(
          input: .spatial,
          steps: [
            .affine(filterHeight: 3, filterWidth: 3, padding: .circular, weightStd: -1, biasStd: 0)
          ],
          readout: .flatten(weightStd: 1, biasStd: 0)))
    }
    #expect(throws: KernelEngineError.invalidStandardDeviation(step: 0, value: .infinity)) {
      try KernelEngine(
        program: KernelProgram(
          input: .dense, steps: [], readout: .flatten(weightStd: 1, biasStd: 0)
        )
        .withReadoutBias(.infinity))
    }
  }

  @Test("Zero or negative thread counts and filters are refused")
  func badThreadsAndFilters() {
    #expect(throws: KernelEngineError.invalidThreadCount(0)) {
      try KernelEngine(program: program, threads: 0)
    }
    #expect(throws: KernelEngineError.invalidFilter(step: 0, height: 0, width: 3)) {
      try KernelEngine(
        program: KernelProgram(
          input: .spatial,
          steps: [
            .affine(filterHeight: 0, filterWidth: 3, padding: .circular, weightStd: 1, biasStd: 0)
          ],
          readout: .flatten(weightStd: 1, biasStd: 0)))
    }
  }

  @Test("A valid-padded filter larger than the image is refused")
  func filterLargerThanImage() throws {
    let engine = try KernelEngine(
      program: engineProgram(.cnnVec, depth: 1, activation: .relu, filterSize: 5, padding: .valid))
    let x = randomBatch(shape(4, 4, 1), count: 2, seed: 1)
    #expect(
      throws: KernelEngineError.filterLargerThanImage(
        step: 0, filterHeight: 5, filterWidth: 5, height: 4, width: 4)
    ) { try engine.kernels(x) }
    // The grid shrinks layer by layer: 6 x 6 -> 4 x 4 -> 2 x 2, too small for the third filter
    // (step 4: affine, activation, affine, activation, affine).
    let deep = try KernelEngine(
      program: engineProgram(.cnnGap, depth: 3, activation: .erf, padding: .valid))
    #expect(
      throws: KernelEngineError.filterLargerThanImage(
        step: 4, filterHeight: 3, filterWidth: 3, height: 2, width: 2)
    ) { try deep.kernels(randomBatch(shape(6, 6, 1), count: 2, seed: 1)) }
  }

  @Test("Configurations the fast engine does not compute are refused, not approximated")
  func unsupportedConfigurations() throws {
    let x = randomBatch(shape(4, 4, 1), count: 2, seed: 1)
    // Periodic and bounded offsets cannot share one pooled recursion.
    for bounded in [KernelProgram.Padding.same, .valid] {
      let mixed = try KernelEngine(
        program: KernelProgram(
          input: .spatial,
          steps: [
            .affine(filterHeight: 3, filterWidth: 3, padding: .circular, weightStd: 1, biasStd: 0),
            .activation(.erf),
            .affine(filterHeight: 3, filterWidth: 3, padding: bounded, weightStd: 1, biasStd: 0),
          ],
          readout: .globalAveragePool(weightStd: 1, biasStd: 0)))
      expectUnsupported(
        try #require(#expect(throws: KernelEngineError.self) { try mixed.kernels(x) }))
      expectUnsupported(
        try #require(
          #expect(throws: KernelEngineError.self) { try mixed.workspaceBytes(for: x.shape) }))
    }
    let pooledDense = try KernelEngine(
      program: KernelProgram(
        input: .dense, steps: [], readout: .globalAveragePool(weightStd: 1, biasStd: 0)))
    expectUnsupported(
      try #require(#expect(throws: KernelEngineError.self) { try pooledDense.kernels(x) }))
  }

  @Test("A block outside the batch is refused")
  func blockOutOfRange() throws {
    let engine = try KernelEngine(program: program)
    let x = randomBatch(shape(4, 4, 1), count: 3, seed: 1)
    #expect(throws: KernelEngineError.blockOutOfRange(range: 1..<4, count: 3)) {
      try engine.kernels(x, rows: 1..<4, columns: 0..<3)
    }
  }
}

extension KernelProgram {
  fileprivate func withReadoutBias(_ bias: Double) -> KernelProgram {
    var copy = self
    copy.readout = .flatten(weightStd: 1, biasStd: bias)
    return copy
  }
}

/// Expects `.unsupported`, the case that says what the engine cannot run (and not, say, a shape
/// error thrown first by accident).
private func expectUnsupported(
  _ error: KernelEngineError, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard case .unsupported = error else {
    Issue.record(
      "expected KernelEngineError.unsupported, got \(error)", sourceLocation: sourceLocation)
    return
  }
}
