import Foundation

/// The mean of a paired effect over repeats, with its Student-t confidence interval and the
/// smallest effect the design could detect.
///
/// Given n >= 2 per-repeat values d_r (each one repeat's difference between two arms that saw
/// the same training subset and the same group element), the estimate is the sample mean
/// d̄ = (1 / n) sum_r d_r, its standard error s / sqrt(n) with s the sample standard deviation
/// (n - 1 in the denominator), and the interval d̄ ± t_{(1 + c) / 2, n - 1} s / sqrt(n), exact
/// for Gaussian d_r. With 2 repeats the quantile is 12.7, with 3 it is 4.30, with 10 it is 2.26:
/// the normal 1.96 would claim intervals 6.5, 2.2 and 1.15 times too narrow.
///
/// The minimum detectable effect is (t_{(1 + c) / 2, n - 1} + t_{power, n - 1}) s / sqrt(n):
/// the true effect that the interval would exclude zero for with probability about `power`
/// (the usual normal-approximation power formula with t quantiles), at this spread and number
/// of repeats. An inconclusive verdict with an MDE far above any plausible effect says "more
/// repeats", not "no effect".
public struct PairedEstimate: Sendable, Hashable, Codable {
  /// The mean effect over repeats.
  public var mean: Double
  /// s / sqrt(n).
  public var standardError: Double
  /// n, the number of paired repeats.
  public var repeats: Int
  /// The two-sided confidence level of the interval (0.95 by default).
  public var confidence: Double
  /// The lower end of the Student-t interval: mean - t_{(1 + c) / 2} s / sqrt(n).
  public var lower: Double
  /// The upper end of the Student-t interval: mean + t_{(1 + c) / 2} s / sqrt(n).
  public var upper: Double
  /// (t_{(1 + c) / 2} + t_{power}) s / sqrt(n), power 0.8.
  public var minimumDetectableEffect: Double

  /// The power at which `minimumDetectableEffect` is stated.
  public static let power = 0.8

  /// The estimate from per-repeat paired values.
  ///
  /// - Throws: `ProbeError.tooFewImages` with fewer than two values (no spread, no interval),
  ///   `.invalidOption` for a confidence outside (0, 1) or a value that is not finite.
  /// - Complexity: O(n) plus two t quantiles (a few hundred incomplete-beta evaluations).
  public init(_ values: [Double], confidence: Double = 0.95) throws {
    guard values.count >= 2 else {
      throw ProbeError.tooFewImages(
        "a paired interval needs at least 2 repeats, got \(values.count); run more repeats")
    }
    guard confidence > 0, confidence < 1 else {
      throw ProbeError.invalidOption(
        "the confidence level must lie strictly between 0 and 1, got \(confidence)")
    }
    guard values.allSatisfy(\.isFinite) else {
      throw ProbeError.invalidOption("paired values must be finite, got \(values)")
    }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let standardError = (variance / n).squareRoot()
    let nu = n - 1
    let t = StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: nu)
    self.mean = mean
    self.standardError = standardError
    self.repeats = values.count
    self.confidence = confidence
    lower = mean - t * standardError
    upper = mean + t * standardError
    minimumDetectableEffect =
      (t + StudentT.quantile(Self.power, degreesOfFreedom: nu)) * standardError
  }

  /// The estimate of a - b from paired per-repeat values.
  ///
  /// - Throws: `ProbeError.mismatch` when the arms have different numbers of repeats, and what
  ///   `init(_:confidence:)` throws.
  public init(_ a: [Double], minus b: [Double], confidence: Double = 0.95) throws {
    guard a.count == b.count else {
      throw ProbeError.mismatch(
        "paired arms need one value per repeat each, got \(a.count) and \(b.count)")
    }
    try self.init(zip(a, b).map { $0 - $1 }, confidence: confidence)
  }
}
