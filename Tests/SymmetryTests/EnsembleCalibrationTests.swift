import CheckerSupport
import LinearAlgebra
import Probes
import Testing

/// A seeded simulation of the ensemble probe's decision rule on synthetic paired ensembles, the
/// cases the rule decides: mean shifts, spread changes and both, with paired (correlated) and
/// nearly independent arms.
///
/// Output j of the S arm's run s is mu_j + sigma z_sj; of element e's g.S arm,
/// mu_j (1 + shift_e) + sigma_Ae (r z_sj + sqrt(1 - r^2) w_esj), so run s of every arm shares
/// z_s with correlation r (common random numbers), mu_j ~ N(0, meanScale^2). Element 1 carries
/// the effect; elements 2 and 3 are invariant, as in a cell where one element of three sits at
/// the margin (the worst case for "equal", which needs all three).
///
/// The scenarios copy the grid's breaks (seed 0, tuning images, 16 pairs, from `train
/// --samples`): the root-mean-square mean prediction, the spread between seeds, the median pair
/// correlation of the networks, and the kind of break; the real outputs (500 test images x 10
/// classes) are strongly dependent, so the number of independent outputs n is chosen to give
/// the grid's jackknife standard error of rho^2 at 16 pairs: CNN-GAP under a pixel permutation
/// 0.0016 measured, 0.0016 simulated with n = 40; CNN-VEC under per-pixel rotations 0.0034 and
/// 0.0034 with n = 230; CNN-VEC under a pixel permutation 0.0024 measured, 0.0043 with
/// n = 250 (n = 1,000 would match, at four times the cost; its power is understated). The paired
/// spread change and the mixed break are the same networks with correlated arms.
struct CalibrationScenario: Sendable, CustomStringConvertible {
  enum Kind: String, Sendable {
    case mean = "mean shift"
    case spread = "spread change"
    case both = "mean shift and spread change"
  }
  let name: String
  let kind: Kind
  /// The pair correlation r, the spread sigma and the root-mean-square mean meanScale.
  let correlation: Double
  let sigma: Double
  let meanScale: Double
  /// The break the grid measured for this case (rho at seed 0).
  let gridRho: Double
  /// Independent outputs n, chosen so that the jackknife standard error of rho^2 at 16 pairs
  /// matches the grid's.
  let outputs: Int

  var description: String { "\(name) (\(kind.rawValue), r = \(correlation))" }

  static let all: [CalibrationScenario] = [
    .init(
      name: "like CNN-GAP under a pixel permutation", kind: .mean, correlation: 0.8, sigma: 0.013,
      meanScale: 0.062, gridRho: 0.135, outputs: 40),
    .init(
      name: "like CNN-VEC under a pixel permutation", kind: .mean, correlation: 0.08, sigma: 0.044,
      meanScale: 0.085, gridRho: 0.127, outputs: 250),
    .init(
      name: "like CNN-VEC under per-pixel rotations", kind: .spread, correlation: 0.02,
      sigma: 0.044, meanScale: 0.085, gridRho: 0.178, outputs: 230),
    .init(
      name: "per-pixel-rotation-like, paired", kind: .spread, correlation: 0.8, sigma: 0.044,
      meanScale: 0.085, gridRho: 0.178, outputs: 230),
    .init(
      name: "both parts at once, paired", kind: .both, correlation: 0.5, sigma: 0.044,
      meanScale: 0.085, gridRho: 0.15, outputs: 230),
    // FCN + Adam under O(d) at coordinate probes (`train` defaults, seed 0, 16 pairs): rms mean
    // 0.218, spread 0.36, median pair correlation 0.01, jackknife se(rho^2) 0.0080 to 0.0088 per
    // element, matched by n = 850. Its break is mostly the mean's (the spread rises by 9-12%,
    // a kind this simulation does not draw), so it is simulated as a mean shift.
    .init(
      name: "like FCN + Adam under O(d) at coordinate probes", kind: .mean, correlation: 0.01,
      sigma: 0.36, meanScale: 0.218, gridRho: 0.237, outputs: 850),
  ]

  /// What the simulation of one true rho found.
  struct Rates: CustomStringConvertible {
    var equal = 0.0
    var notEqual = 0.0
    /// Coverage of rho^2 by element 1's 95% interval at the first look (16 pairs).
    var coverage = 0.0
    var description: String { "equal \(equal), not equal \(notEqual), coverage \(coverage)" }
  }

  /// Runs `replications` seeded cells with element 1 at true rho `rho` through the sequential
  /// rule (looks at 16, 32, 64 pairs; 3 elements; alpha 0.05; a family of one) and counts.
  ///
  /// `outputs` overrides n (a smaller n adds noise: cheaper, and the error rates at the margin
  /// and without effect must hold at any noise level).
  func simulate(rho: Double, replications: Int, seed: UInt64, outputs: Int? = nil) throws -> Rates {
    let outputs = outputs ?? self.outputs
    var rates = Rates()
    for replication in 0..<replications {
      var generator = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(replication))
      let means = try generator.gaussians(outputs).map { $0 * meanScale }
      let meanSquares = means.reduce(0) { $0 + $1 * $1 }
      let scale = meanSquares + Double(outputs) * sigma * sigma
      // The share of rho^2 each part carries; a spread *drop*, as finite CNN-VEC's break.
      let meanShare = kind == .mean ? 1.0 : kind == .spread ? 0 : 0.5
      let shift = (meanShare * rho * rho * scale / meanSquares).squareRoot()
      let sigmaA = sigma - ((1 - meanShare) * rho * rho * scale / Double(outputs)).squareRoot()
      let truth =
        (shift * shift * meanSquares + Double(outputs) * (sigmaA - sigma) * (sigmaA - sigma))
        / scale
      var original: [[Double]] = []
      var moved: [[[Double]]] = [[], [], []]
      var cell: EnsembleCellMeasurement!
      for look in [16, 32, 64] {
        while original.count < look {
          let shared = try generator.gaussians(outputs)
          original.append(zip(means, shared).map { $0 + sigma * $1 })
          for element in 0..<3 {
            let (elementShift, elementSigma) = element == 0 ? (shift, sigmaA) : (0, sigma)
            let own = try generator.gaussians(outputs)
            moved[element].append(
              (0..<outputs).map { j in
                means[j] * (1 + elementShift)
                  + elementSigma
                  * (correlation * shared[j] + (1 - correlation * correlation).squareRoot() * own[j])
              })
          }
        }
        cell = try EnsembleCellMeasurement(
          moved: moved, original: original, targets: [Double](repeating: 0, count: outputs),
          margin: 0.1, alpha: 0.05, looks: 3)
        if look == 16 {
          let first = try EnsembleMeasurement(
            moved: moved[0], original: original, targets: [Double](repeating: 0, count: outputs),
            margin: 0.1)
          let (lower, upper) = (
            first.interval[0] * first.interval[0], first.interval[1] * first.interval[1]
          )
          // The rho interval is the root of the rho^2 interval clipped at 0.
          if (first.interval[0] == 0 || lower <= truth) && truth <= upper { rates.coverage += 1 }
        }
        if cell.isSettled { break }
      }
      switch cell.verdict {
      case .equal: rates.equal += 1
      case .notEqual: rates.notEqual += 1
      case .inconclusive, .noSignal: break
      }
    }
    let count = Double(replications)
    rates.equal /= count
    rates.notEqual /= count
    rates.coverage /= count
    return rates
  }
}

/// Replications per scenario: 100 in the default suite (a rate of 2.5% has a binomial standard
/// error of 1.6%), 2,000 under `SYMMETRY_PROBES_FULL_CLAIMS=1` (the figures in
/// docs/finite-networks.md).
private let replications = isFullScaleRun ? 2_000 : 100

/// The outputs of the error-rate simulations: the scenario's own n at full scale, at most 60 in
/// the default suite (the cost is in drawing the ensembles; more noise only widens intervals),
/// except where the spread exceeds the mean (the Adam coordinate-probe case, sigma 0.36 against
/// 0.218): at 60 outputs its interval never falls below the margin within 64 pairs (measured:
/// "equal" 0% with no effect), which tests the noise, not the rule; at its own n = 850, 100%.
private func errorRateOutputs(_ scenario: CalibrationScenario) -> Int {
  isFullScaleRun || scenario.sigma > scenario.meanScale
    ? scenario.outputs : min(scenario.outputs, 60)
}

@Suite("Ensemble probe: calibration of the decision rule by seeded simulation")
struct EnsembleCalibrationTests {
  /// At a true rho equal to the margin both verdicts are errors: "equal" needs the one-sided
  /// test of rho >= 0.1 to reject at alpha / 2 = 2.5% (Holm's first step over the cell's two
  /// hypotheses), "not equal" likewise. Each must stay at most 5%, twice nominal; the interval
  /// (95%, first look) must cover rho^2 at least 92% of the time.
  @Test(
    "At a true rho equal to the margin the rule rarely says equal or not equal, and the interval covers",
    arguments: CalibrationScenario.all)
  func atTheMargin(scenario: CalibrationScenario) throws {
    let rates = try scenario.simulate(
      rho: 0.1, replications: replications, seed: 1, outputs: errorRateOutputs(scenario))
    print("calibration \(scenario), rho 0.1: \(rates)")
    #expect(rates.equal <= 0.05, "\(rates)")
    #expect(rates.notEqual <= 0.05, "\(rates)")
    #expect(rates.coverage >= 0.92, "\(rates)")
  }

  /// With no effect the rule should say "equal" (every element below the margin) nearly always,
  /// and "not equal" no more than its error rate allows.
  @Test(
    "With no effect the rule says equal within the margin at least 90% of the time",
    arguments: CalibrationScenario.all)
  func withoutEffect(scenario: CalibrationScenario) throws {
    let rates = try scenario.simulate(
      rho: 0, replications: replications, seed: 2, outputs: errorRateOutputs(scenario))
    print("calibration \(scenario), rho 0: \(rates)")
    #expect(rates.equal >= 0.9, "\(rates)")
    #expect(rates.notEqual <= 0.05, "\(rates)")
    #expect(rates.coverage >= 0.92, "\(rates)")
  }

  /// The power at the breaks the grid meets, for a cell decided alone (`train` with one cell).
  @Test(
    "At the grid's breaks the rule says not equal at least 80% of the time",
    arguments: CalibrationScenario.all)
  func atTheGridsBreaks(scenario: CalibrationScenario) throws {
    let rates = try scenario.simulate(rho: scenario.gridRho, replications: replications, seed: 3)
    print("calibration \(scenario), rho \(scenario.gridRho): \(rates)")
    #expect(rates.notEqual >= 0.8, "\(rates)")
    #expect(rates.equal <= 0.05, "\(rates)")
    #expect(rates.coverage >= 0.92, "\(rates)")
  }
}
