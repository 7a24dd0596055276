/// What the ensemble probe concludes about the laws of f_{g.S}(g x*) and f_S(x*) over
/// initialisations, for every element of a cell.
public enum DistributionalVerdict: String, Sendable, Codable, CaseIterable, CustomStringConvertible
{
  /// Every element's rho lies below the margin.
  case equal = "equal within margin"
  /// Some element's rho lies above the margin.
  case notEqual = "not equal"
  /// Neither could be shown.
  case inconclusive = "inconclusive"
  /// Every network of every arm predicts exactly 0 (centred networks before any step): equal
  /// outputs are no evidence of invariance, nor of its absence.
  case noSignal = "no signal"

  public var description: String { rawValue }

  /// The verdicts of cells decided together: Holm's procedure at family-wise level `alpha` over
  /// the 2N hypotheses "some element has rho >= margin" and "every element has rho <= margin" of
  /// the N cells (`EnsembleCellMeasurement.pEqual`, `pDiffer`). The chance that any cell of the
  /// family gets a wrong verdict (equal when some rho >= margin, not equal when every
  /// rho <= margin) is at most alpha.
  /// A cell without signal (`EnsembleCellMeasurement.hasSignal`) is `noSignal` whatever its
  /// p-values say, and keeps its place in the family (which only makes Holm more conservative).
  public static func decide(_ cells: [EnsembleCellMeasurement], alpha: Double)
    -> [DistributionalVerdict]
  {
    let decided = decide(pValues: cells.map { ($0.pEqual, $0.pDiffer) }, alpha: alpha)
    return zip(cells, decided).map { cell, verdict in cell.hasSignal ? verdict : .noSignal }
  }

  /// The same from each cell's (p(equal), p(differ)).
  public static func decide(pValues: [(equal: Double, differ: Double)], alpha: Double)
    -> [DistributionalVerdict]
  {
    let rejected = HolmProcedure.rejections(
      pValues.flatMap { [$0.equal, $0.differ] }, alpha: alpha)
    return pValues.indices.map { cell in
      // Both cannot be rejected: pEqual >= p_e(below) = 1 - p_e(above) >= 1 - pDiffer / (E L).
      rejected[2 * cell] ? .equal : rejected[2 * cell + 1] ? .notEqual : .inconclusive
    }
  }
}
