import Foundation
import Symmetries

/// A trained network and the loss along the way.
public struct TrainingRun: Sendable {
  /// The network after the last step.
  public let network: FiniteNetwork
  /// The loss on the step's (mini)batch before each step, then the full training loss after
  /// the last step.
  public let losses: [Double]
  /// The steps taken (the cap, or fewer when a `FittingRule` stopped the run).
  public var stepsTaken: Int { losses.count - 1 }
  /// Whether the run met its `FittingRule`; nil when it had none.
  public let fitted: Bool?
}

extension FiniteNetwork {
  /// A loss above this multiple of the initial loss counts as divergence: a stable run never
  /// increases the loss by six orders of magnitude, while a diverging one overflows within tens
  /// of steps once past it.
  public static let divergenceFactor = 1e6

  /// Trains on (images, targets) for `steps` steps of `optimizer`, or until `rule` finds the
  /// training set fitted (`steps` is then the cap), and returns the trained network; `seed`
  /// fixes the minibatch order (unused by full-batch optimisers).
  ///
  /// The loss is `lossAndGradient`'s (half the mean squared error, e.g. on centred one-hot
  /// targets). Two runs with the same seed see the same batches in the same order, whatever
  /// the network. Deterministic by seed, whatever `threads`.
  ///
  /// - Parameter images: the training images.
  /// - Parameter targets: the training targets, one row per image.
  /// - Parameter optimizer: the update rule and its learning rate (and batch size).
  /// - Parameter steps: the number of optimiser steps, or their cap with `rule`.
  /// - Parameter rule: stops training once the training set is fitted; nil trains `steps` steps.
  /// - Parameter seed: the minibatch order.
  /// - Parameter threads: threads of the matrix products (the result does not depend on them).
  /// - Parameter progress: called with (step, loss) after each step.
  /// - Throws: `.targetMismatch`, `.shapeMismatch`, `.invalidHyperparameter`, and
  ///   `.diverged(step:loss:)` as soon as the loss is NaN, infinite or above `divergenceFactor`
  ///   times its initial value (the parameters are then never returned).
  /// - Complexity: `steps` forward and backward passes over a batch.
  public func trained(
    on images: ImageBatch, targets: Matrix, optimizer: Optimizer, steps: Int,
    until rule: FittingRule? = nil, seed: UInt64 = 0, threads: Int = GEMM.defaultThreadCount,
    progress: ((Int, Double) -> Void)? = nil
  ) throws(FiniteError) -> TrainingRun {
    try check(images, targets: targets)
    try optimizer.validate(count: images.count)
    guard steps >= 0 else {
      throw .invalidHyperparameter("the step count must be non-negative, got \(steps)")
    }
    guard images.count > 0 else {
      throw .invalidHyperparameter("training needs at least one image")
    }
    var network = self
    var batches = BatchOrder(count: images.count, batchSize: optimizer.batchSize, seed: seed)
    var firstMoment = [Double](repeating: 0, count: parameterCount)
    var secondMoment = firstMoment
    var losses: [Double] = []
    losses.reserveCapacity(steps + 1)
    var workspace = Workspace(
      self, count: Swift.min(chunkSize, optimizer.batchSize ?? images.count))
    let interval = rule?.interval(count: images.count, optimizer: optimizer) ?? 0
    let everything = Array(0..<images.count)
    var final: Double? = nil
    for step in 0..<steps {
      let batch = batches.next()
      var gradient = [Double](repeating: 0, count: parameterCount)
      let loss = network.evaluate(
        images, targets: targets, indices: batch, gradient: &gradient, workspace: &workspace,
        threads: threads)
      try Self.checkDivergence(loss, step: step, initial: losses.first ?? loss)
      losses.append(loss)
      network.update(
        with: gradient, optimizer: optimizer, step: step + 1, firstMoment: &firstMoment,
        secondMoment: &secondMoment)
      progress?(step, loss)
      if let rule, (step + 1) % interval == 0 {
        let epochMean = losses.suffix(interval).reduce(0, +) / Double(interval)
        if 2 * epochMean <= rule.trainMSE {
          var unused: [Double] = []
          let full = network.evaluate(
            images, targets: targets, indices: everything, gradient: &unused, threads: threads)
          if 2 * full <= rule.trainMSE {
            final = full
            break
          }
        }
      }
    }
    if final == nil {
      var unused: [Double] = []
      final = network.evaluate(
        images, targets: targets, indices: everything, gradient: &unused, threads: threads)
    }
    let last = final!
    try Self.checkDivergence(last, step: losses.count, initial: losses.first ?? last)
    losses.append(last)
    return TrainingRun(
      network: network, losses: losses, fitted: rule.map { 2 * last <= $0.trainMSE })
  }

  private static func checkDivergence(_ loss: Double, step: Int, initial: Double)
    throws(FiniteError)
  {
    guard loss.isFinite, loss <= divergenceFactor * Swift.max(initial, .leastNormalMagnitude) else {
      throw .diverged(step: step, loss: loss)
    }
  }

  /// One optimiser step at time t = `step` (1-based, for Adam's bias correction).
  /// - Complexity: O(number of parameters).
  private mutating func update(
    with gradient: [Double], optimizer: Optimizer, step: Int, firstMoment: inout [Double],
    secondMoment: inout [Double]
  ) {
    let rate = optimizer.learningRate
    parameters.withUnsafeMutableBufferPointer { theta in
      gradient.withUnsafeBufferPointer { g in
        switch optimizer {
        case .gradientDescent, .sgd:
          for i in 0..<theta.count { theta[i] -= rate * g[i] }
        case .adam(_, _, let beta1, let beta2, let epsilon):
          let correction1 = 1 - pow(beta1, Double(step))
          let correction2 = 1 - pow(beta2, Double(step))
          firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
              for i in 0..<theta.count {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / correction1
                let vHat = v[i] / correction2
                theta[i] -= rate * mHat / (vHat.squareRoot() + epsilon)
              }
            }
          }
        }
      }
    }
  }
}

/// The order in which training images are visited: all of them every step for full batches;
/// for minibatches, consecutive slices of a fresh seeded permutation per epoch.
struct BatchOrder {
  let count: Int
  let batchSize: Int?
  var generator: SeededGenerator
  var permutation: [Int] = []
  var position = 0

  init(count: Int, batchSize: Int?, seed: UInt64) {
    self.count = count
    self.batchSize = batchSize
    generator = SeededGenerator(seed: seed)
  }

  mutating func next() -> [Int] {
    guard let batchSize else { return Array(0..<count) }
    if position + batchSize > permutation.count {
      permutation = generator.permutation(uncheckedCount: count)
      position = 0
    }
    defer { position += batchSize }
    return Array(permutation[position..<(position + batchSize)])
  }
}
