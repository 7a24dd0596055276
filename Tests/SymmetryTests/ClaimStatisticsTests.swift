import Foundation
import LinearAlgebra
import Probes
import Testing

/// The decision rule of the claims, on synthetic data whose truth is known.
@Suite("Claim statistics: paired t intervals, verdicts, minimum detectable effects")
struct ClaimStatisticsTests {
  /// Seeded Gaussian values with a given mean and standard deviation.
  private func sample(_ n: Int, mean: Double, sd: Double, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return try! generator.gaussians(n).map { mean + sd * $0 }
  }

  @Test(
    "The interval uses Student's t with n - 1 degrees of freedom (12.71 for 2 repeats, 4.30 for 3, 2.26 for 10)"
  )
  func tQuantiles() throws {
    for (values, t) in [
      ([0.0, 1.0], 12.7062), ([1.0, 2.0, 3.0], 4.3027), (Array(0..<10).map(Double.init), 2.2622),
    ] {
      let estimate = try PairedEstimate(values)
      let half = (estimate.upper - estimate.lower) / 2
      #expect(
        abs(half / estimate.standardError - t) < 1e-3,
        "n = \(values.count): \(half / estimate.standardError)")
      #expect(abs((estimate.upper + estimate.lower) / 2 - estimate.mean) < 1e-12)
    }
    // [1, 2, 3]: mean 2, s = 1, standard error 1 / sqrt(3).
    let three = try PairedEstimate([1, 2, 3])
    #expect(abs(three.mean - 2) < 1e-12 && abs(three.standardError - 1 / 3.0.squareRoot()) < 1e-12)
  }

  @Test("Paired a - b is the estimate of the per-repeat differences")
  func pairedDifference() throws {
    let a = [0.30, 0.32, 0.29, 0.35]
    let b = [0.28, 0.31, 0.29, 0.30]
    #expect(try PairedEstimate(a, minus: b) == PairedEstimate(zip(a, b).map { $0 - $1 }))
  }

  @Test(
    "A positive claim holds when the interval lies above zero, fails below, and is inconclusive across"
  )
  func positiveClaim() throws {
    let claim = ClaimHypothesis.positive
    #expect(claim.verdict(try PairedEstimate(sample(10, mean: 0.05, sd: 0.01, seed: 1))) == .held)
    #expect(
      claim.verdict(try PairedEstimate(sample(10, mean: -0.05, sd: 0.01, seed: 2))) == .failed)
    #expect(
      claim.verdict(try PairedEstimate(sample(10, mean: 0.0, sd: 0.05, seed: 3))) == .inconclusive)
    #expect(
      ClaimHypothesis.negative.verdict(
        try PairedEstimate(sample(10, mean: -0.05, sd: 0.01, seed: 4))) == .held)
    #expect(
      ClaimHypothesis.negative.verdict(
        try PairedEstimate(sample(10, mean: 0.05, sd: 0.01, seed: 5))) == .failed)
  }

  @Test(
    "An equivalence claim holds inside the margin, fails outside it, and is inconclusive when the interval crosses it"
  )
  func equivalenceClaim() throws {
    let claim = try ClaimHypothesis.equivalent(within: 0.01)
    #expect(claim.verdict(try PairedEstimate(sample(20, mean: 0, sd: 0.005, seed: 6))) == .held)
    #expect(
      claim.verdict(try PairedEstimate(sample(20, mean: 0.05, sd: 0.005, seed: 7))) == .failed)
    #expect(
      claim.verdict(try PairedEstimate(sample(20, mean: -0.05, sd: 0.005, seed: 8))) == .failed)
    #expect(
      claim.verdict(try PairedEstimate(sample(20, mean: 0.01, sd: 0.01, seed: 9))) == .inconclusive)
    #expect(claim.verdict(lower: -0.01, upper: 0.01) == .held)
    #expect(claim.verdict(lower: 0.0101, upper: 0.02) == .failed)
  }

  @Test("Noisier data never make an equivalence claim easier to hold (unlike |mean| <= 3 SE + c)")
  func noiseCannotHelp() throws {
    let claim = try ClaimHypothesis.equivalent(within: 0.01)
    let base = sample(10, mean: 0, sd: 1, seed: 10)
    var verdicts: [ClaimVerdict] = []
    for sd in [0.001, 0.01, 0.1] {
      verdicts.append(claim.verdict(try PairedEstimate(base.map { 0.002 + sd * $0 })))
    }
    #expect(verdicts == [.held, .inconclusive, .inconclusive], "\(verdicts)")
  }

  @Test(
    "The 95% t interval covers the true mean in 95% of 2,000 seeded replications of 5 repeats; 1.96 would not"
  )
  func coverage() throws {
    let replications = 2000
    var covered = 0
    var coveredByNormal = 0
    var generator = SeededGenerator(seed: 11)
    for _ in 0..<replications {
      let values = try generator.gaussians(5).map { 0.3 + $0 }
      let estimate = try PairedEstimate(values)
      if estimate.lower <= 0.3 && 0.3 <= estimate.upper { covered += 1 }
      if abs(estimate.mean - 0.3) <= 1.96 * estimate.standardError { coveredByNormal += 1 }
    }
    // Binomial sd of the coverage at 0.95 over 2,000 replications is 0.005: +-0.02 is 4 sd.
    let rate = Double(covered) / Double(replications)
    #expect(abs(rate - 0.95) < 0.02, "t coverage \(rate)")
    // With 4 degrees of freedom the normal quantile covers about 88%: the control that shows
    // the simulation can tell the two apart.
    let normalRate = Double(coveredByNormal) / Double(replications)
    #expect(normalRate < 0.91, "normal coverage \(normalRate)")
  }

  @Test("A true effect equal to the minimum detectable effect is detected about 80% of the time")
  func minimumDetectableEffectHasItsPower() throws {
    // The MDE of one design (10 repeats, sd 1) computed once from the population sd ...
    let sd = 1.0
    let n = 10
    var generator = SeededGenerator(seed: 12)
    let reference = try PairedEstimate(generator.gaussians(n))
    let mde =
      reference.minimumDetectableEffect / reference.standardError * sd / Double(n).squareRoot()
    // ... then 2,000 replications with that true effect.
    var detected = 0
    for _ in 0..<2000
    where try PairedEstimate(generator.gaussians(n).map { mde + sd * $0 }).lower > 0 {
      detected += 1
    }
    // The formula is the normal approximation with t quantiles; its power with a noisy s is
    // a few points off 0.8, not 0.5 or 0.95.
    let power = Double(detected) / 2000
    #expect(power > 0.72 && power < 0.88, "power at the MDE: \(power)")
  }

  @Test("Fewer than two repeats, unpaired arms or non-finite values are typed errors")
  func badInput() {
    #expect(throws: ProbeError.self) { try PairedEstimate([0.1]) }
    #expect(throws: ProbeError.self) { try PairedEstimate([0.1, 0.2], minus: [0.1]) }
    #expect(throws: ProbeError.self) { try PairedEstimate([0.1, .nan]) }
    #expect(throws: ProbeError.self) { try PairedEstimate([0.1, 0.2], confidence: 1) }
  }

  @Test("A repeat without one loss per size is a typed error, not a fit over the sizes it shares")
  func exponentLossesMismatch() throws {
    let sizes = [16, 32, 64]
    for losses in [[[1.0, 0.5, 0.25], [1.0, 0.6]], [[1.0, 0.5, 0.25, 0.1], [1.0, 0.6, 0.36]]] {
      #expect(throws: ProbeError.self) { try ScalingFit.fit(sizes: sizes, losses: losses) }
      #expect(throws: ProbeError.self) { try ScalingFit.exponents(sizes: sizes, losses: losses) }
    }
    #expect(throws: ProbeError.self) { try ScalingFit.fit(sizes: sizes, losses: [[1.0, 0.5]]) }
    #expect(try ScalingFit.fit(sizes: [16], losses: [[1.0]]) == nil, "one size: no fit, no error")
  }

  @Test("Exponent intervals use t: two repeats give mean +- 12.71 standard errors")
  func exponentInterval() throws {
    let sizes = [16, 32, 64]
    let losses = [[1.0, 0.5, 0.25], [1.0, 0.6, 0.36]]
    let fit = try #require(try ScalingFit.fit(sizes: sizes, losses: losses))
    let alphas = try ScalingFit.exponents(sizes: sizes, losses: losses)
    let estimate = try PairedEstimate(alphas)
    #expect(abs(fit.alpha - estimate.mean) < 1e-12)
    #expect(abs((fit.upper - fit.alpha) / estimate.standardError - 12.7062) < 1e-3)
  }
}
