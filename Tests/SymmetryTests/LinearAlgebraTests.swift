import Foundation
import Symmetries
import Testing

// MARK: - Helpers

/// A matrix of uniform entries in [-1, 1) from a seeded stream.
private func uniformMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var generator = SeededGenerator(seed: seed)
  var result = try! Matrix(rows: rows, columns: columns)
  for index in result.storage.indices { result.storage[index] = 2 * generator.uniform() - 1 }
  return result
}

/// A symmetric positive definite matrix G G^T / n + I with a condition number of order 10.
private func spdMatrix(_ n: Int, seed: UInt64) -> Matrix {
  let g = uniformMatrix(n, n, seed: seed)
  var result = try! Matrix.product(g, g, transposeB: true)
  for index in result.storage.indices { result.storage[index] /= Double(n) }
  for i in 0..<n { result[i, i] += 1 }
  return result
}

/// op(a) op(b) by the textbook triple loop, the reference for the blocked product.
private func naiveProduct(_ a: Matrix, _ transposeA: Bool, _ b: Matrix, _ transposeB: Bool)
  -> Matrix
{
  let m = transposeA ? a.columns : a.rows
  let k = transposeA ? a.rows : a.columns
  let n = transposeB ? b.rows : b.columns
  var result = try! Matrix(rows: m, columns: n)
  for i in 0..<m {
    for j in 0..<n {
      var sum = 0.0
      for p in 0..<k {
        sum += (transposeA ? a[p, i] : a[i, p]) * (transposeB ? b[j, p] : b[p, j])
      }
      result[i, j] = sum
    }
  }
  return result
}

/// The largest entrywise |x - y|.
private func maxDifference(_ x: Matrix, _ y: Matrix) -> Double {
  zip(x.storage, y.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

// MARK: - Matrix product

@Suite("Matrix product")
struct MatrixProductTests {
  /// Entries lie in [-1, 1), so each product entry is a sum of k terms of size at most 1 and
  /// the two summation orders differ by at most about k^2 ulp (the classical gamma_k bound).
  static func tolerance(depth k: Int) -> Double { Double(k * k) * Double.ulpOfOne }

  /// Edges of every register tile (6 x 4 for SSE2, 6 x 8 for AVX2, 12 x 16 for AVX-512) and
  /// cache block (MC = 72, 120 or 144 rows, KC = 256 or 512 deep): partial tiles in both directions,
  /// two row blocks, two depth blocks (three at KC = 256).
  static let shapes: [(Int, Int, Int)] = [
    (37, 53, 29), (1, 1, 1), (6, 4, 257), (6, 8, 7), (80, 9, 3), (5, 300, 70), (125, 13, 259),
    (12, 16, 9), (150, 35, 260), (13, 17, 515), (150, 35, 530),
  ]

  @Test(
    "The blocked product equals the naive triple loop for every transposition",
    arguments: shapes, [(false, false), (true, false), (false, true), (true, true)])
  func equalsNaive(shape: (Int, Int, Int), transposition: (Bool, Bool)) throws {
    let (m, n, k) = shape
    let (ta, tb) = transposition
    let a = ta ? uniformMatrix(k, m, seed: 1) : uniformMatrix(m, k, seed: 1)
    let b = tb ? uniformMatrix(n, k, seed: 2) : uniformMatrix(k, n, seed: 2)
    let fast = try Matrix.product(a, b, transposeA: ta, transposeB: tb)
    let reference = naiveProduct(a, ta, b, tb)
    #expect(fast.rows == m && fast.columns == n)
    #expect(maxDifference(fast, reference) <= Self.tolerance(depth: k))
  }

  @Test("multiplied(by:) is the plain product")
  func multipliedIsProduct() throws {
    let a = uniformMatrix(13, 21, seed: 3)
    let b = uniformMatrix(21, 8, seed: 4)
    #expect(
      maxDifference(try a.multiplied(by: b), naiveProduct(a, false, b, false))
        <= Self.tolerance(depth: 21))
  }

  @Test("The product is bit-identical with one and two threads")
  func threadIndependent() throws {
    // Several row blocks, several column panels and two depth blocks, so both threads work.
    let a = uniformMatrix(80, 530, seed: 5)
    let b = uniformMatrix(530, 70, seed: 6)
    let one = try a.multiplied(by: b, threads: 1)
    let two = try a.multiplied(by: b, threads: 2)
    #expect(one.storage == two.storage)
    let oneT = try Matrix.product(a, a, transposeA: true, threads: 1)
    let twoT = try Matrix.product(a, a, transposeA: true, threads: 2)
    #expect(oneT.storage == twoT.storage)
  }

  @Test("The raw entry point computes alpha op(A) op(B) + beta C on sub-matrices")
  func rawAlphaBeta() throws {
    let a = uniformMatrix(20, 30, seed: 7)
    let b = uniformMatrix(30, 25, seed: 8)
    let c0 = uniformMatrix(20, 25, seed: 9)
    var c = c0
    // Multiply the top-left 11 x 17 block of A by the top-left 17 x 9 block of B into C's block.
    try a.storage.withUnsafeBufferPointer { pa in
      try b.storage.withUnsafeBufferPointer { pb in
        try c.storage.withUnsafeMutableBufferPointer { pc in
          try GEMM.multiply(
            m: 11, n: 9, k: 17, alpha: 2, a: pa.baseAddress!, lda: 30, b: pb.baseAddress!, ldb: 25,
            beta: 0.5, c: pc.baseAddress!, ldc: 25, threads: 2)
        }
      }
    }
    var worst = 0.0
    for i in 0..<20 {
      for j in 0..<25 {
        var expected = c0[i, j]
        if i < 11 && j < 9 {
          var sum = 0.0
          for p in 0..<17 { sum += a[i, p] * b[p, j] }
          expected = 2 * sum + 0.5 * c0[i, j]
        }
        worst = max(worst, abs(c[i, j] - expected))
      }
    }
    #expect(worst <= 4 * Self.tolerance(depth: 17))
  }

  @Test("With k = 0 the raw entry point scales C by beta and reads neither A nor B")
  func emptyDepthScales() throws {
    let c0 = uniformMatrix(7, 9, seed: 10)
    var c = c0
    let unused = [Double.nan]
    try unused.withUnsafeBufferPointer { p in
      try c.storage.withUnsafeMutableBufferPointer { pc in
        try GEMM.multiply(
          m: 7, n: 9, k: 0, a: p.baseAddress!, lda: 0, b: p.baseAddress!, ldb: 0, beta: 0.5,
          c: pc.baseAddress!, ldc: 9)
      }
    }
    #expect(c.storage == c0.storage.map { 0.5 * $0 })
  }

  @Test("Mismatched inner dimensions throw a dimension mismatch")
  func mismatchThrows() throws {
    let a = try Matrix(rows: 3, columns: 4)
    let b = try Matrix(rows: 5, columns: 2)
    #expect(throws: LinearAlgebraError.self) { try a.multiplied(by: b) }
    #expect(throws: LinearAlgebraError.self) { try Matrix.product(a, b, transposeA: true) }
  }

  @Test("Empty products are zero matrices of the right shape")
  func emptyProducts() throws {
    let p = try Matrix(rows: 3, columns: 0).multiplied(by: try Matrix(rows: 0, columns: 2))
    #expect(try p == Matrix(rows: 3, columns: 2))
  }
}

// MARK: - Symmetric product

@Suite("Symmetric product")
struct SymmetricProductTests {
  /// Shapes of op(a) (n x k): a single entry, partial tiles, and n > MC, k > KC (two row blocks
  /// of tiles on and below the diagonal, two depth blocks).
  static let shapes: [(Int, Int)] = [(1, 1), (7, 3), (13, 40), (126, 260), (126, 530)]

  @Test(
    "The symmetric product a a^T equals the general product bit for bit, transposed or not",
    arguments: shapes, [false, true])
  func equalsGeneralProduct(shape: (Int, Int), transposeA: Bool) throws {
    let (n, k) = shape
    let a = transposeA ? uniformMatrix(k, n, seed: 11) : uniformMatrix(n, k, seed: 11)
    let symmetric = Matrix.symmetricProduct(a, transposeA: transposeA)
    let general = try Matrix.product(
      a, a, transposeA: transposeA, transposeB: !transposeA)
    #expect(symmetric.rows == n && symmetric.columns == n)
    #expect(symmetric.storage == general.storage)
    #expect(
      maxDifference(symmetric, naiveProduct(a, transposeA, a, !transposeA))
        <= MatrixProductTests.tolerance(depth: k))
  }

  @Test("The symmetric product is bit-identical with one and two threads")
  func threadIndependent() {
    let a = uniformMatrix(126, 530, seed: 12)
    let one = Matrix.symmetricProduct(a, threads: 1)
    let two = Matrix.symmetricProduct(a, threads: 2)
    #expect(one.storage == two.storage)
  }

  @Test("Without mirroring, the rank-k update's lower triangle is GEMM's alpha a a^T + beta C")
  func rankKUpdateLowerTriangle() throws {
    let n = 31
    let k = 17
    let a = uniformMatrix(n, k, seed: 13)
    let c0 = uniformMatrix(n, n, seed: 14)
    var update = c0
    var general = c0
    try a.storage.withUnsafeBufferPointer { pa in
      try update.storage.withUnsafeMutableBufferPointer { pc in
        try GEMM.symmetricRankK(
          n: n, k: k, alpha: -1, a: pa.baseAddress!, lda: k, beta: 1, c: pc.baseAddress!, ldc: n,
          mirror: false, threads: 2)
      }
      try general.storage.withUnsafeMutableBufferPointer { pc in
        try GEMM.multiply(
          m: n, n: n, k: k, alpha: -1, a: pa.baseAddress!, lda: k, b: pa.baseAddress!, ldb: k,
          transposeB: true, beta: 1, c: pc.baseAddress!, ldc: n, threads: 1)
      }
    }
    var lowerAgrees = true
    for i in 0..<n {
      for j in 0...i where update[i, j] != general[i, j] { lowerAgrees = false }
    }
    #expect(lowerAgrees)
    // Tiles wholly above the diagonal are not computed: the top-right corner keeps C's value.
    #expect(update[0, n - 1] == c0[0, n - 1])
  }

  @Test("With k = 0 the symmetric update scales C by beta and mirrors its lower triangle")
  func emptyDepth() throws {
    let c0 = uniformMatrix(5, 5, seed: 15)
    var c = c0
    let unused = [Double.nan]
    try unused.withUnsafeBufferPointer { p in
      try c.storage.withUnsafeMutableBufferPointer { pc in
        try GEMM.symmetricRankK(
          n: 5, k: 0, a: p.baseAddress!, lda: 0, beta: 2, c: pc.baseAddress!, ldc: 5)
      }
    }
    for i in 0..<5 {
      for j in 0..<5 { #expect(c[i, j] == 2 * c0[max(i, j), min(i, j)]) }
    }
  }
}

// MARK: - Cholesky and triangular solves

@Suite("Cholesky factorisation")
struct CholeskyTests {
  /// The test matrices have entries of order 1 and condition number of order 10, so backward
  /// errors of order n ulp and solution errors of order n * cond ulp; 1e-11 is a generous
  /// multiple of both for n <= 500.
  static let tolerance = 1e-11

  @Test("L L^T reproduces A to round-off, across several blocks", arguments: [1, 5, 97, 200, 500])
  func reconstructs(n: Int) throws {
    let a = spdMatrix(n, seed: 11)
    let factor = try a.cholesky()
    let l = factor.lower
    for i in 0..<n {
      #expect(l[i, i] > 0)
      for j in (i + 1)..<max(i + 1, n) { #expect(l[i, j] == 0) }
    }
    #expect(maxDifference(try Matrix.product(l, l, transposeB: true), a) <= Self.tolerance)
  }

  @Test("Cholesky solve matches the product to round-off")
  func solveInvertsProduct() throws {
    let a = spdMatrix(150, seed: 12)
    let x = uniformMatrix(150, 7, seed: 13)
    let b = try a.multiplied(by: x)
    #expect(maxDifference(try a.cholesky().solve(b), x) <= Self.tolerance)
  }

  @Test("The factor is bit-identical with one and two threads")
  func threadIndependent() throws {
    let a = spdMatrix(500, seed: 14)
    #expect(try a.cholesky(threads: 1).lower.storage == a.cholesky(threads: 2).lower.storage)
  }

  @Test("The log-determinant of a diagonal matrix is the sum of the logs of its entries")
  func logDeterminant() throws {
    var a = try Matrix(rows: 3, columns: 3)
    a[0, 0] = 2
    a[1, 1] = 3
    a[2, 2] = 0.5
    #expect(abs(try a.cholesky().logDeterminant - log(3)) <= 1e-15)
  }

  @Test("A matrix that is not positive definite throws at the failing pivot, without NaN")
  func notPositiveDefinite() throws {
    // [[1, 2], [2, 1]] has eigenvalues 3 and -1: the second pivot is 1 - 4 = -3.
    let a = try Matrix([[1, 2], [2, 1]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(pivot: 1, value: -3)) {
      try a.cholesky()
    }
    // A rank-deficient Gram matrix past the first block fails at the duplicated row.
    var b = spdMatrix(120, seed: 15)
    for j in 0..<120 {
      b[110, j] = b[100, j]
      b[j, 110] = b[j, 100]
    }
    b[110, 110] = b[100, 100]
    do {
      _ = try b.cholesky()
      Issue.record("a singular matrix was factored")
    } catch {
      guard case .notPositiveDefinite(let pivot, let value) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(pivot == 110)
      #expect(!value.isNaN && value <= 1e-12)
    }
  }

  @Test(
    "Bad input throws typed errors",
    arguments: [
      (try! Matrix(rows: 2, columns: 3), "non-square"),
      (try! Matrix([[1, .nan], [.nan, 1]]), "NaN"),
      (try! Matrix([[1, 0.5], [0, 1]]), "asymmetric"),
    ])
  func badInput(matrix: Matrix, label: String) {
    #expect(throws: LinearAlgebraError.self, "\(label)") { try matrix.cholesky() }
  }
}

@Suite("Triangular solves")
struct TriangularSolveTests {
  /// Well-conditioned triangular systems (diagonal 2 + entries in [-1, 1) / n): errors of order
  /// n ulp.
  static let tolerance = 1e-12

  static func triangular(_ n: Int) -> Matrix {
    var l = uniformMatrix(n, n, seed: 21)
    for i in 0..<n {
      for j in 0..<n { l[i, j] = j > i ? 0 : l[i, j] / Double(n) }
      l[i, i] = 2 + l[i, i]
    }
    return l
  }

  @Test(
    "Forward and back substitution invert L and L^T with many right-hand sides",
    arguments: [1, 63, 130])
  func inverts(n: Int) throws {
    let l = Self.triangular(n)
    let x = uniformMatrix(n, 5, seed: 22)
    let forward = try l.solveLowerTriangular(try l.multiplied(by: x))
    let backward = try l.solveLowerTriangular(
      try Matrix.product(l, x, transposeA: true), transposed: true)
    #expect(maxDifference(forward, x) <= Self.tolerance)
    #expect(maxDifference(backward, x) <= Self.tolerance)
  }

  @Test("A zero on the diagonal or a mismatched right-hand side throws")
  func badInput() {
    var l = Self.triangular(4)
    #expect(throws: LinearAlgebraError.self) {
      try l.solveLowerTriangular(try Matrix(rows: 3, columns: 1))
    }
    l[2, 2] = 0
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
      try l.solveLowerTriangular(try Matrix(rows: 4, columns: 1))
    }
  }
}

// MARK: - Symmetric eigendecomposition

@Suite("Symmetric eigendecomposition")
struct SymmetricEigenTests {
  /// Residuals ||A V - V diag(lambda)|| and ||V^T V - I|| of a backward-stable method are of
  /// order n ulp ||A||; with ||A|| <= n and n <= 150, 1e-10 is a generous multiple.
  static let tolerance = 1e-10

  static func symmetric(_ n: Int, seed: UInt64) -> Matrix {
    let g = uniformMatrix(n, n, seed: seed)
    var a = g
    for i in 0..<n { for j in 0..<n { a[i, j] = g[i, j] + g[j, i] } }
    return a
  }

  @Test(
    "A V = V diag(lambda) and V^T V = I, with ascending values", arguments: [1, 2, 3, 10, 100, 150])
  func decomposes(n: Int) throws {
    let a = Self.symmetric(n, seed: 31)
    let (values, v) = try a.symmetricEigen()
    #expect(values.count == n)
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    var scaled = v
    for i in 0..<n { for j in 0..<n { scaled[i, j] *= values[j] } }
    #expect(maxDifference(try a.multiplied(by: v), scaled) <= Self.tolerance)
    #expect(
      try maxDifference(Matrix.product(v, v, transposeA: true), .identity(n)) <= Self.tolerance)
  }

  @Test("Known spectrum: diag(3, 1, 2) and a repeated eigenvalue are recovered")
  func knownSpectrum() throws {
    let values = try Matrix([[3, 0, 0], [0, 1, 0], [0, 0, 2]]).symmetricEigen().values
    #expect(values == [1, 2, 3])
    // J - I for the 4 x 4 all-ones J has eigenvalues -1 (three times) and 3.
    var a = try Matrix(rows: 4, columns: 4, repeating: 1)
    for i in 0..<4 { a[i, i] = 0 }
    let repeated = try a.symmetricEigen().values
    #expect(zip(repeated, [-1.0, -1, -1, 3]).allSatisfy { abs($0 - $1) <= 1e-14 })
  }

  @Test("The decomposition is bit-identical with one and two threads")
  func threadIndependent() throws {
    let a = Self.symmetric(140, seed: 32)
    let one = try a.symmetricEigen(threads: 1)
    let two = try a.symmetricEigen(threads: 2)
    #expect(one.values == two.values)
    #expect(one.vectors.storage == two.vectors.storage)
  }

  @Test("Non-square, non-finite and asymmetric matrices throw")
  func badInput() {
    #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).symmetricEigen() }
    #expect(throws: LinearAlgebraError.self) {
      try Matrix([[1, .infinity], [.infinity, 1]]).symmetricEigen()
    }
    #expect(throws: LinearAlgebraError.notSymmetric(row: 1, column: 0, difference: -1)) {
      try Matrix([[1, 1], [0, 1]]).symmetricEigen()
    }
  }

  @Test(
    "Of several asymmetric pairs in different 64 x 64 tiles, the error names the first in row order"
  )
  func firstAsymmetricPair() throws {
    var a = Self.symmetric(150, seed: 33)
    // (120, 5) and (100, 90) share a band of 64 rows; a scan tile by tile meets (120, 5) first,
    // the rows meet (100, 90) first. (70, 3) precedes both.
    (a[120, 5], a[5, 120]) = (0.75, 0.25)
    (a[100, 90], a[90, 100]) = (-0.25, 0)
    (a[70, 3], a[3, 70]) = (0, 1)
    #expect(throws: LinearAlgebraError.notSymmetric(row: 70, column: 3, difference: -1)) {
      try a.cholesky()
    }
    a[70, 3] = 1
    #expect(throws: LinearAlgebraError.notSymmetric(row: 100, column: 90, difference: -0.25)) {
      try a.symmetricEigen()
    }
    a[100, 90] = 0
    #expect(throws: LinearAlgebraError.notSymmetric(row: 120, column: 5, difference: 0.5)) {
      try a.symmetricEigen()
    }
  }
}

// MARK: - Haar orthogonal matrices

@Suite("Haar orthogonal sampling")
struct HaarTests {
  /// Householder QR gives Q orthogonal to a few n ulp; 1e-12 covers n <= 200.
  static let orthogonality = 1e-12

  @Test("Q^T Q = I to round-off", arguments: [1, 2, 7, 65, 200])
  func orthogonal(n: Int) throws {
    var generator = SeededGenerator(seed: 41)
    let q = try Matrix.haarOrthogonal(dimension: n, using: &generator)
    #expect(
      try maxDifference(Matrix.product(q, q, transposeA: true), .identity(n)) <= Self.orthogonality)
  }

  @Test("The same seed gives the same matrix")
  func deterministic() throws {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    #expect(
      try Matrix.haarOrthogonal(dimension: 30, using: &a)
        == Matrix.haarOrthogonal(dimension: 30, using: &b))
  }

  @Test("About half of the draws have determinant +1, within a binomial 4-sigma interval")
  func determinantSign() throws {
    // Haar measure on O(3) gives each component, det = +1 and det = -1, probability 1/2.
    var generator = SeededGenerator(seed: 43)
    let draws = 400
    var positive = 0
    for _ in 0..<draws {
      let q = try Matrix.haarOrthogonal(dimension: 3, using: &generator)
      let det =
        q[0, 0] * (q[1, 1] * q[2, 2] - q[1, 2] * q[2, 1])
        - q[0, 1] * (q[1, 0] * q[2, 2] - q[1, 2] * q[2, 0])
        + q[0, 2] * (q[1, 0] * q[2, 1] - q[1, 1] * q[2, 0])
      #expect(abs(abs(det) - 1) <= 1e-14)
      if det > 0 { positive += 1 }
    }
    // Binomial(400, 1/2): mean 200, standard deviation 10.
    #expect(abs(positive - 200) <= 40)
  }

  @Test(
    "An entry has mean 0 and variance 1/d within 4 standard errors", arguments: [(0, 0), (7, 2)])
  func entryMoments(entry: (Int, Int)) throws {
    // The entries of a Haar matrix are those of a uniform unit vector: E q = 0, E q^2 = 1/d,
    // E q^4 = 3 / (d (d + 2)). Totals over a whole matrix are fixed (sum of squares = d), so
    // each claim follows one entry across independent draws.
    var generator = SeededGenerator(seed: 44)
    let d = 8
    let draws = 400
    var sum = 0.0
    var sumSquares = 0.0
    for _ in 0..<draws {
      let x = try Matrix.haarOrthogonal(dimension: d, using: &generator)[entry.0, entry.1]
      sum += x
      sumSquares += x * x
    }
    let n = Double(draws)
    let dd = Double(d)
    let meanError = (1 / dd / n).squareRoot()
    let squareError = ((3 / (dd * (dd + 2)) - 1 / (dd * dd)) / n).squareRoot()
    #expect(abs(sum / n) <= 4 * meanError)
    #expect(abs(sumSquares / n - 1 / dd) <= 4 * squareError)
  }
}
