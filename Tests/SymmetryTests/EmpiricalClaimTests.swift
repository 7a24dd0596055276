import CheckerSupport
import Foundation
import Learners
import Probes
import Symmetries
import SymmetryTesting
import Testing

/// docs/design.md's empirical claims on CIFAR-10 at the small scale (`ClaimScale.small`: 4 x 4,
/// m = 16..64 from a pool of 128, 100 test images, 10 paired repeats, NNGP), each decided by
/// its fixed hypothesis (`ClaimCatalogue`): held, failed or inconclusive. The medium and large
/// scales are `symmetry-probe claims --scale medium|large` (reports in docs/claims/).
private let curves: LearningCurves = try! ClaimScale.small.experiment.run()

private let results: [ClaimResult] = try! ClaimCatalogue.evaluate(
  curves, scale: .small, kinds: [.nngp])

/// The verdicts measured at the small scale that are not "held", with their numbers
/// (`swift test --filter EmpiricalClaimTests` prints them); a change of verdict fails.
private let knownAtSmallScale: [String: KnownVerdict] = [
  // On 16 pixels there is little locality or translation structure to exploit or destroy.
  "1a-nngp": KnownVerdict(.inconclusive, effect: -0.0040, interval: -0.0493...0.0413),
  "2d-nngp": KnownVerdict(.inconclusive, effect: 0.0240, interval: -0.0034...0.0514),
  "2e-nngp": KnownVerdict(.inconclusive, effect: 0.0050, interval: -0.0041...0.0141),
  // CNN-GAP on rotated data stays below FCN by 6 points: rotation does not make it FCN.
  "2f-nngp": KnownVerdict(.failed, effect: -0.0620, interval: -0.0965...(-0.0275)),
  "3a-nngp": KnownVerdict(.inconclusive, effect: -0.0040, interval: -0.0231...0.0151),
  "3b-nngp": KnownVerdict(.inconclusive, effect: 0.0030, interval: -0.0038...0.0098),
  "4a-nngp": KnownVerdict(.inconclusive, effect: -0.0240, interval: -0.0464...(-0.0016)),
  "6b-nngp": KnownVerdict(.inconclusive, effect: 0.0005, interval: -0.0036...0.0045),
]

/// A catalogue claim as a test argument, shown by its sentence.
struct ClaimArgument: Sendable, CustomTestStringConvertible {
  let id: String
  let statement: String
  var testDescription: String { statement }
}

private let kernelClaims = ClaimCatalogue.kernelClaims(.nngp)
  .map { ClaimArgument(id: $0.id, statement: $0.statement) }

@Suite("Empirical claims on CIFAR-10 at the small scale")
struct EmpiricalClaimTests {
  @Test(
    "Each claim of docs/design.md holds (or keeps its recorded verdict)", arguments: kernelClaims)
  func claimHolds(_ claim: ClaimArgument) throws {
    let result = try #require(
      results.first { $0.id == claim.id }, "claim \(claim.id) was not measured")
    expectHeld(result, known: knownAtSmallScale[claim.id])
  }

  @Test(
    "The natural-image claims are decided at every sensitivity ridge, at the default ridge exactly as in the main run"
  )
  func ridgeVerdicts() throws {
    let verdicts = try RidgeVerdict.evaluate(curves, scale: .small, kinds: [.nngp])
    let experiment = ClaimScale.small.experiment
    #expect(Set(verdicts.map(\.ridge)) == Set(experiment.sensitivityRidges))
    #expect(experiment.sensitivityRidges.count == 3, "the default and two others")
    let natural = ["1a-nngp", "1b-nngp", "6a-nngp", "6b-nngp"]
    for ridge in experiment.sensitivityRidges {
      #expect(
        verdicts.filter { $0.ridge == ridge }.map(\.result.id).sorted() == natural, "ridge \(ridge)"
      )
    }
    for v in verdicts where v.ridge == experiment.diagReg {
      let main = try #require(results.first { $0.id == v.result.id })
      #expect(
        v.result.effect == main.effect && v.result.interval == main.interval
          && v.result.verdict == main.verdict)
    }
  }

  @Test("Every kernel claim of the catalogue is measured at the small scale")
  func everyClaimMeasured() {
    #expect(Set(results.map(\.id)) == Set(kernelClaims.map(\.id)))
  }
}
