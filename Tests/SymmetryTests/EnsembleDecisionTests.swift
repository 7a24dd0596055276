import LinearAlgebra
import Probes
import Testing

/// Synthetic ensembles of K prediction vectors of n outputs, output j of run s being
/// mean_j + sigma z_sj, drawn from a seeded generator so the claims below are reproducible.
private struct Ensembles {
  var generator: SeededGenerator
  let means: [Double]

  init(outputs: Int, meanScale: Double, seed: UInt64) {
    generator = SeededGenerator(seed: seed)
    means = try! generator.gaussians(outputs).map { $0 * meanScale }
  }

  /// K runs of mean_j (1 + shift) + sigma z_sj.
  mutating func draw(_ runs: Int, sigma: Double, shift: Double = 0) -> [[Double]] {
    (0..<runs).map { _ in
      zip(means, try! generator.gaussians(means.count)).map { $0 * (1 + shift) + sigma * $1 }
    }
  }

  /// The true rho of `draw(sigma: sigmaA, shift:)` against `draw(sigma: sigmaB)`.
  func rho(sigmaA: Double, sigmaB: Double, shift: Double) -> Double {
    let squares = means.reduce(0) { $0 + $1 * $1 }
    let n = Double(means.count)
    let gap = shift * shift * squares + n * (sigmaA - sigmaB) * (sigmaA - sigmaB)
    return (gap / (squares + n * sigmaB * sigmaB)).squareRoot()
  }
}

@Suite("Ensemble probe: the distance between two ensembles and the decision rule")
struct EnsembleDecisionTests {
  private let targets = [Double](repeating: 0, count: 200)

  @Test(
    "Identical ensembles (g acts trivially on the function) give rho = 0 with a zero-width interval"
  )
  func identicalArmsAreInvariant() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 0.1, seed: 1)
    let runs = ensembles.draw(8, sigma: 0.05)
    let measurement = try EnsembleMeasurement(
      moved: runs, original: runs, targets: targets, margin: 0.1)
    #expect(measurement.effect == 0 && measurement.interval == [0, 0])
    #expect(measurement.verdict == .invariant && !measurement.differenceDetected)
  }

  @Test("A mean predictor moved by 20% gives rho = 0.2 (its true value) and is not invariant")
  func meanShiftIsMeasured() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 1, seed: 2)
    let original = ensembles.draw(32, sigma: 0.1)
    let moved = ensembles.draw(32, sigma: 0.1, shift: 0.2)
    let truth = ensembles.rho(sigmaA: 0.1, sigmaB: 0.1, shift: 0.2)
    let measurement = try EnsembleMeasurement(
      moved: moved, original: original, targets: targets, margin: 0.1)
    #expect(abs(measurement.effect - truth) < 0.01, "rho \(measurement.effect), true \(truth)")
    #expect(
      measurement.interval[0] <= truth && truth <= measurement.interval[1],
      "\(measurement.interval)")
    #expect(measurement.verdict == .notInvariant && measurement.differenceDetected)
  }

  @Test("A spread that grows by 30% with the mean unchanged gives rho = 0.3 and is not invariant")
  func spreadChangeIsMeasured() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 0, seed: 3)
    let original = ensembles.draw(32, sigma: 0.1)
    let moved = ensembles.draw(32, sigma: 0.13)
    let measurement = try EnsembleMeasurement(
      moved: moved, original: original, targets: targets, margin: 0.1)
    #expect(abs(measurement.effect - 0.3) < 0.03, "rho \(measurement.effect)")
    #expect(
      measurement.interval[0] <= 0.3 && 0.3 <= measurement.interval[1], "\(measurement.interval)")
    #expect(measurement.verdict == .notInvariant)
  }

  @Test("Two ensembles of one law: the interval reaches 0 and the rule says invariant")
  func sameLawIsInvariant() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 0.1, seed: 4)
    let original = ensembles.draw(32, sigma: 0.05)
    let moved = ensembles.draw(32, sigma: 0.05)
    let measurement = try EnsembleMeasurement(
      moved: moved, original: original, targets: targets, margin: 0.1)
    #expect(
      measurement.interval[0] == 0 && !measurement.differenceDetected, "\(measurement.interval)")
    #expect(
      measurement.verdict == .invariant,
      "rho \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("A break smaller than the margin is detected, and still called invariant")
  func smallBreakIsDetectedButInvariant() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 1, seed: 6)
    let original = ensembles.draw(32, sigma: 0.05)
    let moved = ensembles.draw(32, sigma: 0.05, shift: 0.05)
    let measurement = try EnsembleMeasurement(
      moved: moved, original: original, targets: targets, margin: 0.1)
    #expect(
      measurement.differenceDetected && measurement.verdict == .invariant,
      "rho \(measurement.effect), interval \(measurement.interval)")
  }

  @Test("A distance that straddles the margin is inconclusive")
  func nearTheMarginIsInconclusive() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 1, seed: 5)
    let original = ensembles.draw(4, sigma: 0.3)
    let moved = ensembles.draw(4, sigma: 0.3, shift: 0.1)
    let measurement = try EnsembleMeasurement(
      moved: moved, original: original, targets: targets, margin: 0.1)
    #expect(
      measurement.verdict == .inconclusive,
      "rho \(measurement.effect), interval \(measurement.interval)")
  }

  /// The guarantee of the equivalence test: at a true distance equal to the margin, "invariant"
  /// needs the interval's upper end below it, which a 95% two-sided interval allows at most
  /// 2.5% of the time; at a true distance 0 the interval covers 0 at least 95% of the time.
  /// 200 seeded replications of K = 16 pairs (binomial standard error 1.5%).
  @Test(
    "At 16 pairs the interval keeps its 95% coverage and says invariant at the margin rarely",
    arguments: [0.0, 0.1])
  func calibration(trueRho: Double) throws {
    var covered = 0
    var invariant = 0
    let replications = 200
    for replication in 0..<replications {
      var ensembles = Ensembles(outputs: 100, meanScale: 1, seed: 100 + UInt64(replication))
      // shift s gives rho^2 = s^2 |mean|^2 / (|mean|^2 + n sigma^2); sigma = 0.05 is small
      // against the means, so s = trueRho to within 0.2%, and `rho` gives the exact value.
      let original = ensembles.draw(16, sigma: 0.05)
      let moved = ensembles.draw(16, sigma: 0.05, shift: trueRho)
      let truth = ensembles.rho(sigmaA: 0.05, sigmaB: 0.05, shift: trueRho)
      let measurement = try EnsembleMeasurement(
        moved: moved, original: original, targets: Array(repeating: 0, count: 100),
        margin: trueRho > 0 ? truth : 0.1)
      let (lower, upper) = (
        measurement.squaredEffect - 2.131449545559323 * measurement.squaredStandardError,
        measurement.squaredEffect + 2.131449545559323 * measurement.squaredStandardError
      )
      if lower <= truth * truth && truth * truth <= upper { covered += 1 }
      if trueRho > 0 && measurement.verdict == .invariant { invariant += 1 }
    }
    let coverage = Double(covered) / Double(replications)
    #expect(coverage >= 0.92, "coverage \(coverage)")
    #expect(
      Double(invariant) / Double(replications) <= 0.05,
      "invariant at the margin \(invariant) of \(replications)")
  }

  @Test(
    "Holm's procedure rejects step by step at alpha / (m - i + 1) and stops at the first failure")
  func holmSteps() {
    // m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05.
    #expect(
      HolmProcedure.rejections([0.01, 0.04, 0.015, 0.03], alpha: 0.05) == [
        true, false, true, false,
      ])
    #expect(
      HolmProcedure.rejections([0.01, 0.02, 0.04, 0.045], alpha: 0.05) == [
        true, false, false, false,
      ])
    #expect(
      HolmProcedure.rejections([0.001, 0.002, 0.003, 0.05], alpha: 0.05) == [
        true, true, true, true,
      ])
    #expect(HolmProcedure.rejections([0.2, 0.3], alpha: 0.05) == [false, false])
    #expect(HolmProcedure.rejections([], alpha: 0.05) == [])
  }

  @Test(
    "A cell is equal within the margin only if every element is, and not equal if one element is far above"
  )
  func cellIsDecidedByItsWorstElement() throws {
    var ensembles = Ensembles(outputs: 200, meanScale: 1, seed: 21)
    let original = ensembles.draw(32, sigma: 0.05)
    let same = ensembles.draw(32, sigma: 0.05)
    let other = ensembles.draw(32, sigma: 0.05)
    let broken = ensembles.draw(32, sigma: 0.05, shift: 0.3)
    let allSame = try EnsembleCellMeasurement(
      moved: [same, other], original: original, targets: targets, margin: 0.1, alpha: 0.05)
    #expect(allSame.verdict == .equal, "p(equal) \(allSame.pEqual), p(differ) \(allSame.pDiffer)")
    let oneBroken = try EnsembleCellMeasurement(
      moved: [same, broken, other], original: original, targets: targets, margin: 0.1, alpha: 0.05)
    #expect(oneBroken.verdict == .notEqual && oneBroken.worst.effect > 0.25)
    #expect(oneBroken.pEqual > 0.5, "one element above the margin keeps the cell from 'equal'")
    // The corrections: p(equal) = L max_e, p(differ) = L E min_e.
    let looks = try EnsembleCellMeasurement(
      moved: [same, broken, other], original: original, targets: targets, margin: 0.1, alpha: 0.05,
      looks: 3)
    #expect(looks.pEqual == min(1, 3 * oneBroken.elements.map(\.pBelowMargin).max()!))
    #expect(looks.pDiffer == min(1, 9 * oneBroken.elements.map(\.pAboveMargin).min()!))
  }

  @Test("Holm over a grid: a cell decided alone can stay undecided in a family, never the reverse")
  func familyIsStricterThanOneCell() throws {
    let pValues: [(equal: Double, differ: Double)] = [
      (0.02, 1), (0.001, 1), (1, 0.0001), (0.9, 0.2),
    ]
    let alone = pValues.map { DistributionalVerdict.decide(pValues: [$0], alpha: 0.05)[0] }
    let together = DistributionalVerdict.decide(pValues: pValues, alpha: 0.05)
    #expect(alone == [.equal, .equal, .notEqual, .inconclusive])
    // 8 hypotheses: 0.0001 <= 0.05/8, 0.001 <= 0.05/7, then 0.02 > 0.05/6 stops.
    #expect(together == [.inconclusive, .equal, .notEqual, .inconclusive])
  }

  @Test(
    "Bad input to the measurement is a typed error: unpaired ensembles, too few pairs, wrong lengths, a bad margin or confidence"
  )
  func badInputThrows() {
    let three = [[0.1, 0.2], [0.3, 0.1], [0.0, 0.2]]
    let targets = [0.0, 0.0]
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(
        moved: three, original: Array(three.prefix(2)), targets: targets, margin: 0.1)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(
        moved: Array(three.prefix(2)), original: Array(three.prefix(2)), targets: targets,
        margin: 0.1)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(moved: three, original: three, targets: [0.0], margin: 0.1)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(moved: three, original: three, targets: [], margin: 0.1)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(moved: three, original: three, targets: targets, margin: 0)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleMeasurement(
        moved: three, original: three, targets: targets, margin: 0.1, confidence: 1)
    }
    #expect(throws: Never.self) {
      try EnsembleMeasurement(moved: three, original: three, targets: targets, margin: 0.1)
    }
  }
}
