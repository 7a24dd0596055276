import Learners

/// The fixed points and depth scales of one (architecture, activation, W^2, b^2), as JSON.
///
/// The mean-field quantities do not depend on the architecture (see `KernelDepthMeasurement`);
/// the architecture is kept so each record names the rows of the phase diagram it annotates.
/// Keys: `architecture`, `activation`, `weight_variance`, `bias_variance`, `phase`, `q_star`
/// (null without a finite fixed point), `c_star`, `chi_1`, `chi_c_star`, `xi_1`, `xi_star`
/// (the string "inf" when infinite), and `xi_c_star` = -1 / log chi_c*.
public struct DepthScaleRecord: Sendable, Hashable, Codable {
  /// The architecture's catalogue name.
  public let architecture: String
  /// The activation of every hidden layer.
  public let activation: String
  /// W^2.
  public let weightVariance: Double
  /// b^2.
  public let biasVariance: Double
  /// Ordered, critical or chaotic, from chi_1.
  public let phase: DepthPhase
  /// The fixed point q* of the diagonal's map, nil without a finite one.
  @NullIfAbsent public private(set) var qStar: Double?
  /// The fixed point c* of the correlation map.
  public let cStar: Double
  /// chi_1 = W^2 E[phi'(z)^2]: the correlation map's slope at c = 1.
  public let chi1: Double
  /// chi_c* = W^2 E[phi'(u) phi'(v)]: the correlation map's slope at c*.
  public let chiCStar: Double
  /// xi_1 = 1 / |log chi_1|.
  public let xi1: Double
  /// xi_* = -1 / (log chi_c* - log chi_1) (infinite unless chaotic).
  public let xiStar: Double
  /// xi_c* = -1 / log chi_c*.
  public let xiCStar: Double

  /// The record of `analysis` for `architecture`.
  public init(architecture: NamedArchitecture, analysis: DepthAnalysis) {
    self.architecture = architecture.rawValue
    activation = analysis.activation.rawValue
    weightVariance = analysis.weightVariance
    biasVariance = analysis.biasVariance
    phase = analysis.phase
    qStar = analysis.qStar
    cStar = analysis.cStar
    chi1 = analysis.chi1
    chiCStar = analysis.chiCStar
    xi1 = analysis.xi1
    xiStar = analysis.xiStar
    xiCStar = analysis.xiCStar
  }

  enum CodingKeys: String, CodingKey {
    case architecture, activation, phase
    case weightVariance = "weight_variance"
    case biasVariance = "bias_variance"
    case qStar = "q_star"
    case cStar = "c_star"
    case chi1 = "chi_1"
    case chiCStar = "chi_c_star"
    case xi1 = "xi_1"
    case xiStar = "xi_star"
    case xiCStar = "xi_c_star"
  }
}
