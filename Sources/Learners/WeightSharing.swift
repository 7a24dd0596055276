/// How an affine layer shares its weights across pixel locations.
///
/// This one choice separates the fully connected, locally connected and convolutional layers,
/// which otherwise are the same affine map z = W x / sqrt(fan-in) + b (NTK parameterisation).
/// For the infinite-width kernel it decides which pixel pairs stay correlated:
///
/// - `none` (dense): the layer acts on a vector (after flatten or pooling); S = b^2 + W^2 K.
/// - `perLocation` (locally connected): every output pixel has its own filter, so outputs at
///   different pixels are independent: S(p, q) = 0 for p != q, and on the diagonal
///   S(p, p) = b^2 + W^2 mean_d K(p + d, p + d).
/// - `everywhere` (convolution): one filter for all pixels:
///   S(p, q) = b^2 + W^2 mean_d K(p + d, q + d).
///
/// Both spatial kinds agree on the pixel diagonal, which is why LCN and CNN-VEC kernels coincide.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py`, `_Conv` (one private
/// function behind `Conv` and `ConvLocal`, switched by `shared_weights`) and
/// `_conv_kernel_full_spatial_unshared` (diagonal only, bias on the diagonal only).
public enum WeightSharing: String, CaseIterable, Sendable, Hashable {
  /// A dense layer: every weight is its own, and the input is a vector.
  case none
  /// A locally connected layer: one k x k filter per output location.
  case perLocation
  /// A convolution: one k x k filter shared by every location.
  case everywhere
}
