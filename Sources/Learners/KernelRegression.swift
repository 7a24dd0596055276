import Foundation
import Symmetries

/// Kernel regression predictors from precomputed Gram matrices, in neural-tangents' conventions.
///
/// With the train-train kernel K (n x n), the test-train kernel K* (m x n) and targets Y (n x k):
/// - the NNGP posterior mean, which is also the NTK gradient-flow predictor at t = infinity, is
///   K* (K + r I)^{-1} Y;
/// - the NTK gradient-flow predictor at time t, from a zero function at t = 0, under the loss
///   0.5 * mean((f - Y)^2) over all n k outputs (neural-tangents' `gradient_descent_mse`), is
///   f_t = K* K^{-1} (I - exp(-eta t K / (n k))) Y.
///
/// The ridge follows `diag_reg_absolute_scale = False`: r = diagReg * trace(K) / n, so diagReg is
/// relative to the mean diagonal of K. Matrices are plain `Matrix` values; kernels are computed
/// elsewhere.
///
/// Reference: neural-tangents, `nt.predict.gradient_descent_mse` and `gp_inference`; Jacot et
/// al., "Neural Tangent Kernel" (2018); Lee et al., "Wide Neural Networks of Any Depth Evolve as
/// Linear Models Under Gradient Descent" (2019).
public enum KernelRegression {
  /// The posterior mean K* (K + r I)^{-1} Y with r = diagReg * trace(K) / n, by Cholesky.
  ///
  /// - Throws: `.dimensionMismatch` for incompatible shapes, `.nonFinite` for NaN or infinite
  ///   entries, `.invalidArgument` for a negative or non-finite diagReg, `.notSymmetric` for an
  ///   asymmetric K, and `.notPositiveDefinite(pivot:value:)` when K + r I is not positive
  ///   definite (its description suggests a ridge).
  /// - Complexity: O(n^3 / 3 + n^2 k + m n k).
  public static func posteriorMean(
    trainTrain: Matrix, testTrain: Matrix, targets: Matrix, diagReg: Double = 0,
    threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    try validate(trainTrain: trainTrain, testTrain: testTrain, targets: targets, diagReg: diagReg)
    let factor = try regularised(trainTrain, diagReg: diagReg).cholesky(threads: threads)
    let coefficients = try factor.solve(targets, threads: threads)
    return try testTrain.multiplied(by: coefficients, threads: threads)
  }

  /// The NTK gradient-flow predictor at `time` (nil for t = infinity) from a zero initial
  /// function: K* V diag(phi(lambda)) V^T Y with K + r I = V diag(lambda) V^T and
  /// phi(lambda) = (1 - exp(-lambda s)) / lambda, s = learningRate * time / (n k).
  ///
  /// As in neural-tangents, time is in units of the learning rate (only their product
  /// matters), negative eigenvalues (round-off in a semidefinite K) are clamped to zero in the
  /// exponent, so they contribute nothing, and phi(0) is its limit s. At t = infinity this is
  /// `posteriorMean` (computed by Cholesky, so K + r I must be positive definite).
  ///
  /// - Throws: as `posteriorMean`, plus `.invalidArgument` for a negative or non-finite time or
  ///   a non-positive or non-finite learning rate, and `.noConvergence` from the eigensolver.
  /// - Complexity: O(n^3) for the eigendecomposition, plus O(n^2 k + m n k).
  public static func gradientFlow(
    trainTrain: Matrix, testTrain: Matrix, targets: Matrix, time: Double?,
    learningRate: Double = 1, diagReg: Double = 0, threads: Int = GEMM.defaultThreadCount
  ) throws(LinearAlgebraError) -> Matrix {
    guard learningRate.isFinite, learningRate > 0 else {
      throw .invalidArgument("the learning rate must be positive and finite, got \(learningRate)")
    }
    guard let time else {
      return try posteriorMean(
        trainTrain: trainTrain, testTrain: testTrain, targets: targets, diagReg: diagReg,
        threads: threads)
    }
    guard time.isFinite, time >= 0 else {
      throw .invalidArgument(
        "the training time must be finite and non-negative, got \(time); pass nil for t = infinity")
    }
    try validate(trainTrain: trainTrain, testTrain: testTrain, targets: targets, diagReg: diagReg)
    let n = trainTrain.rows
    let k = targets.columns
    let (values, vectors) = try regularised(trainTrain, diagReg: diagReg).symmetricEigen(
      threads: threads)
    let s = learningRate * time / Double(max(1, n * k))
    // Eigen-coordinates of Y, scaled by phi(lambda), mapped back.
    var projected = try Matrix.product(vectors, targets, transposeA: true, threads: threads)
    for i in 0..<n {
      let lambda = values[i]
      let phi = lambda > 0 ? -expm1(-lambda * s) / lambda : (lambda == 0 ? s : 0)
      for j in 0..<k { projected[i, j] *= phi }
    }
    let coefficients = try vectors.multiplied(by: projected, threads: threads)
    return try testTrain.multiplied(by: coefficients, threads: threads)
  }

  /// K + diagReg * trace(K) / n * I (neural-tangents' relative ridge).
  ///
  /// - Complexity: O(n^2) (one copy).
  public static func regularised(_ trainTrain: Matrix, diagReg: Double) -> Matrix {
    let n = trainTrain.rows
    if diagReg == 0 || n == 0 { return trainTrain }
    let ridge = diagReg * trainTrain.trace / Double(n)
    var result = trainTrain
    for i in 0..<min(n, trainTrain.columns) { result[i, i] += ridge }
    return result
  }

  /// Shapes, finiteness and the ridge, checked before any work.
  private static func validate(
    trainTrain: Matrix, testTrain: Matrix, targets: Matrix, diagReg: Double
  ) throws(LinearAlgebraError) {
    let n = trainTrain.rows
    guard trainTrain.columns == n else {
      throw .dimensionMismatch(
        "the train-train kernel must be square, got \(n) x \(trainTrain.columns)")
    }
    guard testTrain.columns == n else {
      throw .dimensionMismatch(
        "the test-train kernel has \(testTrain.columns) columns but there are \(n) training points; "
          + "pass K(x_test, x_train) as m x \(n)")
    }
    guard targets.rows == n else {
      throw .dimensionMismatch(
        "the targets have \(targets.rows) rows but there are \(n) training points; pass n x k targets"
      )
    }
    guard diagReg.isFinite, diagReg >= 0 else {
      throw .invalidArgument("diagReg must be finite and non-negative, got \(diagReg)")
    }
    for (matrix, role) in [
      (trainTrain, "train-train kernel"), (testTrain, "test-train kernel"), (targets, "targets"),
    ] {
      if let index = matrix.storage.firstIndex(where: { !$0.isFinite }) {
        throw .nonFinite(
          "\(role) entry (\(index / max(1, matrix.columns)), \(index % max(1, matrix.columns))) "
            + "is \(matrix.storage[index])")
      }
    }
  }
}
