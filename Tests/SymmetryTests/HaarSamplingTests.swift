import CheckerSupport
import Symmetries
import SymmetryTesting
import Testing

/// The sign of det(Q) for an orthogonal Q, by Gaussian elimination with partial pivoting.
private func determinantSign(_ q: Matrix) -> Double {
  var a = q
  let n = a.rows
  var sign = 1.0
  for k in 0..<n {
    let pivot = (k..<n).max { abs(a[$0, k]) < abs(a[$1, k]) }!
    if pivot != k {
      sign = -sign
      for j in 0..<n {
        let t = a[k, j]
        a[k, j] = a[pivot, j]
        a[pivot, j] = t
      }
    }
    if a[k, k] < 0 { sign = -sign }
    for i in (k + 1)..<n {
      let factor = a[i, k] / a[k, k]
      for j in k..<n { a[i, j] -= factor * a[k, j] }
    }
  }
  return sign
}

/// Draws and dimension of the Haar statistics. Fixed seeds make every figure below a
/// deterministic function of the code, so the claims cannot flake; the intervals are 4 standard
/// errors wide, so a correct sampler passes them for all but ~1 in 16,000 seeds.
private let draws = 400
private let dimension = 6

@Suite("Haar sampling of orthogonal matrices")
struct HaarSamplingTests {
  let samples: [Matrix] = {
    var generator = SeededGenerator(seed: 2024)
    return (0..<draws).map { _ in
      try! Matrix.haarOrthogonal(dimension: dimension, using: &generator)
    }
  }()

  @Test("The determinant is +1 in about half of the draws (binomial interval)")
  func determinantSignIsBalanced() {
    let positive = samples.filter { determinantSign($0) > 0 }.count
    let halfWidth = 4 * (Double(draws) * 0.25).squareRoot()
    #expect(
      abs(Double(positive) - Double(draws) / 2) <= halfWidth, "\(positive) of \(draws) positive")
  }

  @Test("Q_11 is positive in about half of the draws (the sign correction is applied)")
  func firstEntrySignIsBalanced() {
    let positive = samples.filter { $0[0, 0] > 0 }.count
    let halfWidth = 4 * (Double(draws) * 0.25).squareRoot()
    #expect(
      abs(Double(positive) - Double(draws) / 2) <= halfWidth, "\(positive) of \(draws) positive")
  }

  @Test("Every entry has mean 0 and variance 1/d across draws")
  func entryMoments() {
    let d = Double(dimension)
    // For Haar O(d): E[q^2] = 1/d, E[q^4] = 3/(d(d+2)).
    let varianceOfSquare = 3 / (d * (d + 2)) - 1 / (d * d)
    for (i, j) in [(0, 0), (2, 5), (5, 1)] {
      let values = samples.map { $0[i, j] }
      let mean = values.reduce(0, +) / Double(draws)
      let meanSquare = values.reduce(0) { $0 + $1 * $1 } / Double(draws)
      #expect(
        abs(mean) <= 4 * (1 / (d * Double(draws))).squareRoot(), "mean of Q[\(i),\(j)] = \(mean)")
      #expect(
        abs(meanSquare - 1 / d) <= 4 * (varianceOfSquare / Double(draws)).squareRoot(),
        "mean square of Q[\(i),\(j)] = \(meanSquare), expected \(1 / d)")
    }
  }

  @Test("The trace has E[tr Q] = 0 and E[(tr Q)^2] = 1, the Haar moments of O(d)")
  func traceMoments() {
    // Diaconis & Shahshahani (1994): for Haar O(d), d >= 4, tr Q has the first four moments of
    // a standard normal, so Var[(tr Q)^2] = 3 - 1 = 2.
    let traces = samples.map(\.trace)
    let mean = traces.reduce(0, +) / Double(draws)
    let meanSquare = traces.reduce(0) { $0 + $1 * $1 } / Double(draws)
    #expect(abs(mean) <= 4 * (1 / Double(draws)).squareRoot(), "mean trace \(mean)")
    #expect(
      abs(meanSquare - 1) <= 4 * (2 / Double(draws)).squareRoot(),
      "mean squared trace \(meanSquare)")
  }

  @Test("A sampled matrix is orthogonal to round-off, and the same seed gives the same matrix")
  func orthogonalAndSeeded() throws {
    var a = SeededGenerator(seed: 9)
    var b = SeededGenerator(seed: 9)
    let q = try Matrix.haarOrthogonal(dimension: 64, using: &a)
    #expect(try q == Matrix.haarOrthogonal(dimension: 64, using: &b))
    expectClose(
      try q.transposed.multiplied(by: q).storage, try Matrix.identity(64).storage,
      tolerance: actionRoundOff, "Q^T Q")
    // Entries of one sampled O(d) matrix have variance 1/d (rows are unit vectors, mean ~ 0).
    let meanSquare = q.storage.reduce(0) { $0 + $1 * $1 } / Double(q.storage.count)
    #expect(abs(meanSquare - 1.0 / 64) <= 1e-12)
  }
}
