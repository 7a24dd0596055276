/// What the ensemble probe found, and the decision rule.
///
/// The data are two ensembles of test predictions, run s of both from the same initial
/// parameters theta_s: A_s = f_{g.S}(theta_s) at g x*, B_s = f_S(theta_s) at x*, s = 1...K,
/// each a vector of n = m k outputs (m test images, k classes). Algorithmic invariance in
/// distribution says A_s and B_s have the same law. The statistic compares the two laws output
/// by output, through their means and spreads:
///
///     rho^2 = sum_j [(mu_Aj - mu_Bj)^2 + (sigma_Aj - sigma_Bj)^2] / sum_j (mu_Bj^2 + sigma_Bj^2),
///
/// with mu and sigma the ensemble's mean and standard deviation of output j. The numerator is
/// the squared 2-Wasserstein distance between Gaussians with the two ensembles' moments, summed
/// over outputs; the denominator is the mean square prediction of the S ensemble. So rho is the
/// distance between the two ensembles' output distributions relative to the size of the
/// predictions: 0 when the marginal laws agree, 0.1 when the mean predictor moves by a tenth of
/// the root-mean-square prediction, or the spread changes by as much. It sees a break that moves
/// the ensemble's mean (CNN-GAP under a pixel permutation) and one that changes how much the
/// networks disagree (finite CNN-VEC under per-pixel channel rotations, whose mean stays close to
/// its invariant kernel's), which the mean test loss, a single average, missed.
///
/// The plug-in estimate is biased upwards by the sampling noise of the K-network moments, so the
/// effect is the jackknife's bias-corrected estimate over pairs, rho^2_J = K rho^2 - (K - 1)
/// mean_i rho^2_(i) (rho^2_(i): pair i left out), with the jackknife standard error se_J and the
/// t interval rho^2_J +- t_{K-1, (1 + confidence) / 2} se_J. Effect and interval are reported on
/// the rho scale (square roots, negative values clipped at 0).
///
/// Decision rule, an equivalence test with margin delta fixed in advance for every cell:
/// `invariant` when the interval of rho^2 lies below delta^2, `not invariant` when it lies above,
/// `inconclusive` when it contains delta^2 (more seeds narrow it). Beside the verdict,
/// `differenceDetected` answers the sharper question whether the two laws differ at all (the
/// interval of rho^2 lies above 0): a break can be detected and still be smaller than the margin.
///
/// The same two one-sided questions as p-values, for a grid's multiplicity rule
/// (`EnsembleCellMeasurement`, `HolmProcedure`): `pBelowMargin` tests H0: rho >= delta
/// (small: the distributions are equal within the margin) and `pAboveMargin` tests H0:
/// rho <= delta (small: they differ by more), each from T = (rho^2_J - delta^2) / se_J against
/// Student's t with K - 1 degrees of freedom. The verdict above is the pair of tests at level
/// (1 - confidence) / 2 each.
public struct EnsembleMeasurement: Sendable, Hashable, Codable {
  /// rho, the relative distance between the two ensembles' output distributions (bias-corrected,
  /// clipped at 0).
  public var effect: Double
  /// The interval of rho, [lower, upper].
  public var interval: [Double]
  /// The bias-corrected rho^2 and its jackknife standard error, before clipping.
  public var squaredEffect: Double
  /// The jackknife standard error of `squaredEffect`.
  public var squaredStandardError: Double
  /// The decision rule's verdict.
  public var verdict: Verdict
  /// Whether the interval of rho^2 excludes 0: the two ensembles' laws differ, by however little.
  public var differenceDetected: Bool
  /// The margin delta of the decision rule, on the rho scale.
  public var margin: Double
  /// Pairs K.
  public var pairs: Int
  /// The one-sided p-value of H0: rho >= margin (small when the interval lies below the margin).
  public var pBelowMargin: Double
  /// The one-sided p-value of H0: rho <= margin (small when the interval lies above the margin).
  public var pAboveMargin: Double
  /// The mean test loss (half the mean squared error) of the g.S ensemble and of the S ensemble.
  public var movedTestLoss: Double
  /// The mean test loss of the S ensemble.
  public var originalTestLoss: Double

  /// The effect, interval and verdict of K paired ensembles of predictions (K >= 3, every
  /// prediction vector of one length n >= 1; `targets`, of length n, give the test losses).
  /// - Throws: `ProbeError.mismatch` for ensembles of different sizes or prediction vectors
  ///   whose length is not the targets', `ProbeError.invalidOption` for fewer than 3 pairs, no
  ///   targets, a margin that is not positive or a confidence outside (0, 1).
  /// - Complexity: O(K n).
  public init(
    moved: [[Double]], original: [[Double]], targets: [Double], margin: Double,
    confidence: Double = 0.95
  ) throws(ProbeError) {
    guard moved.count == original.count else {
      throw .mismatch(
        "\(moved.count) networks trained on g.S but \(original.count) on S: the ensembles pair run for run"
      )
    }
    guard moved.count >= 3 else {
      throw .invalidOption("rho's jackknife needs at least 3 pairs, got \(moved.count)")
    }
    guard !targets.isEmpty else { throw .invalidOption("no test targets: nothing to compare") }
    if let wrong = (moved + original).first(where: { $0.count != targets.count }) {
      throw .mismatch(
        "a network has \(wrong.count) test outputs but there are \(targets.count) targets (m test images x k classes)"
      )
    }
    guard margin > 0, margin.isFinite else {
      throw .invalidOption("the margin must be a positive number, got \(margin)")
    }
    guard confidence > 0, confidence < 1 else {
      throw .invalidOption("the confidence must lie strictly between 0 and 1, got \(confidence)")
    }
    let count = moved.count
    let (full, leftOut) = Self.jackknife(moved, original)
    let k = Double(count)
    let leftOutMean = leftOut.reduce(0, +) / k
    let corrected = k * full - (k - 1) * leftOutMean
    let spread = leftOut.reduce(0) { $0 + ($1 - leftOutMean) * ($1 - leftOutMean) }
    let standardError = ((k - 1) / k * spread).squareRoot()
    let halfWidth =
      StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: k - 1) * standardError
    let (lower, upper) = (corrected - halfWidth, corrected + halfWidth)
    let threshold = margin * margin
    // Networks that all predict exactly 0 (centred networks before any step) agree trivially;
    // that is no evidence of invariance.
    let signal = (moved + original).contains { $0.contains { $0 != 0 } }
    if !signal {
      verdict = .noSignal
    } else if upper < threshold {
      verdict = .invariant
    } else if lower > threshold {
      verdict = .notInvariant
    } else {
      verdict = .inconclusive
    }
    differenceDetected = lower > 0
    func root(_ value: Double) -> Double { value > 0 ? value.squareRoot() : 0 }
    effect = root(corrected)
    interval = [root(lower), root(upper)]
    squaredEffect = corrected
    squaredStandardError = standardError
    if standardError > 0 {
      let below = StudentT.distribution(
        (corrected - threshold) / standardError, degreesOfFreedom: k - 1)
      (pBelowMargin, pAboveMargin) = (below, 1 - below)
    } else {
      // Identical leave-one-out values (e.g. identical ensembles): the estimate is exact.
      pBelowMargin = corrected < threshold ? 0 : 1
      pAboveMargin = corrected > threshold ? 0 : 1
    }
    self.margin = margin
    pairs = count
    func meanLoss(_ ensemble: [[Double]]) -> Double {
      ensemble.reduce(0) { sum, predictions in
        sum + zip(predictions, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
      } / Double(2 * targets.count * ensemble.count)
    }
    movedTestLoss = meanLoss(moved)
    originalTestLoss = meanLoss(original)
  }

  /// The interval of rho at another two-sided `confidence` (square roots of the rho^2 interval,
  /// clipped at 0).
  ///
  /// - Throws: `ProbeError.invalidOption` for a confidence outside (0, 1), or a measurement of
  ///   fewer than 2 pairs (a decoded one: t has no degrees of freedom left).
  public func interval(atConfidence confidence: Double) throws(ProbeError) -> [Double] {
    guard confidence > 0, confidence < 1 else {
      throw .invalidOption("the confidence must lie strictly between 0 and 1, got \(confidence)")
    }
    guard pairs >= 2 else {
      throw .invalidOption("an interval needs at least 2 pairs, this measurement has \(pairs)")
    }
    let halfWidth =
      StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: Double(pairs - 1))
      * squaredStandardError
    func root(_ value: Double) -> Double { value > 0 ? value.squareRoot() : 0 }
    return [root(squaredEffect - halfWidth), root(squaredEffect + halfWidth)]
  }

  /// The relative change of the mean test loss, g.S against S: a coarser summary than rho,
  /// reported beside it.
  public var lossChange: Double { movedTestLoss / originalTestLoss - 1 }

  /// rho^2 of all K pairs and of the K leave-one-pair-out samples.
  ///
  /// Why per output in one pass: with e_s = x_s - mean (K values of one output), leaving run i
  /// out moves the mean by -e_i / (K - 1) and the sum of squares to sum_s e_s^2 - e_i^2 K / (K - 1),
  /// so every leave-one-out moment comes from the full-sample deviations in O(1), without the
  /// cancellation of raw power sums.
  static func jackknife(_ moved: [[Double]], _ original: [[Double]]) -> (Double, [Double]) {
    let count = moved.count
    let outputs = moved[0].count
    let k = Double(count)
    var numerator = 0.0
    var denominator = 0.0
    var leftNumerator = [Double](repeating: 0, count: count)
    var leftDenominator = [Double](repeating: 0, count: count)
    var deviationsA = [Double](repeating: 0, count: count)
    var deviationsB = [Double](repeating: 0, count: count)
    // Output-major copies (output j's K values contiguous), read through raw buffers: the
    // nested arrays' per-element bounds checks and reference counting dominate otherwise.
    var columnsA = [Double](repeating: 0, count: count * outputs)
    var columnsB = [Double](repeating: 0, count: count * outputs)
    for run in 0..<count {
      moved[run].withUnsafeBufferPointer { a in
        original[run].withUnsafeBufferPointer { b in
          for output in 0..<outputs {
            columnsA[output * count + run] = a[output]
            columnsB[output * count + run] = b[output]
          }
        }
      }
    }
    columnsA.withUnsafeBufferPointer { valuesA in
      columnsB.withUnsafeBufferPointer { valuesB in
        deviationsA.withUnsafeMutableBufferPointer { deviationsA in
          deviationsB.withUnsafeMutableBufferPointer { deviationsB in
            leftNumerator.withUnsafeMutableBufferPointer { leftNumerator in
              leftDenominator.withUnsafeMutableBufferPointer { leftDenominator in
                for output in 0..<outputs {
                  let base = output * count
                  var meanA = 0.0
                  var meanB = 0.0
                  for run in 0..<count {
                    meanA += valuesA[base + run]
                    meanB += valuesB[base + run]
                  }
                  meanA /= k
                  meanB /= k
                  var squaresA = 0.0
                  var squaresB = 0.0
                  for run in 0..<count {
                    deviationsA[run] = valuesA[base + run] - meanA
                    deviationsB[run] = valuesB[base + run] - meanB
                    squaresA += deviationsA[run] * deviationsA[run]
                    squaresB += deviationsB[run] * deviationsB[run]
                  }
                  let sigmaA = (squaresA / (k - 1)).squareRoot()
                  let sigmaB = (squaresB / (k - 1)).squareRoot()
                  numerator +=
                    (meanA - meanB) * (meanA - meanB) + (sigmaA - sigmaB) * (sigmaA - sigmaB)
                  denominator += meanB * meanB + sigmaB * sigmaB
                  for run in 0..<count {
                    let (a, b) = (deviationsA[run], deviationsB[run])
                    let leftMeanA = meanA - a / (k - 1)
                    let leftMeanB = meanB - b / (k - 1)
                    let leftSigmaA = (max(0, squaresA - a * a * k / (k - 1)) / (k - 2)).squareRoot()
                    let leftSigmaB = (max(0, squaresB - b * b * k / (k - 1)) / (k - 2)).squareRoot()
                    let meanGap = leftMeanA - leftMeanB
                    let sigmaGap = leftSigmaA - leftSigmaB
                    leftNumerator[run] += meanGap * meanGap + sigmaGap * sigmaGap
                    leftDenominator[run] += leftMeanB * leftMeanB + leftSigmaB * leftSigmaB
                  }
                }
              }
            }
          }
        }
      }
    }
    let full = denominator > 0 ? numerator / denominator : (numerator > 0 ? .infinity : 0)
    let leftOut = (0..<count).map { run in
      leftDenominator[run] > 0
        ? leftNumerator[run] / leftDenominator[run] : (leftNumerator[run] > 0 ? .infinity : 0)
    }
    return (full, leftOut)
  }
}
