import Learners
import Symmetries

/// The exact probe of a random learner's algorithmic invariance by acting on the model: train
/// on g.S from theta and on S from the transported theta' (M(theta', x) = M(theta, g x)), with
/// the same optimiser, steps and batch order, and compare the predictors f_{g.S}(g x*) and
/// f_S(x*) on test images x*.
///
/// When the optimiser commutes with the transport (gradient descent and SGD with every lift;
/// Adam only with coordinate permutations), the two runs coincide step by step up to round-off,
/// and since theta' has the same N(0, 1) distribution as theta, the learner is algorithmically
/// invariant in distribution. A large deviation shows the optimiser breaks the transport.
public struct TransportProbe: Sendable {
  /// The optimiser of both runs.
  public var optimizer: Optimizer
  /// Optimiser steps.
  public var steps: Int
  /// The minibatch order of both runs.
  public var batchSeed: UInt64

  /// A probe training by `optimizer` for `steps` steps, minibatches ordered by `batchSeed`.
  public init(optimizer: Optimizer, steps: Int, batchSeed: UInt64 = 0) {
    self.optimizer = optimizer
    self.steps = steps
    self.batchSeed = batchSeed
  }

  /// Trains both runs and measures the deviation of their test predictions and losses.
  ///
  /// - Throws: `FiniteError` for bad data or a diverging run, `SymmetryError` when g cannot act
  ///   on the images.
  /// - Complexity: two trainings and one transport.
  public func measure(
    _ network: FiniteNetwork, under action: any GroupAction, train: ImageBatch, targets: Matrix,
    test: ImageBatch
  ) throws -> TransportMeasurement {
    let transport = try network.transported(by: action)
    guard let transported = transport.network else {
      if case .doesNotLift(let reason) = transport {
        return TransportMeasurement(lifts: false, deviation: nil, reason: reason)
      }
      preconditionFailure("internal: a transport either lifts or has a reason")
    }
    let moved = try network.trained(
      on: action.apply(to: train), targets: targets, optimizer: optimizer, steps: steps,
      seed: batchSeed)
    let original = try transported.trained(
      on: train, targets: targets, optimizer: optimizer, steps: steps, seed: batchSeed)
    let predictions = relativeDeviation(
      try moved.network.predictions(action.apply(to: test)).storage,
      try original.network.predictions(test).storage)
    let losses = relativeDeviation(moved.losses, original.losses)
    return TransportMeasurement(lifts: true, deviation: max(predictions, losses), reason: nil)
  }
}

/// What the transport probe found.
public struct TransportMeasurement: Sendable, Hashable, Codable {
  /// Whether the action lifts to the architecture's own parameters.
  public var lifts: Bool
  /// The relative deviation (`relativeDeviation`) between the two runs' test predictions and
  /// loss curves, the larger of the two; nil when the action does not lift.
  public var deviation: Double?
  /// Why the action does not lift, nil when it does.
  public var reason: String?
}
