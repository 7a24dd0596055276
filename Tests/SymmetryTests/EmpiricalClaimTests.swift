import CheckerSupport
import Learners
import Probes
import Symmetries
import Testing

/// The small-scale run behind DESIGN.md's empirical claims: CIFAR-10 average-pooled to 8 x 8 x 3,
/// depth-2 ReLU kernels, training sets of 32 to 256 images, 200 test images, 3 repeats (random
/// training subsets and group draws, the same for every learner in a repeat, so differences are
/// paired). `symmetry-probe curves` runs the same experiment at full scale.
private let curves: LearningCurves = {
  var experiment = LearningCurveExperiment()
  experiment.dataActions = try! ["none", "orthogonal", "pixel-permutation", "patch-shuffle:2"]
    .map { try CurveAction(parsing: $0) }
  experiment.modelActions = [.orthogonalSymmetrisation]
  experiment.symmetrisationDraws = 2
  experiment.trainSizes = [32, 64, 128, 256]
  experiment.testCount = 200
  experiment.repeats = 3
  return try! experiment.run()
}()

private let largest = 256

private func key(_ architecture: NamedArchitecture, _ action: String = "none", on: ActedOn = .data)
  -> CurveKey
{
  CurveKey(architecture: architecture.rawValue, kernel: .nngp, action: action, actedOn: on)
}

/// Paired differences a - b of test accuracy over repeats at the largest size: mean and standard
/// error, for effect sizes in messages and one-sided checks.
private func pairedDifference(_ a: CurveKey, _ b: CurveKey) -> (mean: Double, standardError: Double) {
  let differences = zip(curves.repeats(a, trainSize: largest), curves.repeats(b, trainSize: largest))
    .map { $0.accuracy - $1.accuracy }
  let mean = differences.reduce(0, +) / Double(differences.count)
  let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(differences.count - 1)
  return (mean, (variance / Double(differences.count)).squareRoot())
}

private func describe(_ d: (mean: Double, standardError: Double)) -> String {
  String(format: "%+.3f ± %.3f (paired, %d repeats)", d.mean, d.standardError, 3)
}

@Suite("Empirical claims on real images (small scale; the full run is `symmetry-probe curves`)")
struct EmpiricalClaimTests {
  @Test("Claim 1: on natural images kernel regression ranks CNN-GAP > CNN-VEC = LCN > FCN")
  func ranking() {
    let gapOverVec = pairedDifference(key(.cnnGap), key(.cnnVec))
    let vecOverFcn = pairedDifference(key(.cnnVec), key(.fcn))
    #expect(gapOverVec.mean > 0, "CNN-GAP - CNN-VEC accuracy at m = \(largest): \(describe(gapOverVec))")
    #expect(vecOverFcn.mean > 0, "CNN-VEC - FCN accuracy at m = \(largest): \(describe(vecOverFcn))")
    // LCN and CNN-VEC have the same kernel, so their predictions are the same bits.
    for m in [32, 64, 128, 256] {
      let lcn = curves.repeats(key(.lcn), trainSize: m)
      let vec = curves.repeats(key(.cnnVec), trainSize: m)
      #expect(lcn.map(\.mse) == vec.map(\.mse), "m = \(m)")
    }
  }

  @Test("Claim 2: FCN is exactly unchanged by a random orthogonal map or pixel permutation of the data")
  func fcnUnchanged() {
    // The FCN kernel depends on <x, x'>, |x|, |x'| only; a rotated Gram matrix differs by
    // round-off (1e-15 relative), amplified by the solve (condition number up to ~1e8 at ridge
    // 1e-6), so predictions agree to 1e-6 relative and accuracies exactly.
    for action in ["orthogonal", "pixel-permutation"] {
      for m in [32, 64, 128, 256] {
        let base = curves.repeats(key(.fcn), trainSize: m)
        let moved = curves.repeats(key(.fcn, action), trainSize: m)
        expectClose(moved.map(\.mse), base.map(\.mse), tolerance: 1e-6, "FCN \(action) m = \(m)")
        #expect(moved.map(\.accuracy) == base.map(\.accuracy), "FCN \(action) m = \(m)")
      }
    }
  }

  @Test(
    "Claim 2: a pixel permutation or random orthogonal map of the data costs the local architectures accuracy",
    arguments: [NamedArchitecture.lcn, .cnnVec, .cnnGap], ["orthogonal", "pixel-permutation"])
  func spuriousSymmetryCostsAccuracy(architecture: NamedArchitecture, action: String) {
    let loss = pairedDifference(key(architecture), key(architecture, action))
    #expect(loss.mean > 0, "\(architecture) accuracy, natural minus \(action): \(describe(loss))")
  }

  @Test("Claim 2: under a random orthogonal map every architecture falls to about FCN's level",
        arguments: [NamedArchitecture.lcn, .cnnVec, .cnnGap])
  func orthogonalBringsToFcn(architecture: NamedArchitecture) {
    let gap = pairedDifference(key(architecture, "orthogonal"), key(.fcn))
    #expect(
      abs(gap.mean) <= 3 * gap.standardError + 0.02,
      "\(architecture) on rotated data minus FCN, accuracy: \(describe(gap))")
  }

  @Test("Claim 3: shuffling 2x2 patches costs less than shuffling pixels", arguments: [NamedArchitecture.lcn, .cnnVec, .cnnGap])
  func localityBeforeSymmetry(architecture: NamedArchitecture) {
    let difference = pairedDifference(key(architecture, "patch-shuffle-2x2"), key(architecture, "pixel-permutation"))
    #expect(difference.mean > 0, "\(architecture) accuracy, patches minus pixels: \(describe(difference))")
  }

  @Test("Claim 4: CNN-GAP on O(d)-rotated data, and CNN-GAP symmetrised over O(d), perform like FCN on natural data")
  func dataAndModelAgree() {
    let data = pairedDifference(key(.cnnGap, "orthogonal"), key(.fcn))
    let model = pairedDifference(key(.cnnGap, "orthogonal", on: .model), key(.fcn))
    #expect(abs(data.mean) <= 3 * data.standardError + 0.02, "CNN-GAP rotated data minus FCN: \(describe(data))")
    #expect(abs(model.mean) <= 3 * model.standardError + 0.02, "CNN-GAP symmetrised minus FCN: \(describe(model))")
  }

  @Test("Claim 6: the better-matched learner has the larger learning-curve exponent (CNN-GAP over FCN)")
  func exponents() throws {
    let gap = try #require(curves.scaling(key(.cnnGap)))
    let fcn = try #require(curves.scaling(key(.fcn)))
    #expect(
      gap.lower > fcn.upper,
      "alpha CNN-GAP \(gap.alpha) [\(gap.lower), \(gap.upper)] vs FCN \(fcn.alpha) [\(fcn.lower), \(fcn.upper)]")
  }
}
