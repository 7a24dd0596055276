import Symmetries

extension Layer {
  /// What this layer does to the symmetry `state` of its input on a `height` x `width` grid,
  /// and the grid it outputs; nil when a `valid` filter leaves no pixel.
  ///
  /// Affine layers and activations state their rules in `AffineLayer.symmetryRule` and
  /// `Activation.symmetryRule`. The reductions:
  /// - flatten keeps each feature in place: S = mean_p K(p, p) needs only the pixel diagonal,
  ///   so it keeps every pixel map (and, as the first layer, every orthogonal map: it sees only
  ///   <x, x'>); for one image moved against another (functional) it keeps only the identity;
  ///   the dense layer after it absorbs the map of a finite network's features;
  /// - global average pooling sums every pixel pair, S = mean_{p,q} K(p, q): it turns any
  ///   pixel map into invariance, of both kinds, when every pair is kept, and breaks what keeps
  ///   only the diagonal (per-pixel rotations); a finite network's pooled features keep the
  ///   global channel map for the dense layer after it, and cannot undo per-pixel rotations;
  /// - the readout is a dense layer on the vector.
  func symmetryRule(
    _ state: SymmetryState, question: SymmetryQuestion, height: Int, width: Int, position: Int
  ) -> (state: SymmetryState, height: Int, width: Int)? {
    func broken(_ why: String) -> SymmetryState { .broken(.broken(at: position, self, why)) }
    switch self {
    case .affine(let affine):
      guard let table = TapTable(affine, height: height, width: width) else { return nil }
      let next = affine.symmetryRule(state, question: question, table: table, layer: self, position: position)
      return (next, table.outputHeight, table.outputWidth)
    case .readout(let weightStd, let biasStd):
      let dense = AffineLayer(sharing: .none, filterSize: 1, padding: .valid, weightStd: weightStd, biasStd: biasStd)
      return (dense.denseRule(state, question: question, layer: self, position: position), 1, 1)
    case .activation(let activation):
      return (activation.symmetryRule(state, question: question, layer: self, position: position), height, width)
    case .flatten:
      switch (state, question) {
      case (.broken, _), (.vector, _):
        return (state, 1, 1)
      case (.flattened, .kernelAlgorithmic):
        return (.vector(.none), 1, 1)
      case (.flattened, .transport):
        return (.vector(.rotation), 1, 1)
      case (.flattened, .functional):
        return (broken("the inner product <x, g x'> of one image with another moved one changes"), 1, 1)
      case (.pixels(let source, let channels, _), .functional):
        let identity = channels == .none && source.enumerated().allSatisfy { $0.offset == $0.element }
        return (
          identity
            ? .vector(.none)
            : broken("it keeps every feature in place, so moving one image's features against another's changes their pairing"),
          1, 1)
      case (.pixels, .kernelAlgorithmic):
        return (.vector(.none), 1, 1)
      case (.pixels(let source, let channels, _), .transport):
        let moves = !source.enumerated().allSatisfy { $0.offset == $0.element }
        let map: ChannelMap =
          channels.permutesCoordinates ? (moves || channels != .none ? .permutation : .none) : .rotation
        return (.vector(map), 1, 1)
      }
    case .globalAveragePooling:
      switch state {
      case .broken, .vector:
        return (state, 1, 1)
      case .flattened:
        return (broken("it averages pixels, and an orthogonal map of the flattened image changes the average"), 1, 1)
      case .pixels(_, let channels, let diagonalOnly):
        if let diagonalOnly {
          return (broken("it sums every pixel pair K(p, q), but \(diagonalOnly)"), 1, 1)
        }
        switch question {
        case .kernelAlgorithmic:
          return (.vector(.none), 1, 1)
        case .functional:
          return (
            channels == .none
              ? .vector(.none)
              : broken("it averages over pixels, but one image's channels stay mapped (\(channels)) against the other's"),
            1, 1)
        case .transport:
          guard channels.isGlobal else {
            return (broken("it averages pixels rotated differently, so no layer after it can undo the rotations"), 1, 1)
          }
          return (.vector(channels), 1, 1)
        }
      }
    }
  }

  /// The layer's name and geometry, without its standard deviations, for reasons.
  var shortName: String {
    switch self {
    case .affine(let layer):
      switch layer.sharing {
      case .none: return "dense"
      case .perLocation: return "local(\(layer.filterSize),\(layer.padding))"
      case .everywhere: return "conv(\(layer.filterSize),\(layer.padding))"
      }
    case .activation(let activation): return activation.rawValue
    case .flatten: return "flatten"
    case .globalAveragePooling: return "gap"
    case .readout: return "readout"
    }
  }
}
