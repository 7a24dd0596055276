/// Input that a depth analysis cannot use, with what was wrong and how to fix it.
public enum DepthError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A weight or bias variance that is negative, NaN or infinite.
  case invalidVariance(parameter: String, value: Double)
  /// A depth below 1.
  case invalidDepth(Int)
  /// A measurement needs a finite fixed point q* > 0, which these variances do not have.
  case noFixedPoint(activation: Activation, weightVariance: Double, biasVariance: Double)

  public var description: String {
    switch self {
    case .invalidVariance(let parameter, let value):
      return "\(parameter) is \(value); variances must be finite and non-negative"
    case .invalidDepth(let depth):
      return "depth \(depth) is not a number of hidden layers; pass 1 or more"
    case .noFixedPoint(let activation, let weightVariance, let biasVariance):
      return "\(activation) with W^2 = \(weightVariance), b^2 = \(biasVariance) has no finite "
        + "positive fixed point q*, so there is nothing to measure; use b^2 > 0 and, for "
        + "ReLU, W^2 < 2"
    }
  }
}
