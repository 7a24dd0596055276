/// The CNN-GAP kernel work of a claims run, in image pairs: what `bench` projects its CNN-GAP
/// rates onto, so a rate measured on a few images says how long the claims' Grams would take.
///
/// A claims scale computes one pool Gram per data action and one per Monte Carlo draw of each
/// model action that applies to CNN-GAP (the O(d) symmetrisation), each over U pool images and
/// T test images: U (U + 1) / 2 + T U image pairs, NNGP and NTK together. CNN-GAP's training
/// sets are capped at half the pool (`gapMaxTrainSize`), whose images come from the pool's
/// first half (see `LearningCurveExperiment.trainingOrders`), so U is half the pool: an upper
/// bound, reached when the repeats between them use every image of that half (10 repeats of
/// 512 of 1,024 leave about one out).
public struct ClaimsGapPool: Sendable, Equatable {
  /// CNN-GAP pool Grams in the run.
  public let grams: Int
  /// Training-pool images U of each Gram.
  public let poolImages: Int
  /// Test images T of each Gram.
  public let testImages: Int

  /// The CNN-GAP work of `experiment`.
  init(_ experiment: LearningCurveExperiment) {
    let symmetrised =
      experiment.modelActions.contains(.orthogonalSymmetrisation)
      ? experiment.symmetrisationDraws : 0
    grams = experiment.dataActions.count + symmetrised
    precondition(experiment.poolSize != nil, "internal: a claims scale chooses its pool")
    let pool = experiment.poolSize ?? 0
    let halfPool = experiment.gapMaxTrainSize.map { $0 <= pool / 2 } ?? false
    poolImages = halfPool ? pool / 2 : pool
    testImages = experiment.testCount
  }

  /// `claims --scale large` (and medium, the same design at 8 x 8): 4 data actions and 4 draws
  /// of the O(d)-symmetrised arm, U = 1,024, T = 1,000.
  public static let large = ClaimsGapPool(ClaimScale.large.experiment)

  /// Image pairs over all the Grams: grams (U (U + 1) / 2 + T U).
  public var imagePairs: Double {
    let u = Double(poolImages)
    return Double(grams) * (u * (u + 1) / 2 + Double(testImages) * u)
  }
}
