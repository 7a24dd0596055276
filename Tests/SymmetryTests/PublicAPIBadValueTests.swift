import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// Each entry point below used to trap (`precondition`) on the value passed here, killing every
/// other test in the process; now it throws a typed error whose message names the bad value.

/// The message of an `invalidArgument` or `dimensionMismatch`, nil for any other error.
private func message(_ error: LinearAlgebraError?) -> String? {
  switch error {
  case .invalidArgument(let message)?, .dimensionMismatch(let message)?: return message
  default: return nil
  }
}

@Suite("Public entry points throw on bad values")
struct PublicAPIBadValueTests {
  @Test("A matrix with a negative dimension or an entry count past Int.max is refused")
  func matrixDimensions() {
    let negative = #expect(throws: LinearAlgebraError.self) { try Matrix(rows: -1, columns: 3) }
    #expect(message(negative)?.contains("-1 x 3") == true)
    let overflow = #expect(throws: LinearAlgebraError.self) {
      try Matrix(rows: Int.max / 2, columns: 3, repeating: 1)
    }
    #expect(message(overflow)?.contains("more entries") == true)
    #expect(throws: LinearAlgebraError.self) { try Matrix.identity(-2) }
    #expect(throws: Never.self) { try Matrix(rows: 0, columns: 0) }
  }

  @Test("A Haar matrix of negative dimension is refused without drawing from the generator")
  func haarDimension() throws {
    var generator = SeededGenerator(seed: 5)
    var untouched = generator
    let error = #expect(throws: LinearAlgebraError.self) {
      try Matrix.haarOrthogonal(dimension: -3, using: &generator)
    }
    #expect(message(error)?.contains("O(-3)") == true)
    #expect(generator.next() == untouched.next())
  }

  @Test("A draw from 0..<0 is refused without advancing the stream; one from 0..<1 is 0")
  func boundedZero() throws {
    var generator = SeededGenerator(seed: 9)
    var untouched = generator
    #expect(throws: LinearAlgebraError.self) { try generator.bounded(0) }
    #expect(generator.next() == untouched.next())
    #expect(try generator.bounded(1) == 0)
  }

  @Test(
    "GEMM refuses a negative dimension and a row stride shorter than a row, leaving C as it was")
  func gemmArguments() throws {
    let a = [Double](repeating: 1, count: 12)
    var c = [Double](repeating: 7, count: 12)
    try a.withUnsafeBufferPointer { pa in
      try c.withUnsafeMutableBufferPointer { pc in
        let (pa, pc) = (pa.baseAddress!, pc.baseAddress!)
        #expect(throws: LinearAlgebraError.self) {
          try GEMM.multiply(m: -1, n: 3, k: 4, a: pa, lda: 4, b: pa, ldb: 3, c: pc, ldc: 3)
        }
        let stride = #expect(throws: LinearAlgebraError.self) {
          try GEMM.multiply(m: 3, n: 3, k: 4, a: pa, lda: 2, b: pa, ldb: 3, c: pc, ldc: 3)
        }
        #expect(message(stride)?.contains("lda = 2") == true)
        #expect(throws: LinearAlgebraError.self) {
          try GEMM.multiply(m: 3, n: 3, k: 4, a: pa, lda: 4, b: pa, ldb: 3, c: pc, ldc: 2)
        }
        #expect(throws: LinearAlgebraError.self) {
          try GEMM.multiply(
            m: 3, n: 3, k: 4, a: pa, lda: 4, b: pa, ldb: 3, transposeB: true, c: pc, ldc: 3)
        }
        #expect(throws: LinearAlgebraError.self) {
          try GEMM.symmetricRankK(n: -2, k: 2, a: pa, lda: 2, c: pc, ldc: 3)
        }
        #expect(throws: LinearAlgebraError.self) {
          try GEMM.symmetricRankK(n: 3, k: 4, a: pa, lda: 3, c: pc, ldc: 3)
        }
        // The same shapes with honest strides are accepted.
        try GEMM.multiply(m: 3, n: 3, k: 4, a: pa, lda: 4, b: pa, ldb: 3, c: pc, ldc: 3)
        try GEMM.symmetricRankK(n: 3, k: 4, a: pa, lda: 4, c: pc, ldc: 3)
      }
    }
    #expect(c[9...] == [7, 7, 7])
    #expect(c[..<9].allSatisfy { $0 == 4 })
  }

  @Test("Kernel matrices of two shapes are refused")
  func kernelMatrixShapes() throws {
    let error = #expect(throws: LinearAlgebraError.self) {
      try KernelMatrices(nngp: Matrix(rows: 2, columns: 3), ntk: Matrix(rows: 3, columns: 2))
    }
    #expect(message(error)?.contains("NNGP is 2 x 3 but the NTK is 3 x 2") == true)
  }

  @Test(
    "Verdict thresholds out of order, negative or not finite are refused",
    arguments: [
      (1e-3, 1e-4), (1e-4, 1e-4), (-1e-9, 1e-4), (.nan, 1e-4), (1e-9, .nan), (1e-9, .infinity),
    ])
  func verdictThresholds(roundOff: Double, effectFloor: Double) {
    #expect(throws: ProbeError.self) {
      try VerdictThresholds(roundOff: roundOff, effectFloor: effectFloor)
    }
  }

  @Test("Decoded verdict thresholds are checked like constructed ones")
  func decodedVerdictThresholds() throws {
    let reversed = Data(#"{"roundOff": 1e-3, "effectFloor": 1e-4}"#.utf8)
    #expect(throws: ProbeError.self) {
      try JSONDecoder().decode(VerdictThresholds.self, from: reversed)
    }
    let encoded = try JSONEncoder().encode(VerdictThresholds.kernel)
    #expect(try JSONDecoder().decode(VerdictThresholds.self, from: encoded) == .kernel)
  }

  @Test(
    "A negative count of Gaussians or of items to permute is refused without advancing the stream")
  func negativeCounts() throws {
    var generator = SeededGenerator(seed: 11)
    var untouched = generator
    let gaussians = #expect(throws: LinearAlgebraError.self) { try generator.gaussians(-1) }
    #expect(message(gaussians)?.contains("-1 Gaussian draws") == true)
    let permutation = #expect(throws: LinearAlgebraError.self) { try generator.permutation(-4) }
    #expect(message(permutation)?.contains("0..<-4") == true)
    #expect(generator.next() == untouched.next())
    #expect(try generator.gaussians(0).isEmpty)
    #expect(try generator.permutation(0).isEmpty)
    #expect(try generator.permutation(5).sorted() == [0, 1, 2, 3, 4])
  }

  @Test("An image index outside the batch is refused by image(at:) and selecting, naming the index")
  func imageIndices() throws {
    let batch = try ImageBatch(
      count: 3, height: 2, width: 2, channels: 1, values: (0..<12).map(Double.init))
    for index in [-1, 3, Int.max] {
      let error = #expect(throws: SymmetryError.self) { try batch.image(at: index) }
      #expect(error.map { "\($0)" }?.contains("index \(index) is outside 0..<3") == true)
    }
    #expect(throws: SymmetryError.self) { try batch.selecting([0, 3]) }
    #expect(throws: SymmetryError.self) { try batch.selecting(-2..<1) }
    #expect(try Array(batch.image(at: 2)) == [8, 9, 10, 11])
    let picked = try batch.selecting([2, 0, 2])
    #expect(picked.count == 3)
    #expect(try Array(picked.image(at: 1)) == [0, 1, 2, 3])
  }

  @Test(
    "An equivalence margin that is negative or not finite is refused",
    arguments: [-0.01, -.infinity, .infinity, .nan])
  func equivalenceMargin(margin: Double) throws {
    let error = #expect(throws: ProbeError.self) { try ClaimHypothesis.equivalent(within: margin) }
    #expect(error.map { "\($0)" }?.contains("equivalence margin") == true)
    #expect(try ClaimHypothesis.equivalent(within: 0).margin == 0)
  }

  @Test(
    "An ensemble interval at a confidence outside (0, 1) is refused; one inside it contains the effect",
    arguments: [0, 1, -0.5, 1.5, .nan])
  func ensembleIntervalConfidence(confidence: Double) throws {
    let runs = (0..<4).map { run in (0..<6).map { Double($0) + 0.1 * Double(run) } }
    let moved = runs.map { $0.map { $0 + 0.05 } }
    let measurement = try EnsembleMeasurement(
      moved: moved, original: runs, targets: [Double](repeating: 0, count: 6), margin: 0.1)
    let error = #expect(throws: ProbeError.self) {
      try measurement.interval(atConfidence: confidence)
    }
    #expect(error.map { "\($0)" }?.contains("strictly between 0 and 1") == true)
    let interval = try measurement.interval(atConfidence: 0.9)
    #expect(interval[0] <= measurement.effect && measurement.effect <= interval[1])
  }
}
