/// The phase of a deep network's signal propagation, from the slope chi_1 of its correlation
/// map at c = 1.
///
/// - `ordered`: chi_1 < 1. Every pair of inputs becomes perfectly correlated with depth
///   (c* = 1) at the rate chi_1^l; the NTK tends to a constant matrix, so its condition number
///   grows like e^{l / xi_1} and the network stops being trainable in a fixed time.
/// - `critical`: chi_1 = 1. Correlations approach their fixed point only polynomially; no depth
///   scale (xi = infinity). ReLU without bias, and ReLU with W^2 >= 2, are critical in this
///   sense for every W (see `DepthAnalysis`).
/// - `chaotic`: chi_1 > 1. Correlations converge to c* < 1; the NTK's diagonal grows like
///   chi_1^l while its off-diagonal tends to one constant, so the network memorises but its
///   data-dependent part fades like e^{-l / xi_*}.
///
/// Reference: S. Schoenholz, J. Gilmer, S. Ganguli, J. Sohl-Dickstein, "Deep Information
/// Propagation", ICLR 2017; L. Xiao, J. Pennington, S. Schoenholz, "Disentangling Trainability
/// and Generalization in Deep Neural Networks", ICML 2020, section 3.
public enum DepthPhase: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// chi_1 < 1: correlations converge to 1 and gradients vanish with depth.
  case ordered
  /// chi_1 = 1: correlations approach their fixed point only polynomially.
  case critical
  /// chi_1 > 1: correlations converge to c* < 1 and the NTK's diagonal grows like chi_1^l.
  case chaotic

  public var description: String { rawValue }
}
