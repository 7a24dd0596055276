import CheckerSupport
import Learners
import Symmetries
import Testing

// MARK: - Tolerances

/// Monte Carlo and finite-width errors shrink like 1 / sqrt(width x samples), so 16 times the
/// width should cut them to a quarter. One seed's largest-entry error is itself noisy (measured
/// for flatten and gap readouts at widths 32 and 128, six seeds each: error x sqrt(width x
/// samples) between 0.9 and 4.2 for the NNGP, 0.1 and 1.5 for the NTK, at both widths), so the
/// claim averages the error over seeds and asks for a ratio below 0.5, twice the predicted 0.25
/// and far below the 1.0 of an estimator that does not converge.
private let convergenceRatioCeiling = 0.5

/// The averaged error at the larger width must also be of the predicted size: at most this
/// multiple of 1 / sqrt(width x samples) (the measured multiples above stay below 4.2).
private let convergenceConstant = 6.0

/// The widths and the Monte Carlo budget of every case.
private let narrowWidth = 16
private let wideWidth = 256
private let samples = 4
private let seeds: [UInt64] = [100, 200]

// MARK: - Claims

@Suite("Empirical kernels of the new layers")
struct LayerConvergenceTests {
  /// The largest entry-wise errors of the Monte Carlo NNGP and NTK against the analytic ones,
  /// averaged over `seeds`.
  private func errors(_ architecture: Architecture, images: ImageBatch, width: Int) throws -> (
    nngp: Double, ntk: Double
  ) {
    let analytic = try architecture.kernels(images, nil)
    var nngp = 0.0
    var ntk = 0.0
    for seed in seeds {
      let empirical = try MonteCarloKernel(
        architecture: architecture, width: width, samples: samples, seed: seed
      ).kernels(images, nil)
      nngp += relativeDeviation(empirical.nngp.storage, analytic.nngp.storage)
      ntk += relativeDeviation(empirical.ntk.storage, analytic.ntk.storage)
    }
    return (nngp / Double(seeds.count), ntk / Double(seeds.count))
  }

  @Test(
    "Each new layer's empirical NNGP and NTK converge to its analytic kernels like 1/sqrt(width x samples)",
    arguments: [
      "conv(3) abrelu(-0.3,1) gap readout", "conv(3) leakyrelu(0.1) gap readout",
      "conv(3) abs gap readout",
      "conv(3) gelu gap readout", "conv(3) sign gap readout", "conv(3) sin gap readout",
      "conv(3) rbf(1) gap readout", "conv(3) identity gap readout",
      "conv(3) layernorm relu gap readout", "conv(3) layernorm(all) erf gap readout",
      "conv(3) residual(relu conv(1)) relu gap readout", "conv(1) attention relu gap readout",
    ])
  func empiricalKernelsConverge(_ layers: String) throws {
    let architecture = try Architecture(parsing: layers)
    let images = randomBatch(shape(3, 3, 2), count: 3, seed: 31)
    let coarse = try errors(architecture, images: images, width: narrowWidth)
    let fine = try errors(architecture, images: images, width: wideWidth)
    let scale = 1 / Double(wideWidth * samples).squareRoot()
    #expect(
      fine.nngp < convergenceRatioCeiling * coarse.nngp, "NNGP \(coarse.nngp) -> \(fine.nngp)")
    #expect(fine.ntk < convergenceRatioCeiling * coarse.ntk, "NTK \(coarse.ntk) -> \(fine.ntk)")
    #expect(
      fine.nngp < convergenceConstant * scale,
      "NNGP \(fine.nngp) x sqrt(width x samples) = \(fine.nngp / scale)")
    #expect(
      fine.ntk < convergenceConstant * scale,
      "NTK \(fine.ntk) x sqrt(width x samples) = \(fine.ntk / scale)")
  }
}
