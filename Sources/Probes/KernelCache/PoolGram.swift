import Learners
import Symmetries

/// One learner's Gram matrices over a pool of training images and the test set: everything
/// kernel regression needs for any training set drawn from the pool.
///
/// A training set is an index set I into the pool; its train-train matrix is the block
/// K[I, I] of `trainTrain` and its test-train matrix the columns I of `testTrain`, so one entry
/// serves every training-set size and every repeat.
public struct PoolGram: Sendable, Equatable {
  /// K(pool, pool), NNGP and NTK, U x U.
  public var trainTrain: KernelMatrices
  /// K(test, pool), NNGP and NTK, T x U.
  public var testTrain: KernelMatrices

  /// The Gram matrices, given.
  public init(trainTrain: KernelMatrices, testTrain: KernelMatrices) {
    self.trainTrain = trainTrain
    self.testTrain = testTrain
  }

  /// Computes both blocks of `kernel` on `pool` and `test`.
  /// - Complexity: U (U + 1) / 2 + T U kernel entries.
  public init(kernel: any KernelFunction, pool: ImageBatch, test: ImageBatch) throws {
    self.init(trainTrain: try kernel.kernels(pool, nil), testTrain: try kernel.kernels(test, pool))
  }

  /// The pool size U.
  public var poolCount: Int { trainTrain.nngp.rows }
  /// The test-set size T.
  public var testCount: Int { testTrain.nngp.rows }

  /// The train-train and test-train matrices of `kind` for the training set at pool positions
  /// `indices`, in that order.
  /// - Complexity: O(n^2 + T n) copies for n = indices.count.
  func slice(_ kind: KernelKind, indices: [Int]) -> (trainTrain: Matrix, testTrain: Matrix) {
    let square = kind.matrix(of: trainTrain)
    let rectangle = kind.matrix(of: testTrain)
    let n = indices.count
    var train = Matrix(uncheckedRows: n, columns: n)
    var test = Matrix(uncheckedRows: rectangle.rows, columns: n)
    let u = square.columns
    for (a, i) in indices.enumerated() {
      for (b, j) in indices.enumerated() { train.storage[a * n + b] = square.storage[i * u + j] }
    }
    for t in 0..<rectangle.rows {
      for (b, j) in indices.enumerated() { test.storage[t * n + b] = rectangle.storage[t * u + j] }
    }
    return (train, test)
  }
}
