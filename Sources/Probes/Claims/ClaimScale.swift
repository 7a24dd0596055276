import Learners

/// The scale a claims run measures at: what `swift test` affords, the 8 x 8 report, the
/// 16 x 16 report.
///
/// Every scale draws 10 paired repeats (training subsets of one pool, one group element per
/// action shared by all learners); the pool is about twice the largest training set, so the
/// pool Grams cost the same whatever the number of repeats and the repeats' spread is the
/// spread over training subsets of that pool.
public enum ClaimScale: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
  /// CIFAR-10 at 4 x 4, m = 16..64 from a pool of 128, 100 test images, NNGP: what an
  /// unoptimised `swift test` runs in seconds.
  case small
  /// CIFAR-10 at 8 x 8, m = 16..1,024 (CNN-GAP to 512) from a pool of 2,048, all 1,000 test
  /// images, NNGP and NTK.
  case medium
  /// CIFAR-10 at 16 x 16, otherwise as `medium`.
  case large

  public var description: String { rawValue }

  /// The paired repeats at every scale.
  public static let repeats = 10

  /// The ridges (relative to the mean diagonal) at which the natural-image curves are also
  /// solved, beside the default, for the ridge sensitivity table and the natural-image claims'
  /// verdicts at each ridge.
  public static let sensitivityRidges = [1e-4, 1e-2]

  /// The learning-curve experiment behind the claims at this scale.
  public var experiment: LearningCurveExperiment {
    var experiment = LearningCurveExperiment()
    experiment.dataActions = ["none", "orthogonal", "pixel-permutation", "patch-shuffle:2"].map {
      try! CurveAction(parsing: $0)
    }
    experiment.modelActions = [.orthogonalSymmetrisation]
    experiment.repeats = Self.repeats
    experiment.sensitivityRidges = Set([experiment.diagReg] + Self.sensitivityRidges).sorted()
    switch self {
    case .small:
      experiment.size = 4
      experiment.trainSizes = [16, 32, 64]
      experiment.poolSize = 128
      experiment.testCount = 100
      experiment.kinds = [.nngp]
      experiment.symmetrisationDraws = 2
    case .medium, .large:
      experiment.size = self == .medium ? 8 : 16
      experiment.trainSizes = [16, 32, 64, 128, 256, 512, 1024]
      experiment.gapMaxTrainSize = 512
      experiment.poolSize = 2048
      experiment.testCount = 1000
      experiment.kinds = [.nngp, .ntk]
      experiment.symmetrisationDraws = 4
    }
    return experiment
  }

  /// The experiment behind the finite-network claims (5a-5c, 4b) at this scale: the scale's
  /// pool, repeats, sizes and test set (so the natural-image LCN = CNN-VEC pool Gram is the one
  /// the kernel claims use, read from the cache), CNN-VEC and LCN under no action and a
  /// per-pixel channel rotation, and finite CNN-VEC trained by SGD at the one size the claims
  /// are decided at.
  ///
  /// - small: width 4, 200 steps at rate 1 on m = 16 at 4 x 4 (seconds in an unoptimised build).
  /// - medium, large: the `curves --finite` recipe of docs/curves.md (width 32, NTK
  ///   parameterisation, centred, SGD rate 2, batch 32, 50 epochs: 800 steps) at m = 512.
  public var finiteExperiment: LearningCurveExperiment {
    var experiment = self.experiment
    experiment.architectures = [.cnnVec, .lcn]
    experiment.dataActions = [.none, try! CurveAction(parsing: "pixelwise-channel-rotation")]
    experiment.modelActions = []
    experiment.kinds = [.nngp, .ntk]
    var finite = FiniteCurveExperiment()
    switch self {
    case .small:
      finite.width = 4
      finite.learningRate = 1
      finite.epochs = 0
      finite.minimumSteps = 200
      finite.trainSizes = [16]
    case .medium, .large:
      finite.trainSizes = [512]
    }
    experiment.finite = finite
    return experiment
  }

  /// The threshold at which the standard-parameterisation networks count as having fitted their
  /// training set: training MSE <= 0.01 on centred one-hot targets (predicting zero scores 0.09;
  /// the NTK-parameterisation networks of `finiteExperiment` end at 0.045-0.053 at the medium
  /// scale). Fixed before any standard-parameterisation run.
  public static let fittedTrainMSE = 0.01

  /// The experiment behind claims 5a-std, 5b-std, 5c-std and 4b-std: `finiteExperiment` with
  /// CNN-VEC in standard parameterisation, trained by SGD until its training MSE is at most
  /// `fittedTrainMSE` (or the step cap), on the same pool, repeats, rotation and size.
  ///
  /// The widths and rates were chosen on tuning runs (seed 100, one repeat, training loss only:
  /// docs/claims/README.md, "Claim 5 with the standard parameterisation"), never on the repeats
  /// or test images that decide.
  public var standardFiniteExperiment: LearningCurveExperiment {
    var experiment = finiteExperiment
    var finite = experiment.finite!
    finite.parameterisation = .standard
    finite.fittingRule = try! FittingRule(trainMSE: Self.fittedTrainMSE)
    switch self {
    case .small:
      finite.width = StandardRecipe.small.width
      finite.learningRate = StandardRecipe.small.learningRate
      finite.epochs = StandardRecipe.small.epochCap
      finite.minimumSteps = 1
    case .medium, .large:
      let recipe = self == .large ? StandardRecipe.large : StandardRecipe.medium
      finite.width = recipe.width
      finite.learningRate = recipe.learningRate
      finite.epochs = recipe.epochCap
      finite.minimumSteps = 1
    }
    experiment.finite = finite
    return experiment
  }
}

/// The standard-parameterisation training recipe at a scale: width, SGD rate (batch 32) and the
/// cap on epochs when the training set is not fitted before it.
struct StandardRecipe {
  let width: Int
  let learningRate: Double
  let epochCap: Int

  static let small = StandardRecipe(width: 16, learningRate: 0.05, epochCap: 400)
  static let medium = StandardRecipe(width: 64, learningRate: 0.016, epochCap: 200)
  /// Tuned at 16 x 16 (seed 100, training loss only) by the rule committed before the tuning
  /// runs: the 8 x 8 rate raised the training MSE threefold in 200 steps there.
  static let large = StandardRecipe(width: 64, learningRate: 0.004, epochCap: 200)
}
