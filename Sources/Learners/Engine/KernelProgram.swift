import Symmetries

/// An architecture as the infinite-width kernel engine sees it: an input kind, a list of
/// affine and activation steps, and a readout. `Architecture.kernelProgram` derives it from a
/// layer list (the catalogue's through `NamedArchitecture.architecture(...)`).
///
/// The engine follows neural-tangents' conventions (NTK parameterisation, fan-in normalised).
/// Writing S for the NNGP covariance and T for the NTK of two inputs x, x' at pixels (p, q):
///
/// - Input: S0(p, q) = <x_p, x'_q> / C for `.spatial` input (channel vectors at two pixels);
///   S0 = <x, x'> / (H W C) for `.dense` input (the flattened image); T0 = 0.
/// - `.affine` (convolution; for a flatten readout also locally connected, whose kernel has
///   the same pixel diagonal): S(p, q) = b^2 + W^2 mean_d K(p + d, q + d) over the filter
///   offsets d, T(p, q) = S(p, q) + W^2 mean_d T'(p + d, q + d). On dense input the filter is
///   1 x 1 and the step is a dense layer.
/// - `.activation`: K = E[phi(u) phi(v)], Kdot = E[phi'(u) phi'(v)] for (u, v) centred Gaussian
///   with variances S_xx(p, p), S_x'x'(q, q) and covariance S(p, q); T' = Kdot T.
/// - `.stridedAffine`, `.pool`: the strided convolution and window pooling above, on whole pixel
///   pair tensors.
/// - Readout `.flatten`: S = b^2 + W^2 mean_p K(p, p), T = S + W^2 mean_p T'(p, p).
///   `.globalAveragePool`: the same with the mean over all pixel pairs (p, q).
///
/// Reference: Novak et al., "Neural Tangents: Fast and Easy Infinite Neural Networks in
/// Python", ICLR 2020; Arora et al., "On Exact Computation with an Infinitely Wide Neural Net",
/// NeurIPS 2019 (the CNN-GAP NTK recursion).
public struct KernelProgram: Sendable, Hashable {
  /// How the input covariance is formed.
  public enum Input: Sendable, Hashable {
    /// The image is flattened: one covariance <x, x'> / d per pair (FCN).
    case dense
    /// The image keeps its pixels: a covariance per pixel pair (CNN, LCN).
    case spatial
  }

  /// How an affine step treats the image border, with the conventions of the layer-list
  /// `Learners.Padding` (neural-tangents').
  public enum Padding: Sendable, Hashable {
    /// Indices wrap around (a torus).
    case circular
    /// Zero padding keeping the size (neural-tangents `Padding.SAME`): a tap off the grid reads
    /// a covariance of zero, and the divisor is still the full filter size.
    case same
    /// No padding: the output shrinks by filter - 1 (neural-tangents `Padding.VALID`).
    case valid
  }

  /// An element-wise nonlinearity with a closed-form Gaussian kernel.
  public enum Activation: Sendable, Hashable {
    /// max(0, u): K = sqrt(S_xx S_x'x') (sin t + (pi - t) c) / (2 pi), Kdot = (pi - t) / (2 pi),
    /// c = S / sqrt(S_xx S_x'x') clipped to [-1, 1], t = arccos c (Cho & Saul 2009).
    case relu
    /// erf(u): K = (2 / pi) arcsin(2 S / sqrt(D)), Kdot = (4 / pi) / sqrt(D - 4 S^2),
    /// D = (1 + 2 S_xx)(1 + 2 S_x'x') (Williams 1997).
    case erf
  }

  /// One layer of the recursion.
  public enum Step: Sendable, Hashable {
    /// A convolution (or dense layer on dense input) with a filterHeight x filterWidth filter,
    /// stride 1, weight and bias standard deviations W and b.
    case affine(
      filterHeight: Int, filterWidth: Int, padding: Padding, weightStd: Double, biasStd: Double)
    /// An element-wise nonlinearity.
    case activation(Activation)
    /// A k x k convolution moved by `stride` pixels (neural-tangents' padding under stride, as
    /// `TapTable`): S'(o1, o2) = b^2 + W^2 mean_d K(s o1 + d, s o2 + d) over the taps, T' =
    /// S' + W^2 mean_d T'(same). Pixel offsets scale by the stride, so the engine runs it on
    /// whole pair tensors between stages (`PairResampling`).
    case stridedAffine(
      filterSize: Int, stride: Int, padding: Padding, weightStd: Double, biasStd: Double)
    /// k x k window pooling moved by `stride`: S'(o1, o2) = c^2 sum over the window pairs
    /// (a, b) of S(a, b), likewise T', with c = 1 / k^2 for the average and 1 for the sum
    /// (padded zeros count, neural-tangents' `normalize_edges=False`). Mixes pixel offsets, so
    /// it runs on whole pair tensors between stages (`PairResampling`).
    case pool(window: Int, stride: Int, padding: Padding, average: Bool)
  }

  /// The final dense layer to one output, and how it sees the pixels.
  public enum Readout: Sendable, Hashable {
    /// Flatten, then a dense layer: only the pixel diagonal p = q contributes.
    case flatten(weightStd: Double, biasStd: Double)
    /// Global average pooling, then a dense layer: every pixel pair contributes.
    case globalAveragePool(weightStd: Double, biasStd: Double)
  }

  /// How the input covariance is formed.
  public var input: Input
  /// The layers, applied in order.
  public var steps: [Step]
  /// The readout layer.
  public var readout: Readout

  /// A program from its parts; the engine validates it when it is built.
  public init(input: Input, steps: [Step], readout: Readout) {
    self.input = input
    self.steps = steps
    self.readout = readout
  }
}
