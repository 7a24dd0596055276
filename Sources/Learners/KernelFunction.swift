import Symmetries

/// Something that has NNGP and NTK kernels on images: an infinite-width architecture, a Monte
/// Carlo or empirical kernel of a finite network, or a user's closure.
///
/// Laws a conformer keeps: `kernels(x, nil)` is the symmetric train-train Gram matrix of x
/// (equal to `kernels(x, x)`); entry (i, j) depends only on images i and j; kernel regression
/// accepts any conformer.
public protocol KernelFunction: Sendable {
  /// The n1 x n2 NNGP and NTK Gram matrices between `x1` and `x2`, or the symmetric n1 x n1
  /// matrices of `x1` with itself when `x2` is nil.
  func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices
}

extension KernelFunction {
  /// The block (rows, columns) of the Gram matrices between `x1` and `x2` (or `x1` with itself),
  /// computed alone.
  ///
  /// A block on the diagonal of the symmetric case (`x2` nil, rows == columns) is computed as a
  /// symmetric Gram matrix.
  /// - Complexity: that of `kernels` on `rows.count` and `columns.count` images.
  public func kernels(
    _ x1: ImageBatch, _ x2: ImageBatch?, rows: Range<Int>, columns: Range<Int>
  ) throws -> KernelMatrices {
    let second = x2 ?? x1
    guard rows.lowerBound >= 0, rows.upperBound <= x1.count, columns.lowerBound >= 0,
      columns.upperBound <= second.count
    else {
      throw KernelError.blockOutOfRange(
        rows: rows, columns: columns, rowCount: x1.count, columnCount: second.count)
    }
    if x2 == nil, rows == columns {
      return try kernels(x1.selecting(rows), nil)
    }
    return try kernels(x1.selecting(rows), second.selecting(columns))
  }
}
