import Foundation

/// The mean-field depth analysis of a network with one activation and the same W^2, b^2 in
/// every layer: the fixed points q* and c*, the slopes chi_1 and chi_c*, the depth scales
/// xi_1 and xi_*, and the phase.
///
/// With z ~ N(0, q), the pre-activation variance and correlation maps of a dense layer in the
/// NTK parameterisation are
///
///     q_{l+1} = W^2 E[phi(z)^2] + b^2
///     c_{l+1} = (W^2 E[phi(u) phi(v)] + b^2) / q*,    (u, v) ~ N(0, q* [[1, c_l], [c_l, 1]])
///
/// and the slopes of the correlation map at its fixed points are
/// chi_1 = W^2 E[phi'(z)^2] (at c = 1) and chi_c* = W^2 E[phi'(u) phi'(v)] (at c*).
/// The depth scales are xi_1 = 1 / |log chi_1| (the issue's -1 / log chi_1 in the ordered
/// phase; in the chaotic phase the scale on which the NTK diagonal grows) and
/// xi_* = -1 / (log chi_c* - log chi_1) (infinite unless chaotic, where c* < 1).
///
/// Closed forms:
/// - ReLU: E[phi(z)^2] = q / 2 and E[phi'(z)^2] = 1 / 2 for every q, so chi_1 = W^2 / 2 and,
///   for b^2 > 0 and W^2 < 2, q* = b^2 / (1 - W^2 / 2) (ordered, c* = 1). Without a bias the
///   network is scale-free: every kernel at W is (W^2 / 2)^{L+1} times the kernel at W^2 = 2,
///   q_l shrinks or grows geometrically (a fixed point exists only at W^2 = 2, and then every q
///   is one), and the normalised correlation map c -> (sqrt(1 - c^2) + (pi - arccos c) c) / pi
///   has slope 1 at c = 1. With W^2 >= 2 the variance diverges and the bias becomes negligible,
///   so the same map is reached. ReLU has no chaotic phase: those cases are reported as
///   critical with q* = nil, c* = 1, chi_1 = chi_c* = 1 (the slope of the normalised map) and
///   infinite depth scales, since correlations then converge polynomially.
/// - Erf: E[erf(u) erf(v)] = (2 / pi) arcsin(2 s / (1 + 2 q)) at covariance s and
///   E[erf'(u) erf'(v)] = (4 / pi) / sqrt((1 + 2 q)^2 - 4 s^2), so
///   chi_1 = (4 W^2 / pi) / sqrt(1 + 4 q*); q* and c* < 1 solve transcendental equations and
///   are found by bisection to the last bit. When q* = 0 (b = 0 and W^2 <= pi / 4) the network
///   is linear in the limit: correlations are preserved, reported as critical with q* = nil.
///
/// References: S. Schoenholz et al., "Deep Information Propagation", ICLR 2017 (q*, c*, chi_1,
/// xi_c); L. Xiao, J. Pennington, S. Schoenholz, "Disentangling Trainability and
/// Generalization in Deep Neural Networks", ICML 2020 (xi_1, xi_*, the NTK at depth);
/// C. Williams, NeurIPS 1997 (the erf integrals); Y. Cho and L. Saul, NeurIPS 2009 (ReLU).
public struct DepthAnalysis: Sendable, Hashable {
  /// The activation phi.
  public let activation: Activation
  /// W^2, the weight variance of every layer (readout included).
  public let weightVariance: Double
  /// b^2, the bias variance of every layer.
  public let biasVariance: Double
  /// The fixed point of the variance map, or nil when there is no finite positive one.
  public let qStar: Double?
  /// The stable fixed point of the correlation map: 1 unless chaotic.
  public let cStar: Double
  /// The slope of the correlation map at c = 1.
  public let chi1: Double
  /// The slope of the correlation map at c*.
  public let chiCStar: Double
  /// The phase, from chi_1.
  public let phase: DepthPhase

  /// The analysis of `activation` with W^2 = `weightVariance`, b^2 = `biasVariance`.
  ///
  /// - Throws: `DepthError.invalidVariance` for a negative, NaN or infinite variance.
  /// - Complexity: O(1): at most a few hundred bisection steps on closed-form maps.
  public init(
    activation: Activation, weightVariance: Double, biasVariance: Double
  ) throws(DepthError) {
    guard weightVariance.isFinite, weightVariance >= 0 else {
      throw .invalidVariance(parameter: "W^2", value: weightVariance)
    }
    guard biasVariance.isFinite, biasVariance >= 0 else {
      throw .invalidVariance(parameter: "b^2", value: biasVariance)
    }
    self.activation = activation
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    let w2 = weightVariance
    let b2 = biasVariance
    switch activation {
    case .relu:
      if b2 > 0, w2 < 2 {
        qStar = b2 / (1 - w2 / 2)
        chi1 = w2 / 2
      } else {
        qStar = nil
        chi1 = 1
      }
      cStar = 1
      chiCStar = chi1
    case .erf:
      let q = Self.bisect(lower: 0, upper: w2 + b2) { q in Self.erfVariance(q, w2, b2) > q }
      guard q > 0 else {
        qStar = nil
        cStar = 1
        chi1 = 1
        chiCStar = 1
        phase = .critical
        return
      }
      qStar = q
      chi1 = Self.erfSlope(covariance: q, variance: q, w2)
      if chi1 > 1 {
        // c = 1 is unstable; the correlation map minus c is convex on [0, 1] with h(0) >= 0
        // and h < 0 just below 1, so its one zero in [0, 1) is where it changes sign.
        let c = Self.bisect(lower: 0, upper: 1) { c in
          Self.erfCorrelation(c, q, w2, b2) > c
        }
        cStar = c
        chiCStar = Self.erfSlope(covariance: q * c, variance: q, w2)
      } else {
        cStar = 1
        chiCStar = chi1
      }
    }
    phase = chi1 < 1 ? .ordered : (chi1 > 1 ? .chaotic : .critical)
  }

  // MARK: - Depth scales

  /// xi_1 = 1 / |log chi_1|: the depth over which correlations approach 1 (ordered) or the NTK
  /// diagonal grows by a factor e (chaotic); infinite at criticality.
  public var xi1: Double {
    chi1 == 1 ? .infinity : 1 / abs(log(chi1))
  }

  /// xi_* = -1 / (log chi_c* - log chi_1): the depth over which the data-dependent part of the
  /// chaotic NTK fades relative to its diagonal; infinite unless chaotic.
  public var xiStar: Double {
    chiCStar == chi1 ? .infinity : -1 / (log(chiCStar) - log(chi1))
  }

  /// xi_c* = -1 / log chi_c*: Schoenholz et al.'s correlation depth scale, over which the
  /// deviations of correlations (and of the off-diagonal NTK) from their limits fade; infinite
  /// at chi_c* = 1. In the chaotic phase it also sets how fast the data-dependent part of the
  /// test-train kernel fades relative to its constant part.
  public var xiCStar: Double {
    chiCStar >= 1 ? .infinity : -1 / log(chiCStar)
  }

  /// The limit of the NTK between two distinct inputs as depth grows, when it is finite:
  /// Theta_{l+1} = q* c* + chi_c* Theta_l gives q* c* / (1 - chi_c*) for chi_c* < 1
  /// (ordered phase: also the limit of the diagonal, so the NTK tends to a constant matrix).
  public var ntkOffDiagonalLimit: Double? {
    guard let qStar, chiCStar < 1 else { return nil }
    return qStar * cStar / (1 - chiCStar)
  }

  /// The predicted growth rate d ln(kappa) / dl of the NTK's condition number between depths
  /// l1 < l2 in the ordered phase (nil otherwise).
  ///
  /// The NTK tends to a constant matrix; its smallest eigenvalues are set by the gap
  /// delta_l = Theta_l(x, x) - Theta_l(x, x'), which obeys
  /// delta_{l+1} = chi_1 delta_l + q* (1 - c_{l+1}) + (chi_1 - W^2 E[phi'(u) phi'(v)]) Theta_l
  /// with 1 - c_l ~ chi_1^l. For erf (phi' smooth) the last term is O(1 - c_l), a resonant
  /// forcing, so delta_l ~ l chi_1^l and ln kappa = const + l / xi_1 - ln l: the rate is
  /// 1 / xi_1 - ln(l2 / l1) / (l2 - l1). For ReLU, E[phi'(u) phi'(v)] = (pi - arccos c) / (2 pi)
  /// has a square-root cusp at c = 1, so the forcing is O(sqrt(1 - c_l)) ~ chi_1^{l/2}, which
  /// dominates: delta_l ~ chi_1^{l/2} and the rate is 1 / (2 xi_1). (The NNGP's gap is
  /// q* (1 - c_l) ~ chi_1^l for both.)
  ///
  /// Reference: the ordered-phase analysis of Xiao, Pennington and Schoenholz (ICML 2020),
  /// section 3, for smooth activations; the ReLU cusp is our derivation, checked by
  /// `DepthConditionTests`.
  /// - Complexity: O(1).
  public func conditionNumberGrowthRate(from l1: Int, to l2: Int) -> Double? {
    guard phase == .ordered, l2 > l1, l1 >= 1 else { return nil }
    switch activation {
    case .erf: return 1 / xi1 - log(Double(l2) / Double(l1)) / Double(l2 - l1)
    case .relu: return 1 / (2 * xi1)
    }
  }

  // MARK: - Erf closed forms

  /// q -> W^2 (2 / pi) arcsin(2 q / (1 + 2 q)) + b^2.
  static func erfVariance(_ q: Double, _ w2: Double, _ b2: Double) -> Double {
    w2 * 2 / Double.pi * asin(2 * q / (1 + 2 * q)) + b2
  }

  /// The correlation map at q*: (W^2 (2 / pi) arcsin(2 q c / (1 + 2 q)) + b^2) / q.
  static func erfCorrelation(_ c: Double, _ q: Double, _ w2: Double, _ b2: Double) -> Double {
    (w2 * 2 / Double.pi * asin(2 * q * c / (1 + 2 * q)) + b2) / q
  }

  /// W^2 (4 / pi) / sqrt((1 + 2 q)^2 - 4 s^2).
  static func erfSlope(covariance s: Double, variance q: Double, _ w2: Double) -> Double {
    w2 * 4 / Double.pi / ((1 + 2 * q) * (1 + 2 * q) - 4 * s * s).squareRoot()
  }

  /// The point in [lower, upper] where `below` turns from true to false, to adjacent doubles.
  ///
  /// - Complexity: at most about 1100 evaluations (the number of doubles halves each step).
  static func bisect(lower: Double, upper: Double, below: (Double) -> Bool) -> Double {
    var lo = lower
    var hi = upper
    while true {
      let mid = lo + (hi - lo) / 2
      if mid <= lo || mid >= hi { return below(hi) ? hi : lo }
      if below(mid) { lo = mid } else { hi = mid }
    }
  }
}
