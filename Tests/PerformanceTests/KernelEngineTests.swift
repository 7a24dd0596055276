import CheckerSupport
import Learners
import Symmetries
import SymmetryTesting
import Testing

// MARK: - Tolerances

/// neural-tangents' own float64 kernels are good to about 1e-14 except ReLU NTK diagonals
/// (fixtures/reference/README.md); the engine's arc-cosine is within a few ulp. 1e-10 of the
/// matrix's largest entry leaves four orders of magnitude for round-off through three layers,
/// while a wrong offset, filter anchor or normalisation moves entries by 1e-3 or more.
private let referenceTolerance = 1e-10
/// neural-tangents evaluates arccos(1 - eps) on ReLU NTK diagonals and is off by up to about
/// 1e-8 there (README); 1e-7 relative covers that.
private let reluNTKDiagonalTolerance = 1e-7
/// K(x, y) and K(y, x) differ only in summation order over offsets and pixels: a few ulp per
/// sum of P^2 terms, far below 1e-13 of the largest entry at these sizes.
private let transposeRoundOff = 1e-13

// MARK: - Programs

/// Small cases: one per code path (pooled periodic offsets, pooled bounded offsets under zero
/// and valid padding, diagonal groups with each padding, dense Gram), on shapes whose widths
/// are not multiples of the 8 lanes so padding lanes are exercised.
private let cases: [(name: String, program: KernelProgram, shape: ImageShape)] = [
  ("CNN-GAP relu circular", engineProgram(.cnnGap, depth: 2, activation: .relu), shape(3, 5, 2)),
  (
    "CNN-GAP relu same", engineProgram(.cnnGap, depth: 2, activation: .relu, padding: .same),
    shape(4, 5, 2)
  ),
  (
    "CNN-GAP erf valid", engineProgram(.cnnGap, depth: 2, activation: .erf, padding: .valid),
    shape(5, 6, 2)
  ),
  ("CNN-VEC erf circular", engineProgram(.cnnVec, depth: 2, activation: .erf), shape(4, 3, 2)),
  (
    "CNN-VEC relu valid", engineProgram(.cnnVec, depth: 2, activation: .relu, padding: .valid),
    shape(5, 6, 2)
  ),
  ("LCN erf same", engineProgram(.lcn, depth: 2, activation: .erf, padding: .same), shape(4, 3, 2)),
  ("FCN relu", engineProgram(.fcn, depth: 2, activation: .relu), shape(3, 3, 2)),
]

@Suite("The fast kernel engine")
struct KernelEngineTests {
  @Test(
    "The engine reproduces neural-tangents' reference NNGP and NTK matrices",
    arguments: KernelEngineReference.all.indices)
  func reproducesReference(_ index: Int) throws {
    let reference = KernelEngineReference.all[index]
    let result = try KernelEngine(program: reference.program, threads: 2).kernels(reference.batch)
    let deviations = reference.deviations(of: result)
    #expect(deviations.nngp <= referenceTolerance, "\(reference) NNGP: \(deviations.nngp)")
    #expect(deviations.ntk <= referenceTolerance, "\(reference) NTK: \(deviations.ntk)")
    #expect(
      deviations.reluNTKDiagonal <= reluNTKDiagonalTolerance,
      "\(reference) ReLU NTK diagonal: \(deviations.reluNTKDiagonal)")
  }

  @Test("Results are bit-identical with 1 and 2 threads", arguments: cases.indices)
  func threadCountDoesNotChangeBits(_ index: Int) throws {
    let (_, program, shape) = cases[index]
    let x = randomBatch(shape, count: 11, seed: 5)
    let y = randomBatch(shape, count: 9, seed: 6)
    let one = try KernelEngine(program: program, threads: 1)
    let two = try KernelEngine(program: program, threads: 2)
    #expect(try one.kernels(x) == two.kernels(x))
    #expect(try one.kernels(x, y) == two.kernels(x, y))
  }

  @Test(
    "Dense input: the fused one-batch form equals the two-batch form bit for bit across Gram blocks"
  )
  func denseFusedEqualsTwoBatch() throws {
    // 269 images: three of DenseSymmetricPairs' 128-row Gram blocks, the last octet partial,
    // so the diagonal tiles, the mirrored tiles and the partial edges are all exercised; the
    // two-batch form computes every entry from the whole product and mirrors nothing.
    let program = engineProgram(.fcn, depth: 2, activation: .relu)
    let x = randomBatch(shape(3, 3, 2), count: 269, seed: 9)
    let one = try KernelEngine(program: program, threads: 1)
    let two = try KernelEngine(program: program, threads: 2)
    let fused = try two.kernels(x)
    #expect(fused == (try two.kernels(x, x)))
    #expect(fused == (try one.kernels(x)))
  }

  @Test("Blocks assemble to the whole matrix bit for bit", arguments: cases.indices)
  func blocksAssemble(_ index: Int) throws {
    let (_, program, shape) = cases[index]
    let x = randomBatch(shape, count: 10, seed: 7)
    let y = randomBatch(shape, count: 11, seed: 8)
    let engine = try KernelEngine(program: program, threads: 2)
    for symmetric in [true, false] {
      let other = symmetric ? x : y
      let whole = symmetric ? try engine.kernels(x) : try engine.kernels(x, y)
      let rowCuts = [0, 3, 4, 10]
      let columnCuts = symmetric ? [0, 6, 7, 10] : [0, 2, 9, 11]
      var nngp = try Matrix(rows: x.count, columns: other.count)
      var ntk = try Matrix(rows: x.count, columns: other.count)
      for (r0, r1) in zip(rowCuts, rowCuts.dropFirst()) {
        for (c0, c1) in zip(columnCuts, columnCuts.dropFirst()) {
          let block =
            symmetric
            ? try engine.kernels(x, rows: r0..<r1, columns: c0..<c1)
            : try engine.kernels(x, y, rows: r0..<r1, columns: c0..<c1)
          for i in r0..<r1 {
            for j in c0..<c1 {
              nngp[i, j] = block.nngp[i - r0, j - c0]
              ntk[i, j] = block.ntk[i - r0, j - c0]
            }
          }
        }
      }
      #expect(nngp == whole.nngp, "symmetric: \(symmetric)")
      #expect(ntk == whole.ntk, "symmetric: \(symmetric)")
    }
  }

  @Test(
    "The one-batch form equals the two-batch form: the upper triangle bit for bit, the rest to round-off",
    arguments: cases.indices)
  func symmetricMatchesTwoBatch(_ index: Int) throws {
    let (_, program, shape) = cases[index]
    let x = randomBatch(shape, count: 9, seed: 9)
    let engine = try KernelEngine(program: program, threads: 2)
    let symmetric = try engine.kernels(x)
    let general = try engine.kernels(x, x)
    for i in 0..<x.count {
      for j in i..<x.count {
        #expect(symmetric.nngp[i, j] == general.nngp[i, j])
        #expect(symmetric.ntk[i, j] == general.ntk[i, j])
        #expect(symmetric.nngp[j, i] == symmetric.nngp[i, j])
      }
    }
    expectClose(symmetric.nngp.storage, general.nngp.storage, tolerance: transposeRoundOff, "NNGP")
    expectClose(symmetric.ntk.storage, general.ntk.storage, tolerance: transposeRoundOff, "NTK")
  }

  @Test(
    "The per-thread workspace is set by the image shape alone: three fields of P SIMD lanes, never n",
    arguments: cases.indices)
  func workspaceIndependentOfCount(_ index: Int) throws {
    let (_, program, shape) = cases[index]
    let engine = try KernelEngine(program: program, threads: 2)
    // PairWorkspace allocates exactly workspaceBytes(for:) per thread per call; the count takes
    // no n, and the kernels of 2 and 17 images are computed with it.
    let bytes = try engine.workspaceBytes(for: shape)
    #expect(bytes > 0)
    #expect(bytes <= 3 * shape.pixelCount * 64 + 4096, "\(bytes) bytes for \(shape)")
    _ = try engine.kernels(randomBatch(shape, count: 2, seed: 1))
    _ = try engine.kernels(randomBatch(shape, count: 17, seed: 2))
  }

  @Test(
    "The arithmetic count covers every pixel offset of every image pair at each activation, lanes past the last offset included"
  )
  func arithmeticCountsEveryEntry() throws {
    let count = 5
    let pairs = Double(count * (count + 1) / 2)
    // 3 x 5 circular: 3 rows of offsets, one group of 8 lanes (5 offsets and 3 idle lanes) over
    // 15 pixels; two activations; ReLU: two square roots per entry and no division beyond the
    // input covariance's one per field entry.
    let pooled = try KernelEngine(program: engineProgram(.cnnGap, depth: 2, activation: .relu))
    let gap = try #require(try pooled.arithmetic(images: count, shape: shape(3, 5, 2)))
    #expect(gap.activationEntries == pairs * 3 * 8 * 15 * 2)
    #expect(gap.squareRoots == 2 * gap.activationEntries)
    #expect(gap.divisions == pairs * 3 * 8 * 15)
    // Flatten readout: offset 0 only, one entry per pixel.
    let flatten = try KernelEngine(program: engineProgram(.cnnVec, depth: 2, activation: .erf))
    let vec = try #require(try flatten.arithmetic(images: count, shape: shape(3, 5, 2)))
    #expect(vec.activationEntries == pairs * 15 * 2)
    #expect(vec.divisions == pairs * 15 + vec.activationEntries)
    // Stages are not counted.
    let staged = try KernelEngine(
      program: try #require(
        Architecture(parsing: "conv(3) relu avgpool(2) conv(3) relu gap readout").kernelProgram))
    #expect(try staged.arithmetic(images: count, shape: shape(4, 4, 1)) == nil)
  }
}
