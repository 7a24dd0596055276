import Foundation
import Learners
import Symmetries
import Testing

/// The kernels and the closed forms take different float64 paths to the same numbers (a few
/// dozen operations per layer, arcsin and square roots of O(1) values), so they agree to a few
/// ulps per layer; 1e-12 over tens of layers leaves two orders of magnitude, while a wrong
/// fixed point or slope moves them by 1e-3 or more.
private let roundOff = 1e-12

/// Weight variances on both sides of erf's transition at b^2 = 0.01 (W^2 ~ 1.13) and ReLU's
/// (W^2 = 2; ReLU with b > 0 is ordered below it).
private let cases: [(Activation, Double)] = [
  (.erf, 0.5), (.erf, 1.0), (.erf, 1.5), (.erf, 3.0), (.relu, 0.5), (.relu, 1.5), (.relu, 1.9),
]
private let biasVariance = 0.01

@Suite("Depth analysis: fixed points, slopes and depth scales")
struct DepthAnalysisTests {
  @Test("ReLU's closed forms: q* = b^2 / (1 - W^2/2), chi_1 = W^2/2, ordered below W^2 = 2")
  func reluClosedForms() throws {
    let analysis = try DepthAnalysis(activation: .relu, weightVariance: 1.5, biasVariance: 0.1)
    #expect(analysis.qStar == 0.1 / (1 - 0.75))
    #expect(analysis.chi1 == 0.75)
    #expect(analysis.cStar == 1 && analysis.chiCStar == 0.75)
    #expect(analysis.phase == .ordered)
    #expect(abs(analysis.xi1 - 1 / log(4.0 / 3)) <= roundOff * analysis.xi1)
    #expect(analysis.xiStar == .infinity)
  }

  @Test(
    "ReLU without bias, or with W^2 >= 2, is scale-free: no q*, critical, infinite depth scales",
    arguments: [(0.5, 0.0), (2.0, 0.0), (4.0, 0.0), (2.0, 0.1), (3.0, 0.1)])
  func reluIsScaleFree(weightVariance: Double, biasVariance: Double) throws {
    let analysis = try DepthAnalysis(
      activation: .relu, weightVariance: weightVariance, biasVariance: biasVariance)
    #expect(analysis.qStar == nil)
    #expect(analysis.phase == .critical)
    #expect(analysis.xi1 == .infinity && analysis.xiStar == .infinity)
  }

  @Test("ReLU without bias: the condition number of the NTK does not depend on W")
  func reluWithoutBiasIsScaleFree() throws {
    var generator = SeededGenerator(seed: 5)
    let images = try ImageBatch(
      count: 6, height: 1, width: 1, channels: 8, values: generator.gaussians(48))
    var conditions: [Double] = []
    for weightVariance in [0.5, 2.0, 3.0] {
      let analysis = try DepthAnalysis(
        activation: .relu, weightVariance: weightVariance, biasVariance: 0)
      let kernel: any KernelFunction = try analysis.architecture(.fcn, depth: 6)
      let values = try kernel.kernels(images, nil).ntk.symmetricEigen().values
      conditions.append(values.last! / values.first!)
    }
    // Each kernel is (W^2 / 2)^7 times the critical one, so only the scaling's round-off differs.
    #expect(abs(conditions[0] / conditions[1] - 1) <= roundOff * 100, "\(conditions)")
    #expect(abs(conditions[2] / conditions[1] - 1) <= roundOff * 100, "\(conditions)")
  }

  @Test(
    "Erf's q* and c* are fixed points of the closed-form maps; chaos above W^2 ~ 1.13 at b^2 = 0.01"
  )
  func erfFixedPoints() throws {
    for weightVariance in [0.5, 1.0, 1.2, 1.5, 3.0, 5.0] {
      let analysis = try DepthAnalysis(
        activation: .erf, weightVariance: weightVariance, biasVariance: biasVariance)
      let q = try #require(analysis.qStar)
      let variance = weightVariance * 2 / Double.pi * asin(2 * q / (1 + 2 * q)) + biasVariance
      #expect(abs(variance - q) <= roundOff * q)
      let c = analysis.cStar
      let correlation =
        (weightVariance * 2 / Double.pi * asin(2 * q * c / (1 + 2 * q)) + biasVariance) / q
      #expect(abs(correlation - c) <= roundOff)
      #expect(
        analysis.phase == (weightVariance < 1.13 ? .ordered : .chaotic), "W^2 = \(weightVariance)")
      if analysis.phase == .chaotic {
        #expect(c < 1 && analysis.chiCStar < 1 && analysis.chi1 > 1)
        #expect(analysis.xiStar.isFinite && analysis.xiStar > 0)
      }
    }
  }

  @Test(
    "The fixed points and slopes agree with the kernels computed layer by layer, to round-off",
    arguments: [NamedArchitecture.fcn, .cnnVec, .cnnGap], cases.indices)
  func kernelsAgree(architecture: NamedArchitecture, index: Int) throws {
    let (activation, weightVariance) = cases[index]
    let analysis = try DepthAnalysis(
      activation: activation, weightVariance: weightVariance, biasVariance: biasVariance)
    for depth in [1, 7, 20] {
      let measured = try analysis.measure(architecture, depth: depth, side: 3)
      let q = try #require(analysis.qStar)
      #expect(abs(measured.qStar - q) <= roundOff * q, "q*, depth \(depth)")
      #expect(abs(measured.cStar - analysis.cStar) <= roundOff, "c*, depth \(depth)")
      #expect(
        abs(measured.chi1 - analysis.chi1) <= roundOff * analysis.chi1, "chi_1, depth \(depth)")
      #expect(
        abs(measured.chiCStar - analysis.chiCStar) <= roundOff * analysis.chiCStar,
        "chi_c*, depth \(depth): \(measured.chiCStar) vs \(analysis.chiCStar)")
    }
  }

  @Test("Negative or non-finite variances are refused with a typed error")
  func invalidVariances() {
    #expect(throws: DepthError.invalidVariance(parameter: "W^2", value: -1)) {
      try DepthAnalysis(activation: .erf, weightVariance: -1, biasVariance: 0)
    }
    #expect(throws: DepthError.self) {
      try DepthAnalysis(activation: .relu, weightVariance: 1, biasVariance: .nan)
    }
    #expect(throws: DepthError.self) {
      try DepthAnalysis(activation: .relu, weightVariance: 3, biasVariance: 0.1).probeImages(
        side: 2)
    }
  }
}
