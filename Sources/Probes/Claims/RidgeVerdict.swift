import Learners

/// A natural-image claim decided again at another ridge: whether a verdict depends on the one
/// protocol choice the claims fix that the data do not.
///
/// Only the claims about natural images (1a, 1b, 6a, 6b) can be re-decided, because the run
/// solves every natural-image curve at every sensitivity ridge from the same pool Grams
/// (`LearningCurveExperiment.sensitivityRidges`); the acted-on conditions are solved at the
/// default ridge only.
public struct RidgeVerdict: Sendable, Codable {
  /// The ridge, relative to the mean diagonal.
  public var ridge: Double
  /// The claim decided on the curves solved at `ridge`, by the same hypothesis and repeats.
  public var result: ClaimResult

  /// The claim `result` decided at `ridge`.
  public init(ridge: Double, result: ClaimResult) {
    self.ridge = ridge
    self.result = result
  }

  /// Every claim of `kinds` that the natural-image curves at each ridge of `curves`' sensitivity
  /// rows can decide, ridge by ridge (ascending).
  public static func evaluate(_ curves: LearningCurves, scale: ClaimScale, kinds: [KernelKind])
    throws -> [RidgeVerdict]
  {
    let claims = kinds.flatMap(ClaimCatalogue.kernelClaims)
    return try Set(curves.ridgeSensitivity.map(\.ridge)).sorted().flatMap { ridge in
      let natural = curves.natural(atRidge: ridge)
      return try claims.compactMap { claim in
        try claim.evaluate(natural, scale: scale).map { RidgeVerdict(ridge: ridge, result: $0) }
      }
    }
  }
}
