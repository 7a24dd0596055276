import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// Seeded Gaussian inputs in general position: 12 vectors of dimension 16 (an FCN flattens
/// first, so its kernel costs O(1) per pair and layer even in a debug build).
private let inputs: ImageBatch = {
  var generator = SeededGenerator(seed: 11)
  return try! ImageBatch(
    count: 12, height: 1, width: 1, channels: 16, values: generator.gaussians(12 * 16))
}()

private func ntk(
  _ analysis: DepthAnalysis, _ architecture: NamedArchitecture, depth: Int, _ images: ImageBatch
) throws -> Matrix {
  let kernel: any KernelFunction = try analysis.architecture(architecture, depth: depth)
  return try kernel.kernels(images, nil).ntk
}

private func conditionNumber(_ matrix: Matrix) throws -> Double {
  let values = try matrix.symmetricEigen().values
  return values.last! / values.first!
}

@Suite("Depth: trainability and the NTK's limits")
struct DepthConditionTests {
  /// The predicted rate is asymptotic: it drops O(1 / L) terms of ln(condition number) and
  /// higher powers of 1 - c_L. At depths of 8 to 16 xi_1 those terms move the slope by a few
  /// percent, so 5% separates the prediction from the alternatives (ReLU's rate is half of
  /// erf's formula, so a wrong branch is off by 50%).
  static let rateTolerance = 0.05

  @Test(
    "Ordered phase: the NTK condition number grows at the predicted rate (erf 1/xi_1 - ln(L2/L1)/(L2-L1), ReLU 1/(2 xi_1))",
    arguments: [
      (Activation.erf, 0.5, 16, 24), (.erf, 0.75, 40, 60), (.relu, 1.0, 16, 24),
      (.relu, 1.5, 40, 60),
    ])
  func orderedConditionRate(
    activation: Activation, weightVariance: Double, from l1: Int, to l2: Int
  ) throws {
    let analysis = try DepthAnalysis(
      activation: activation, weightVariance: weightVariance, biasVariance: 0.01)
    #expect(analysis.phase == .ordered)
    let k1 = try conditionNumber(ntk(analysis, .fcn, depth: l1, inputs))
    let k2 = try conditionNumber(ntk(analysis, .fcn, depth: l2, inputs))
    let measured = (log(k2) - log(k1)) / Double(l2 - l1)
    let predicted = try #require(analysis.conditionNumberGrowthRate(from: l1, to: l2))
    #expect(
      abs(measured - predicted) <= Self.rateTolerance * predicted,
      "measured \(measured), predicted \(predicted), condition numbers \(k1), \(k2)")
  }

  @Test(
    "Chaotic phase: the NTK's off-diagonal tends to q* c* / (1 - chi_c*) while its diagonal grows like chi_1^L"
  )
  func chaoticOffDiagonalIsConstant() throws {
    let analysis = try DepthAnalysis(activation: .erf, weightVariance: 3, biasVariance: 0.01)
    let limit = try #require(analysis.ntkOffDiagonalLimit)
    var spreads: [Double] = []
    var diagonals: [Double] = []
    let depths = [40, 80]
    for depth in depths {
      let theta = try ntk(analysis, .fcn, depth: depth, inputs)
      let off = (0..<theta.rows).flatMap { i in
        (0..<theta.columns).filter { $0 != i }.map { theta[i, $0] }
      }
      spreads.append(off.map { abs($0 - limit) }.max()! / limit)
      diagonals.append((0..<theta.rows).map { theta[$0, $0] }.reduce(0, +) / Double(theta.rows))
    }
    // Deviations from the limit obey e_{L+1} = chi_c* e_L + O(chi_c*^L): a resonant forcing,
    // so they fade like L chi_c*^L; 20% covers the O(1 / L) corrections at these depths.
    let fade =
      Double(depths[1]) / Double(depths[0]) * pow(analysis.chiCStar, Double(depths[1] - depths[0]))
    #expect(
      spreads[1] <= 1.2 * fade * spreads[0],
      "off-diagonal deviations \(spreads), predicted ratio \(fade)")
    #expect(spreads[1] < 1e-2, "off-diagonal deviations \(spreads)")
    // Theta(x, x) + q* / (chi_1 - 1) grows exactly like chi_1^L once q_L = q*; the variance map
    // contracts at about 0.3 per layer, so at depth 40 its transient is far below 1e-9.
    let shift = try #require(analysis.qStar) / (analysis.chi1 - 1)
    let growth = (diagonals[1] + shift) / (diagonals[0] + shift)
    let predicted = pow(analysis.chi1, Double(depths[1] - depths[0]))
    #expect(
      abs(growth / predicted - 1) < 1e-9, "diagonal growth \(growth) vs chi_1^40 \(predicted)")
  }
}
