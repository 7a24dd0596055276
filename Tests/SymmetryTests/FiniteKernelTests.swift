import CheckerSupport
import Learners
import Symmetries
import SymmetryTesting
import Testing

// MARK: - Tolerances

/// Monte Carlo and finite-width errors shrink like 1 / sqrt(width * samples): quadrupling the
/// width should halve them. The estimate of each error is itself noisy (a few samples), so the
/// claim asks for a ratio below 0.75, well short of the predicted 0.5 and well clear of the 1.0
/// of an estimator that does not converge.
private let convergenceRatioCeiling = 0.75

/// The error at the larger width must also be of the predicted size: at most this multiple of
/// 1 / sqrt(width * samples) (measured multiples: 0.7 to 1.6).
private let convergenceConstant = 4.0

// MARK: - Claims

@Suite("Empirical kernels of finite networks")
struct FiniteKernelTests {
  /// The largest entry-wise error of the Monte Carlo NNGP and NTK against the analytic ones.
  private func errors(
    _ architecture: Architecture, images: ImageBatch, width: Int, samples: Int
  ) throws -> (nngp: Double, ntk: Double) {
    let analytic = try architecture.kernels(images, nil)
    let empirical = try MonteCarloKernel(
      architecture: architecture, width: width, samples: samples, seed: 100
    ).kernels(images, nil)
    return (
      relativeDeviation(empirical.nngp.storage, analytic.nngp.storage),
      relativeDeviation(empirical.ntk.storage, analytic.ntk.storage)
    )
  }

  @Test(
    "Empirical NNGP and NTK converge to the analytic kernels like 1/sqrt(width x samples)",
    arguments: [
      (NamedArchitecture.fcn, 32, 128), (.cnnGap, 16, 64),
    ])
  func empiricalKernelsConverge(_ name: NamedArchitecture, _ narrow: Int, _ wide: Int) throws {
    let architecture = try name.architecture(depth: 1, activation: .erf)
    let images = randomBatch(shape(3, 3, 2), count: 3, seed: 31)
    let samples = 8
    let coarse = try errors(architecture, images: images, width: narrow, samples: samples)
    let fine = try errors(architecture, images: images, width: wide, samples: samples)
    let scale = 1 / Double(wide * samples).squareRoot()
    #expect(fine.nngp < convergenceRatioCeiling * coarse.nngp)
    #expect(fine.ntk < convergenceRatioCeiling * coarse.ntk)
    #expect(fine.nngp < convergenceConstant * scale)
    #expect(fine.ntk < convergenceConstant * scale)
  }

  @Test(
    "The empirical kernel of one network is a KernelFunction: symmetric, and K(x, nil) = K(x, x)")
  func empiricalKernelIsAKernelFunction() throws {
    let imageShape = shape(3, 3, 2)
    let network = try FiniteNetwork(
      architecture: NamedArchitecture.cnnVec.architecture(depth: 1, activation: .relu),
      inputShape: imageShape, width: 4, outputs: 3, seed: 2)
    let images = randomBatch(imageShape, count: 3, seed: 1)
    let own = try network.kernels(images, nil)
    let pair = try network.kernels(images, images)
    expectClose(own.ntk.storage, pair.ntk.storage, tolerance: 1e-14)
    expectClose(own.ntk.storage, own.ntk.transposed.storage, tolerance: 1e-14)
    expectClose(own.nngp.storage, own.nngp.transposed.storage, tolerance: 1e-14)
  }
}
