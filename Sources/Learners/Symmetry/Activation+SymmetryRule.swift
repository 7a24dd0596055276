import Symmetries

extension Activation {
  /// What a pointwise nonlinearity does to the symmetry `state` of its input.
  ///
  /// phi acts on each coordinate, so it commutes with every pixel map and every coordinate
  /// permutation, and its kernel dual acts on each pixel pair (S(p, q), S(p, p), S(q, q))
  /// separately, so it keeps whichever pairs its input keeps. It does not commute with a
  /// rotation of coordinates, nor with a map mixing pixels, that no earlier layer absorbed.
  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, layer: Layer, position: Int)
    -> SymmetryState
  {
    func broken(_ why: String) -> SymmetryState { .broken(.broken(at: position, layer, why)) }
    switch state {
    case .broken:
      return state
    case .flattened:
      return broken("it acts pixel by pixel, which an orthogonal map of the flattened image mixes")
    case .pixels(_, let channels, _), .vector(let channels):
      if channels.permutesCoordinates { return state }
      return broken("\(channels) does not commute with the activation, and no earlier layer absorbed it")
    }
  }
}
