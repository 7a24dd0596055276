import Symmetries

/// The fixed points and slopes of a depth analysis read off an architecture's kernels, computed
/// layer by layer through `KernelFunction.kernels`: the numeric check of `DepthAnalysis`.
///
/// Two probe images x, x' with C = 2 channels put the first layer exactly at the fixed point:
/// every pixel of x is (a, 0) and every pixel of x' is (a rho, a sqrt(1 - rho^2)), with
/// W^2 a^2 / C + b^2 = q* and W^2 a^2 rho / C + b^2 = q* c*. Every pixel then carries the same
/// variance and correlation, so convolutions, flatten and pooling act as the identity on them
/// and FCN, CNN-VEC and CNN-GAP all follow the dense recursion. With the NNGP Sigma and NTK
/// Theta of the networks of depth L and L + 1 (readout included):
///
///     q* = Sigma_L(x, x),   c* = Sigma_L(x, x') / Sigma_L(x, x),
///     chi_1  = (Theta_{L+1}(x, x)  - Sigma_{L+1}(x, x))  / Theta_L(x, x),
///     chi_c* = (Theta_{L+1}(x, x') - Sigma_{L+1}(x, x')) / Theta_L(x, x'),
///
/// since Theta_{l+1} = Sigma_{l+1} + W^2 E[phi'(u) phi'(v)] Theta_l and the readout is one
/// more layer with the same W, b.
public struct KernelDepthMeasurement: Sendable, Hashable {
  /// The depth L of the shallower network.
  public let depth: Int
  /// Sigma_L(x, x).
  public let qStar: Double
  /// Sigma_L(x, x') / Sigma_L(x, x).
  public let cStar: Double
  /// (Theta_{L+1}(x, x) - Sigma_{L+1}(x, x)) / Theta_L(x, x).
  public let chi1: Double
  /// (Theta_{L+1}(x, x') - Sigma_{L+1}(x, x')) / Theta_L(x, x').
  public let chiCStar: Double
}

extension DepthAnalysis {
  /// The two probe images of `KernelDepthMeasurement` on a `side` x `side` x 2 grid.
  ///
  /// - Throws: `DepthError.noFixedPoint` when q* does not exist.
  /// - Complexity: O(side^2).
  public func probeImages(side: Int) throws -> ImageBatch {
    guard let qStar else {
      throw DepthError.noFixedPoint(
        activation: activation, weightVariance: weightVariance, biasVariance: biasVariance)
    }
    // W = 0 leaves the input unseen; any amplitude then gives Sigma = b^2 = q*.
    let amplitude =
      weightVariance > 0 ? (2 * (qStar - biasVariance) / weightVariance).squareRoot() : 1
    let rho = qStar > biasVariance ? (qStar * cStar - biasVariance) / (qStar - biasVariance) : 1
    let first: [Double] = [amplitude, 0]
    let second: [Double] = [amplitude * rho, amplitude * (1 - rho * rho).squareRoot()]
    let pixels = side * side
    let values =
      Array(repeating: first, count: pixels).flatMap { $0 }
      + Array(repeating: second, count: pixels).flatMap { $0 }
    return try ImageBatch(count: 2, height: side, width: side, channels: 2, values: values)
  }

  /// The fixed points and slopes measured on `architecture`'s kernels at depths `depth` and
  /// `depth + 1` (3 x 3 circular filters on a `side` x `side` grid).
  ///
  /// - Throws: `DepthError.noFixedPoint` without a finite q*, `DepthError.invalidDepth`, and
  ///   kernel errors.
  /// - Complexity: two kernel evaluations of 2 images, O(depth) layers each.
  public func measure(
    _ architecture: NamedArchitecture, depth: Int, side: Int = 3
  ) throws -> KernelDepthMeasurement {
    guard depth >= 1 else { throw DepthError.invalidDepth(depth) }
    let images = try probeImages(side: side)
    let shallow = try kernels(architecture, depth: depth, images)
    let deep = try kernels(architecture, depth: depth + 1, images)
    return KernelDepthMeasurement(
      depth: depth,
      qStar: shallow.nngp[0, 0],
      cStar: shallow.nngp[0, 1] / shallow.nngp[0, 0],
      chi1: (deep.ntk[0, 0] - deep.nngp[0, 0]) / shallow.ntk[0, 0],
      chiCStar: (deep.ntk[0, 1] - deep.nngp[0, 1]) / shallow.ntk[0, 1])
  }

  /// `architecture` of this depth with this analysis's activation and variances.
  ///
  /// - Complexity: O(depth).
  public func architecture(_ architecture: NamedArchitecture, depth: Int) throws -> Architecture {
    try architecture.architecture(
      depth: depth, activation: activation, weightStd: weightVariance.squareRoot(),
      biasStd: biasVariance.squareRoot())
  }

  private func kernels(
    _ name: NamedArchitecture, depth: Int, _ images: ImageBatch
  ) throws -> KernelMatrices {
    let kernel: any KernelFunction = try architecture(name, depth: depth)
    return try kernel.kernels(images, nil)
  }
}
