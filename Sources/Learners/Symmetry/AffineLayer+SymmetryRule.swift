import Symmetries

extension AffineLayer {
  /// What this layer does to the symmetry `state` of its input, on the grid `table` reads.
  ///
  /// A spatial layer (convolution, locally connected) reads k x k windows, so a pixel map g of
  /// its input survives it only when g moves every window onto a window (padded zeros
  /// counted: zero padding makes border windows differ); the output is then moved by the
  /// induced map rho of output cells. Beyond that:
  /// - kernels: a shared filter keeps every pixel pair when one tap permutation fits every
  ///   location (translations with circular padding, flips and quarter turns of a symmetric
  ///   window; anything for a 1x1 filter), and only the pixel diagonal otherwise; a locally
  ///   connected layer keeps every pair, since its outputs at distinct pixels are uncorrelated
  ///   on both sides;
  /// - functional: a shared filter must meet the moved window tap for tap (a translation with
  ///   circular padding, any pixel permutation for a 1x1 filter); weights that differ by
  ///   location (`local`) see one image's pixels move under them; a channel map of one image
  ///   changes what the weights read;
  /// - transport: the filters absorb the motion by permuting taps (and locations, for `local`)
  ///   and the channel map by rotating their input channels, R_p^T W; a shared filter needs one
  ///   tap permutation and one rotation for every location, so weight sharing breaks
  ///   per-pixel channel rotations; Adam keeps only transports that permute coordinates.
  /// A dense layer reads a vector: it absorbs any map left on it (transport), and otherwise
  /// needs the vector unchanged.
  func symmetryRule(
    _ state: SymmetryState, question: SymmetryQuestion, table: TapTable, layer: Layer, position: Int
  ) -> SymmetryState {
    if sharing == .none { return denseRule(state, question: question, layer: layer, position: position) }
    let shared = sharing == .everywhere
    func broken(_ why: String) -> SymmetryState { .broken(.broken(at: position, layer, why)) }
    switch state {
    case .broken, .vector:
      return state
    case .flattened:
      switch question {
      case .kernelAlgorithmic:
        return broken("it reads channel inner products pixel by pixel, which an orthogonal map of the flattened image mixes")
      case .functional:
        return broken("an orthogonal map of one image's flattened pixels changes what every filter reads")
      case .transport:
        return broken("the action mixes pixels, and only a dense first layer on the flattened image can absorb that")
      }
    case .pixels(let source, let channels, let diagonalOnly):
      let outputs = table.outputCells
      if source.enumerated().allSatisfy({ $0.offset == $0.element }) && channels == .none {
        return .pixels(source: Array(0..<outputs), channels: .none, diagonalOnly: shared ? diagonalOnly : nil)
      }
      if case .functional = question {
        guard channels == .none else {
          return broken("its weights read one image's channels mapped (\(channels)) against the other's")
        }
        guard shared else {
          return broken("its weights differ by location, so moving one image's pixels changes which weights read them")
        }
        guard let rho = table.matchTapForTap(source) else {
          return broken("moving one image's pixels changes which filter tap reads them (only a motion that carries every window onto a window tap for tap, as a circular translation does, keeps it)")
        }
        return .pixels(source: rho, channels: .none, diagonalOnly: nil)
      }
      guard let match = table.match(source) else {
        return broken(
          "the action moves a \(filterSize)x\(filterSize) window onto pixels no window covers"
            + (padding == .circular ? "" : " (\(padding) padding: border windows differ from interior ones)"))
      }
      switch question {
      case .kernelAlgorithmic:
        if !shared { return .pixels(source: match.rho, channels: .none, diagonalOnly: nil) }
        if diagonalOnly == nil, match.sharedTaps != nil {
          return .pixels(source: match.rho, channels: .none, diagonalOnly: nil)
        }
        return .pixels(
          source: match.rho, channels: .none,
          diagonalOnly: diagonalOnly
            ?? "layer \(position) (\(layer.shortName)) permutes its filter taps differently at different locations, which keeps only the pixel diagonal of the kernel")
      case .transport(let perCoordinate):
        if shared {
          guard match.sharedTaps != nil else {
            return broken("the filter would have to be permuted differently at different locations, so it would no longer be shared")
          }
          guard channels.isGlobal else {
            return broken("weight sharing: one filter cannot absorb a different channel rotation at every pixel")
          }
        }
        if perCoordinate && !channels.permutesCoordinates {
          return broken("Adam is per-coordinate, and absorbing \(channels) mixes weight coordinates (R^T W)")
        }
        return .pixels(source: match.rho, channels: .none, diagonalOnly: nil)
      case .functional:
        preconditionFailure("internal: handled above")
      }
    }
  }

  /// A dense layer (or the readout) on a vector.
  func denseRule(_ state: SymmetryState, question: SymmetryQuestion, layer: Layer, position: Int) -> SymmetryState {
    guard case .vector(let channels) = state, channels != .none else { return state }
    switch question {
    case .transport(let perCoordinate):
      if perCoordinate && !channels.permutesCoordinates {
        return .broken(
          .broken(
            at: position, layer,
            "Adam is per-coordinate, and the transported weights G^T W mix coordinates"))
      }
      return .vector(.none)
    case .kernelAlgorithmic, .functional:
      return .broken(.broken(at: position, layer, "it reads the vector's coordinates, which the action still maps"))
    }
  }
}
