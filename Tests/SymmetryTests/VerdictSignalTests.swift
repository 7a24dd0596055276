import Foundation
import Learners
import Probes
import Symmetries
import Testing

@Suite("Verdicts need a signal, and exact symmetries come out exact")
struct VerdictSignalTests {
  @Test("Outputs that are all zero give 'no signal', never 'invariant'")
  func zeroOutputsAreNoSignal() {
    #expect(deviation([0, 0, 0], from: [0, 0, 0]).isNaN)
    #expect(Verdict(deviation: deviation([0, 0], from: [0, 0]), thresholds: .kernel) == .noSignal)
    #expect(
      Verdict(deviation: deviation([1, 0], from: [0, 0]), thresholds: .kernel) == .notInvariant)
    #expect(
      Verdict(deviation: deviation([1, 2], from: [1, 2]), thresholds: .kernel) == .invariant)
  }

  @Test("Ensembles of networks that all predict 0 give 'no signal', not an invariance")
  func zeroEnsemblesAreNoSignal() throws {
    let zeros = [[Double]](repeating: [0, 0, 0], count: 4)
    let measured = try EnsembleMeasurement(
      moved: zeros, original: zeros, targets: [1, -1, 0], margin: 0.1)
    #expect(measured.verdict == .noSignal)
  }

  /// A pooled network with a dense layer after the pooling runs on the layer-by-layer path,
  /// where the ReLU NTK's arc-cosine once turned a few ulps of c near 1 into 5e-9.
  @Test("The ReLU NTK of a pooled network is exactly invariant to translations, functionally too")
  func reluNTKTranslationExact() throws {
    let data = try ExperimentData.load(.cifar10, size: 8, trainCount: 8, testCount: 4)
    let architecture = try Architecture(parsing: "conv(3) relu conv(3) relu gap dense relu readout")
    let g = try TranslationFamily().element(for: data.train.images.shape, seed: 3)
    let probe = try KernelInvarianceProbe(train: data.train.images, test: data.test.images)
    let measured = try probe.measure(architecture, under: g)
    for value in [
      measured.algorithmic.nngp, measured.algorithmic.ntk,
      measured.functional.nngp, measured.functional.ntk,
    ] {
      #expect(value <= VerdictThresholds.kernel.roundOff, "\(measured)")
    }
  }
}
