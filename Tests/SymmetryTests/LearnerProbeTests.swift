import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// Whether `python3` with NumPy runs here (the examples need nothing else).
private let numPyAvailable: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import numpy"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

private let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("examples")

/// 128 training and 100 test CIFAR-10 images at 8 x 8 x 3 (the tuning images: these are checks of
/// the theory on fixed learners, not a confirmation of a rule chosen on data).
private let data = try! ExperimentData.load(.cifar10, size: 8, trainCount: 128, testCount: 100)

/// The example `name` in examples/ as a probe command.
private func example(_ name: String) throws -> CommandLearner {
  let cache = FileManager.default.temporaryDirectory.appendingPathComponent(
    "learner-probe-\(UUID().uuidString)")
  return try CommandLearner(
    template:
      "python3 '\(examples.appendingPathComponent(name).path)' {train_x} {train_y} {test_x} {predictions} {seed}",
    cache: cache)
}

private func measure(
  _ learner: some RandomLearner, _ element: any GroupAction, seeds: Int, maxSeeds: Int
) throws -> LearnerInvarianceReport {
  let measurement = try LearnerInvarianceProbe(seeds: seeds, maxSeeds: maxSeeds, seed: 1, jobs: 2)
    .measure(
      learner, under: [element], train: data.train.images, targets: data.train.centredOneHotTargets,
      test: data.test.images, testTargets: data.test.centredOneHotTargets)
  return LearnerInvarianceReport(
    learner: learner.name, action: "\(element)", data: "", seed: 1, measurement: measurement)
}

@Suite("Learners from outside Swift and Swift learners get the ensemble probe's verdicts")
struct LearnerProbeTests {
  @Test(
    "The NumPy random-features network is algorithmically invariant to O(d) and pixel permutations, not functionally",
    .enabled(
      if: numPyAvailable,
      "SKIPPED: python3 with NumPy was not found, so the NumPy examples in examples/ did not run"),
    arguments: ["orthogonal", "pixel-permutation"])
  func randomFeatures(action: String) throws {
    let element = try ActionCatalogue.family(named: action).element(
      for: data.train.images.shape, seed: 5)
    let report = try measure(try example("random_features.py"), element, seeds: 8, maxSeeds: 32)
    #expect(report.algorithmic.verdict == .invariant, "\(report.text())")
    #expect(report.functional.verdict == .notInvariant, "\(report.text())")
  }

  @Test(
    "The NumPy random convolutional network with global pooling is functionally invariant to circular translations, exactly",
    .enabled(
      if: numPyAvailable,
      "SKIPPED: python3 with NumPy was not found, so the NumPy examples in examples/ did not run"))
  func randomConvolutionalFeatures() throws {
    let report = try measure(
      try example("random_conv_features.py"), Translation(dy: 2, dx: -3), seeds: 3, maxSeeds: 3)
    #expect(
      report.functional.exact == .invariant && report.functional.verdict == .invariant,
      "\(report.text())")
    #expect(report.algorithmic.verdict == .invariant, "\(report.text())")
  }

  @Test(
    "A Swift learner gets the same probe: FCN kernel regression is exactly algorithmically invariant to O(d), not functionally"
  )
  func swiftLearner() throws {
    let fcn = try NamedArchitecture.fcn.architecture(depth: 1, activation: .relu)
    let learner = SeededLearner(name: "FCN NNGP regression") { _ in
      KernelRegressionLearner(fcn, kind: .nngp, diagReg: 1e-4)
    }
    let element = try OrthogonalFamily().element(for: data.train.images.shape, seed: 2)
    let report = try measure(learner, element, seeds: 3, maxSeeds: 3)
    #expect(
      report.algorithmic.exact == .invariant && report.algorithmic.verdict == .invariant,
      "\(report.text())")
    #expect(
      report.functional.exact == .notInvariant && report.functional.verdict == .notInvariant,
      "\(report.text())")
  }
}

@Suite("symmetry-probe verdict: the ensemble statistics on prediction files")
struct EnsembleComparisonTests {
  /// K runs of n outputs: mean `shift` + noise from `seed`, sharing `common` with another call.
  private func runs(_ count: Int, outputs: Int, shift: Double, seed: UInt64, common: UInt64? = nil)
    -> [[Double]]
  {
    var generator = SeededGenerator(seed: seed)
    var shared = SeededGenerator(seed: common ?? seed &+ 1_000)
    return (0..<count).map { _ in
      (0..<outputs).map { j in
        let base = sin(Double(j))
        let z = Double.random(in: -1...1, using: &shared)
        return base * (1 + shift) + 0.3 * z + 0.05 * Double.random(in: -1...1, using: &generator)
      }
    }
  }

  @Test("Two ensembles of one law are equal within the margin; a mean moved by 30% is not equal")
  func decides() throws {
    let reference = runs(32, outputs: 200, shift: 0, seed: 1)
    let same = try EnsembleComparison(
      reference: reference, transformed: runs(32, outputs: 200, shift: 0, seed: 2), paired: false)
    #expect(same.distributional == .equal && same.verdict == .invariant)
    let moved = try EnsembleComparison(
      reference: reference, transformed: runs(32, outputs: 200, shift: 0.3, seed: 3), paired: false)
    #expect(moved.distributional == .notEqual && moved.verdict == .notInvariant)
    #expect(moved.measurement.interval[0] > 0.1)
  }

  @Test(
    "Paired runs that agree exactly are exactly invariant; paired runs that part are compared in distribution only"
  )
  func paired() throws {
    let reference = runs(8, outputs: 50, shift: 0, seed: 4)
    let identical = try EnsembleComparison(
      reference: reference, transformed: reference, paired: true)
    #expect(
      identical.exact == .invariant && identical.pairedDeviation == 0
        && identical.verdict == .invariant)
    let shared = try EnsembleComparison(
      reference: reference,
      transformed: runs(8, outputs: 50, shift: 0, seed: 5, common: 5 &+ 1_000), paired: true)
    #expect(shared.exact == .unknown && (shared.pairedDeviation ?? 0) > 1e-3)
  }

  @Test(
    "Ensembles of different sizes, too few runs or non-finite predictions are refused with a reason"
  )
  func badInput() throws {
    let reference = runs(5, outputs: 4, shift: 0, seed: 6)
    #expect(throws: ProbeError.self) {
      try EnsembleComparison(
        reference: reference, transformed: Array(reference.prefix(4)), paired: false)
    }
    #expect(throws: ProbeError.self) {
      try EnsembleComparison(
        reference: Array(reference.prefix(2)), transformed: Array(reference.prefix(2)),
        paired: false)
    }
    var broken = reference
    broken[3][1] = .nan
    #expect(
      throws: ProbeError.mismatch(
        "run 3 of the transformed ensemble holds a NaN or infinite prediction")
    ) {
      try EnsembleComparison(reference: reference, transformed: broken, paired: true)
    }
  }
}
