import Foundation
import Probes
import Testing

/// The claims report's formats, on results built by hand.
@Suite("The claims report: JSON keys, Markdown rows, one figure per claim")
struct ClaimsReportTests {
  private let report: ClaimsReport = {
    let results = [
      ClaimResult(
        claim: "A beats B", id: "1a-nngp", scale: .small, effectDescription: "acc(A) - acc(B)",
        effect: 0.02,
        interval: [0.01, 0.03], repeats: 10, margin: 0, direction: .positive, verdict: .held,
        minimumDetectableEffect: 0.012),
      ClaimResult(
        claim: "A is about B", id: "2f-nngp", scale: .small, effectDescription: "acc(A) - acc(B)",
        effect: -0.05,
        interval: [-0.08, -0.02], repeats: 10, margin: 0.01, direction: .equivalent,
        verdict: .failed,
        minimumDetectableEffect: 0.04),
      ClaimResult(
        claim: "A is exactly B", id: "2a-nngp", scale: .small, effectDescription: "largest change",
        effect: 0,
        interval: [0, 0], repeats: 10, margin: 1e-6, direction: .equivalent, verdict: .held,
        minimumDetectableEffect: nil),
    ]
    let metadata = ClaimsRunMetadata(
      dataset: "cifar10", imageShape: "4x4x3", trainSizes: [16, 32], gapMaxTrainSize: nil,
      poolSize: 64,
      testCount: 100, repeats: 10, kernels: ["nngp"], modelActions: [], depth: 2,
      activation: "relu", ridge: 1e-6,
      symmetrisationDraws: 2, seed: 0, confidence: 0.95, started: "2026-12-04T00:00:00Z",
      seconds: 1,
      cache: nil, threads: 2)
    return ClaimsReport(scale: .small, results: results, metadata: metadata, ridgeSensitivity: [])
  }()

  @Test(
    "claims.json has, per claim, claim, scale, effect, interval, repeats, margin, verdict and minimum_detectable_effect"
  )
  func jsonKeys() throws {
    let object =
      try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as! [String: Any]
    let claims = try #require(object["claims"] as? [[String: Any]])
    #expect(claims.count == 3)
    for key in [
      "claim", "scale", "effect", "interval", "repeats", "margin", "verdict",
      "minimum_detectable_effect",
    ] {
      #expect(claims.allSatisfy { $0[key] != nil }, "missing \(key)")
    }
    #expect(
      claims[2]["minimum_detectable_effect"] is NSNull, "an exact claim's MDE is null, not absent")
    #expect(claims[1]["verdict"] as? String == "failed")
    let metadata = try #require(object["metadata"] as? [String: Any])
    for key in [
      "dataset", "repeats", "seed", "ridge", "pool_size", "test_count", "train_sizes",
      "gap_max_train_size", "cache",
    ] {
      #expect(metadata[key] != nil, "missing metadata \(key)")
    }
  }

  @Test("The Markdown table has one row per claim with its verdict, and the tally")
  func markdown() {
    let text = report.table(markdown: true)
    #expect(
      text.contains(
        "| 1a-nngp | A beats B | +0.0200 [+0.0100, +0.0300] | 10 | - | 0.0120 | held |"), "\(text)")
    #expect(text.contains("| 2f-nngp |") && text.contains("±0.01"))
    #expect(text.contains("2 held, 1 failed, 0 inconclusive."))
  }

  @Test("Each claim's figure shows its verdict, interval and (for equivalence) its margin band")
  func figures() {
    let held = report.svg(for: report.results[0])
    let failed = report.svg(for: report.results[1])
    #expect(held.hasPrefix("<svg") && held.contains("HELD") && !held.contains("margin"))
    #expect(failed.contains("FAILED") && failed.contains("+margin"))
  }

  @Test(
    "A finite-only claims report lists only the sizes its networks were trained at, not the learning curves' sizes"
  )
  func finiteOnlyProtocolLine() throws {
    // The small scale's finite claims train at m = 16 only; its kernel curves run m = 16 ... 64.
    let report = try ClaimsReport.run(scale: .small, finite: true, kernelClaims: false)
    #expect(report.metadata.trainSizes == [16])
    #expect(report.metadata.gapMaxTrainSize == nil)
    #expect(report.table(markdown: true).contains("m = 16 from a pool"))
  }
}
