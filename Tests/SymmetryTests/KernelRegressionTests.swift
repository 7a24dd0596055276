import Foundation
import Learners
import Symmetries
import Testing

@Suite("Kernel regression")
struct KernelRegressionTests {
  /// The kernels below have eigenvalues in about [0.5, 5], so solves lose at most a factor 10
  /// over round-off: 1e-10 is far above the error and far below any modelling difference.
  static let tolerance = 1e-10

  /// A linear-plus-noise kernel on random features: K = X X^T / d + 0.5 I on n training points,
  /// K* = X* X^T / d for m test points, and targets Y (n x k).
  static func problem(n: Int = 30, m: Int = 12, k: Int = 2, seed: UInt64 = 7)
    -> (trainTrain: Matrix, testTrain: Matrix, targets: Matrix)
  {
    var generator = SeededGenerator(seed: seed)
    let d = 10
    let x = try! Matrix(rows: n, columns: d, storage: generator.gaussians(n * d))
    let xTest = try! Matrix(rows: m, columns: d, storage: generator.gaussians(m * d))
    var trainTrain = try! Matrix.product(x, x, transposeB: true)
    var testTrain = try! Matrix.product(xTest, x, transposeB: true)
    for i in trainTrain.storage.indices { trainTrain.storage[i] /= Double(d) }
    for i in testTrain.storage.indices { testTrain.storage[i] /= Double(d) }
    for i in 0..<n { trainTrain[i, i] += 0.5 }
    let targets = try! Matrix(rows: n, columns: k, storage: generator.gaussians(n * k))
    return (trainTrain, testTrain, targets)
  }

  /// Solves A X = B by Gauss-Jordan elimination with partial pivoting: an independent reference.
  static func directSolve(_ a: Matrix, _ b: Matrix) -> Matrix {
    let n = a.rows
    var m = a
    var x = b
    for column in 0..<n {
      let pivot = (column..<n).max { abs(m[$0, column]) < abs(m[$1, column]) }!
      for j in 0..<n { (m[column, j], m[pivot, j]) = (m[pivot, j], m[column, j]) }
      for j in 0..<x.columns { (x[column, j], x[pivot, j]) = (x[pivot, j], x[column, j]) }
      for row in 0..<n where row != column {
        let factor = m[row, column] / m[column, column]
        for j in 0..<n { m[row, j] -= factor * m[column, j] }
        for j in 0..<x.columns { x[row, j] -= factor * x[column, j] }
      }
    }
    for row in 0..<n { for j in 0..<x.columns { x[row, j] /= m[row, row] } }
    return x
  }

  static func maxDifference(_ x: Matrix, _ y: Matrix) -> Double {
    zip(x.storage, y.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  @Test(
    "The posterior mean equals K* (K + r trace(K)/n I)^{-1} Y by a direct solve",
    arguments: [0.0, 0.1])
  func posteriorMeanIsDirectSolve(diagReg: Double) throws {
    let (k, kStar, y) = Self.problem()
    var ridged = k
    for i in 0..<k.rows { ridged[i, i] += diagReg * k.trace / Double(k.rows) }
    let expected = try kStar.multiplied(by: Self.directSolve(ridged, y))
    let predicted = try KernelRegression.posteriorMean(
      trainTrain: k, testTrain: kStar, targets: y, diagReg: diagReg)
    #expect(Self.maxDifference(predicted, expected) <= Self.tolerance)
  }

  @Test("With zero ridge the posterior mean interpolates the training targets")
  func interpolates() throws {
    let (k, _, y) = Self.problem()
    let onTrain = try KernelRegression.posteriorMean(trainTrain: k, testTrain: k, targets: y)
    #expect(Self.maxDifference(onTrain, y) <= Self.tolerance)
  }

  @Test(
    "The finite-time predictor equals K* K^{-1} (I - exp(-eta t K / (n k))) Y",
    arguments: [0.5, 40.0])
  func finiteTimeMatchesFormula(time: Double) throws {
    let (k, kStar, y) = Self.problem(n: 20, m: 5, k: 3)
    let learningRate = 2.0
    // exp(-A) by its Taylor series (the spectrum of A = eta t K / (n k) is at most about 7 here,
    // so 80 terms leave a remainder far below round-off) as an independent reference.
    let n = k.rows
    var a = k
    for i in a.storage.indices { a.storage[i] *= learningRate * time / Double(n * y.columns) }
    var term = try Matrix.identity(n)
    var exponential = try Matrix.identity(n)
    for order in 1...80 {
      term = try term.multiplied(by: a)
      for i in term.storage.indices { term.storage[i] /= -Double(order) }
      for i in exponential.storage.indices { exponential.storage[i] += term.storage[i] }
    }
    var complement = try Matrix.identity(n)
    for i in complement.storage.indices { complement.storage[i] -= exponential.storage[i] }
    let expected = try kStar.multiplied(by: Self.directSolve(k, try complement.multiplied(by: y)))
    let predicted = try KernelRegression.gradientFlow(
      trainTrain: k, testTrain: kStar, targets: y, time: time, learningRate: learningRate)
    #expect(Self.maxDifference(predicted, expected) <= Self.tolerance)
  }

  @Test("At t = 0 the gradient-flow prediction is exactly zero")
  func zeroTime() throws {
    let (k, kStar, y) = Self.problem()
    let predicted = try KernelRegression.gradientFlow(
      trainTrain: k, testTrain: kStar, targets: y, time: 0)
    #expect(predicted.storage.allSatisfy { $0 == 0 })
  }

  @Test("At large t the finite-time predictor tends to the t = infinity one")
  func largeTimeLimit() throws {
    let (k, kStar, y) = Self.problem()
    // Smallest eigenvalue >= 0.5 and n k = 60, so exp(-0.5 t / 60) < 1e-40 at t = 1e4.
    let finite = try KernelRegression.gradientFlow(
      trainTrain: k, testTrain: kStar, targets: y, time: 1e4)
    let infinite = try KernelRegression.gradientFlow(
      trainTrain: k, testTrain: kStar, targets: y, time: nil)
    let posterior = try KernelRegression.posteriorMean(trainTrain: k, testTrain: kStar, targets: y)
    #expect(Self.maxDifference(finite, infinite) <= Self.tolerance)
    #expect(infinite == posterior)
  }

  @Test("A kernel that is not positive definite throws with its pivot, never NaN")
  func notPositiveDefinite() throws {
    // A rank-one kernel: the second pivot is exactly zero.
    let features = try Matrix([[1], [2], [3]])
    let k = try Matrix.product(features, features, transposeB: true)
    let y = try Matrix([[1], [0], [1]])
    do {
      _ = try KernelRegression.posteriorMean(trainTrain: k, testTrain: k, targets: y)
      Issue.record("a singular kernel was accepted")
    } catch {
      guard case .notPositiveDefinite(let pivot, let value) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(pivot == 1)
      #expect(!value.isNaN)
      #expect(error.description.contains("diag_reg"))
    }
    // The suggested ridge fixes it.
    let ridged = try KernelRegression.posteriorMean(
      trainTrain: k, testTrain: k, targets: y, diagReg: 1e-6)
    #expect(ridged.storage.allSatisfy { $0.isFinite })
  }

  @Test("Mismatched shapes and bad scalars throw typed errors")
  func badInput() throws {
    let (k, kStar, y) = Self.problem(n: 6, m: 2, k: 1)
    let wrongTargets = try Matrix(rows: 5, columns: 1)
    let wrongTest = try Matrix(rows: 2, columns: 5)
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.posteriorMean(trainTrain: k, testTrain: kStar, targets: wrongTargets)
    }
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.posteriorMean(trainTrain: k, testTrain: wrongTest, targets: y)
    }
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.posteriorMean(trainTrain: kStar, testTrain: kStar, targets: y)
    }
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.gradientFlow(trainTrain: k, testTrain: kStar, targets: y, time: -1)
    }
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.posteriorMean(trainTrain: k, testTrain: kStar, targets: y, diagReg: .nan)
    }
    var nanTargets = y
    nanTargets[0, 0] = .nan
    #expect(throws: LinearAlgebraError.self) {
      try KernelRegression.gradientFlow(
        trainTrain: k, testTrain: kStar, targets: nanTargets, time: 1)
    }
  }
}
