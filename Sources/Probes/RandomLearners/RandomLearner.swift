import Learners
import Symmetries

/// A learner whose training is random and seeded: the predictions at test images x* of the
/// predictor it trains on (X, Y) from `seed`. Different seeds give independent draws of the
/// learner's randomness (initialisation, batches, random features); one seed gives one run, so
/// a run is a deterministic function of its inputs.
///
/// This is what `LearnerInvarianceProbe` needs to ask whether the learner is algorithmically
/// invariant in distribution (f_{g.S}(g x*) against f_S(x*) over seeds) and functionally
/// invariant (one trained predictor at g x* against x*). A Swift learner conforms in a few
/// lines, or through `SeededLearner`; a program in any language through `CommandLearner`.
public protocol RandomLearner: Sendable {
  /// A short name for reports.
  var name: String { get }

  /// The (m x k) predictions at `test` (m images) of the learner trained on `train` with
  /// `targets` (n x k) from `seed`.
  /// - Parameter train: the training images (n of them).
  /// - Parameter targets: the training targets (n x k).
  /// - Parameter test: the images to predict at (m of them).
  /// - Parameter seed: the seed of the learner's randomness.
  /// - Parameter run: which run of a probe this is, for messages and caches.
  func predictions(
    train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64, run: LearnerRun
  ) throws
    -> Matrix
}

/// One run of a probe: its arm (`S`, or `g2.S` for the model trained on element 2's moved
/// data), its pair index and its seed.
public struct LearnerRun: Sendable, Hashable, CustomStringConvertible {
  /// `S`, or `gE.S` for the arm trained on element E's moved data.
  public var arm: String
  /// The pair index r.
  public var pair: Int
  /// The seed the learner is run with.
  public var seed: UInt64

  /// The run of `arm` in pair `pair` with `seed`.
  public init(arm: String, pair: Int, seed: UInt64) {
    self.arm = arm
    self.pair = pair
    self.seed = seed
  }

  public var description: String { "run \(pair) of arm \(arm) (seed \(seed))" }
}

/// A `RandomLearner` from a Swift `Learner` built per seed: `SeededLearner(name: "ridge") {
/// seed in MyLearner(seed: seed) }`.
public struct SeededLearner: RandomLearner {
  public let name: String
  let make: @Sendable (UInt64) throws -> any Learner

  /// The learner `make(seed)` for each run's seed, called `name` in reports.
  public init(name: String, _ make: @escaping @Sendable (UInt64) throws -> any Learner) {
    self.name = name
    self.make = make
  }

  public func predictions(
    train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64, run: LearnerRun
  )
    throws -> Matrix
  {
    try make(seed).fit(train, targets: targets).predict(test)
  }
}
