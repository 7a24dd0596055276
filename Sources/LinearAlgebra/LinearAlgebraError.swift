/// What went wrong in a linear-algebra routine, with what to do about it.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Operand dimensions do not fit together.
  case dimensionMismatch(String)
  /// A Cholesky factorisation met a non-positive pivot: the matrix is not positive definite.
  case notPositiveDefinite(pivot: Int, value: Double)
  /// A matrix that must be symmetric is not: entries (row, column) and (column, row) differ.
  case notSymmetric(row: Int, column: Int, difference: Double)
  /// A triangular matrix has a zero on its diagonal, so the system has no unique solution.
  case singular(pivot: Int)
  /// An entry is NaN or infinite.
  case nonFinite(String)
  /// A scalar argument is out of its domain (a negative time, a NaN learning rate, ...).
  case invalidArgument(String)
  /// An iterative method did not converge.
  case noConvergence(String)

  public var description: String {
    switch self {
    case .dimensionMismatch(let message):
      return "dimension mismatch: \(message)"
    case .notPositiveDefinite(let pivot, let value):
      return "matrix is not positive definite: pivot \(pivot) is \(value); "
        + "add a ridge (e.g. diag_reg = 1e-6, which adds diag_reg * trace(K) / n to the diagonal)"
    case .notSymmetric(let row, let column, let difference):
      return
        "matrix is not symmetric: entries (\(row), \(column)) and (\(column), \(row)) differ by "
        + "\(difference); pass (A + A^T) / 2 if the asymmetry is round-off"
    case .singular(let pivot):
      return "triangular matrix is singular: diagonal entry \(pivot) is zero"
    case .nonFinite(let message):
      return "non-finite value: \(message)"
    case .invalidArgument(let message):
      return "invalid argument: \(message)"
    case .noConvergence(let message):
      return "no convergence: \(message)"
    }
  }
}
