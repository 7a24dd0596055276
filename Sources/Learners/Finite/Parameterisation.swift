/// How a finite network's weights are scaled: where the 1 / sqrt(fan-in) of every affine layer
/// sits, in the forward pass (NTK) or in the initialisation (standard).
///
/// For an affine layer with fan-in n (k^2 C_in for a k x k filter, the vector's length for a
/// dense layer or the readout), weight standard deviation sigma_w and bias standard deviation
/// sigma_b:
///
///     NTK:       z = sigma_w / sqrt(n) * W x + sigma_b * b,   W_ij, b_j ~ N(0, 1)
///     standard:  z = W x + b,                                 W_ij ~ N(0, sigma_w^2 / n), b_j ~ N(0, sigma_b^2)
///
/// At initialisation the two are the same function: W_standard = sigma_w / sqrt(n) * W_ntk and
/// b_standard = sigma_b * b_ntk, so networks drawn from one seed agree output for output, and
/// both have the architecture's NNGP as their infinite-width law (Neal 1996; Lee et al. 2018).
///
/// They differ in training. The gradient with respect to a standard weight is sqrt(n) / sigma_w
/// times that with respect to the NTK weight it corresponds to, so gradient descent with rate
/// eta on the standard parameters is gradient descent on the NTK parameters with a per-layer
/// rate eta * n / sigma_w^2 on the weights and eta / sigma_b^2 on the biases. In NTK
/// parameterisation one rate eta = O(1) trains every layer at the same pace and, as the width
/// grows, the network stays in the kernel (lazy) regime: its empirical NTK converges to the
/// analytic NTK and stays fixed during training (Jacot et al. 2018; Lee et al. 2019). In standard
/// parameterisation the layers with large fan-in (the hidden convolutions, the flatten readout
/// of a CNN-VEC with fan-in = width x pixels) see rates n times larger: the empirical NTK grows
/// with the width, a stable rate must shrink like 1 / width, and at a fixed width the largest
/// stable rates move the hidden features by O(1) relative amounts, away from the kernel regime
/// (Sohl-Dickstein et al. 2020, "On the infinite width limit of neural networks with a standard
/// parameterization"; Yang & Hu 2021). A bias with sigma_b = 0 is inert in NTK parameterisation
/// (it is multiplied by 0) but trainable from 0 in standard parameterisation, as in
/// neural-tangents' `parameterization='standard'`.
public enum Parameterisation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// z = sigma_w / sqrt(n) W x + sigma_b b with N(0, 1) parameters (neural-tangents' default).
  case ntk
  /// z = W x + b with W ~ N(0, sigma_w^2 / n) and b ~ N(0, sigma_b^2).
  case standard

  public var description: String { rawValue }
}
