import Foundation
import Symmetries
import Testing

/// Whether the opt-in benchmarks run: `SYMMETRY_PROBES_BENCH=1 swift test -c release ...`.
private let benchmarksEnabled = ProcessInfo.processInfo.environment["SYMMETRY_PROBES_BENCH"] == "1"

private func gaussianMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var generator = SeededGenerator(seed: seed)
  return try! Matrix(rows: rows, columns: columns, storage: generator.gaussians(rows * columns))
}

/// Seconds taken by `body`, best of `repeats`.
private func seconds(repeats: Int = 1, _ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    best = min(
      best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }
  return best
}

@Suite("Linear algebra at scale")
struct LinearAlgebraPerformanceTests {
  @Test("Rotating a batch of images by a Haar matrix is bit-identical with one and two threads")
  func rotationThreadIndependent() throws {
    var generator = SeededGenerator(seed: 1)
    let q = try Matrix.haarOrthogonal(dimension: 96, using: &generator)
    let images = gaussianMatrix(64, 96, seed: 2)
    let one = try Matrix.product(images, q, transposeB: true, threads: 1)
    let two = try Matrix.product(images, q, transposeB: true, threads: 2)
    #expect(one.storage == two.storage)
  }

  @Test("A Haar rotation preserves every image's norm to round-off")
  func rotationPreservesNorms() throws {
    // Orthogonality to ~n ulp, so squared norms (of order d = 96) agree to ~1e-12 relative.
    let relativeTolerance = 1e-12
    var generator = SeededGenerator(seed: 3)
    let q = try Matrix.haarOrthogonal(dimension: 96, using: &generator)
    let images = gaussianMatrix(20, 96, seed: 4)
    let rotated = try Matrix.product(images, q, transposeB: true)
    for i in 0..<20 {
      let before = (0..<96).reduce(0.0) { $0 + images[i, $1] * images[i, $1] }
      let after = (0..<96).reduce(0.0) { $0 + rotated[i, $1] * rotated[i, $1] }
      #expect(abs(before - after) <= relativeTolerance * before)
    }
  }

  @Test(
    "Benchmark: GEMM, Cholesky, eigen, Haar sampling and image rotation at full size",
    .enabled(if: benchmarksEnabled, "set SYMMETRY_PROBES_BENCH=1 and build with -c release"))
  func benchmark() throws {
    let n = 2048
    let a = gaussianMatrix(n, n, seed: 10)
    let b = gaussianMatrix(n, n, seed: 11)
    for threads in [1, 2] {
      let time = try seconds(repeats: 3) { _ = try a.multiplied(by: b, threads: threads) }
      print(
        "GEMM n=\(n) threads=\(threads): \(time) s, \(2 * pow(Double(n), 3) / time / 1e9) GFLOP/s")
    }
    let nc = 4096
    let g = gaussianMatrix(nc, nc, seed: 12)
    var spd = try Matrix.product(g, g, transposeB: true)
    for i in 0..<nc { spd[i, i] += Double(nc) }
    let choleskyTime = try seconds { _ = try spd.cholesky() }
    print(
      "Cholesky n=\(nc): \(choleskyTime) s, \(pow(Double(nc), 3) / 3 / choleskyTime / 1e9) GFLOP/s")

    let d = 3072
    var generator = SeededGenerator(seed: 13)
    var q = try Matrix(rows: 0, columns: 0)
    let haarTime = try seconds { q = try Matrix.haarOrthogonal(dimension: d, using: &generator) }
    print("Haar d=\(d): \(haarTime) s")
    let images = gaussianMatrix(1000, d, seed: 14)
    let rotateTime = try seconds(repeats: 2) { _ = try Matrix.product(images, q, transposeB: true) }
    print(
      "Rotate 1000 images by \(d) x \(d): \(rotateTime) s, \(2e3 * Double(d * d) / rotateTime / 1e9) GFLOP/s"
    )

    let ne = 2000
    let s = gaussianMatrix(ne, ne, seed: 15)
    let symmetric = try Matrix.product(s, s, transposeB: true)
    let eigenTime = try seconds { _ = try symmetric.symmetricEigen() }
    print("Symmetric eigen n=\(ne): \(eigenTime) s")
  }
}
