/// How a convolution or locally connected layer treats the image border.
///
/// With a k x k filter and lo = (k - 1) / 2 (integer division), output pixel p = (y, x) reads the
/// input pixels p + (dy, dx):
///
/// - `circular`: dy, dx in [-lo, k - 1 - lo], indices taken modulo H and W (the image is a torus);
///   the output keeps the input's H x W.
/// - `same`: the same offsets, and an offset that leaves the image reads a zero; the output keeps
///   H x W. The kernel still divides by the full k * k (padded zeros count in the fan-in).
/// - `valid`: dy, dx in [0, k - 1] without leaving the image; the output is (H - k + 1) x (W - k + 1).
///
/// For an even k the extra tap is on the high side (lo = (k - 1) / 2 < k - 1 - lo), as in
/// `lax.padtype_to_pads(..., "SAME")`, which neural-tangents uses for both `SAME` and `CIRCULAR`.
///
/// Reference: neural-tangents, `neural_tangents/_src/stax/linear.py` (older releases: the same
/// functions in `neural_tangents/stax.py`):
/// `_conv_kernel_diagonal_spatial` sums K(p + d, p + d) with `lax.reduce_window(..., padding=SAME
/// or VALID)` (zero padding) and divides by `filter_size` = k * k; `_conv_kernel_full_spatial_shared`
/// convolves the (p, q) plane with the diagonal filter diag(1/k) per axis under the same padding, so
/// an offset contributes zero when p + d or q + d leaves the image; `_same_pad_for_filter_shape`
/// wrap-pads for `CIRCULAR` and then applies `VALID`.
public enum Padding: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  /// Periodic boundary: the image is a torus.
  case circular
  /// Zero padding that keeps the image size.
  case same
  /// No padding: the output shrinks by k - 1 per axis.
  case valid

  public var description: String { rawValue }
}
