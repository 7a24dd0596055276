import Symmetries

/// The answer to "does the action g lift to this network's parameters?": the parameters theta'
/// with M(theta', x) = M(theta, g x) for every image x, inside the architecture's own family, or
/// the reason no such parameters exist there.
///
/// When g lifts, theta -> theta' is a permutation of the parameters combined with orthogonal
/// maps of blocks of them, so it preserves the i.i.d. N(0, 1) initialisation and commutes with
/// gradient descent and SGD: training on g.S from theta and on S from theta' give the same
/// predictor step by step (f_{g.S}(g x) = f_S(x)), which is algorithmic invariance made exact.
public enum WeightTransport: Sendable {
  /// g lifts: the transported network.
  case lifts(FiniteNetwork)
  /// g does not lift to the architecture's family, and why.
  case doesNotLift(reason: String)

  /// Whether g lifts.
  public var lifts: Bool {
    if case .lifts = self { return true }
    return false
  }

  /// The transported network, nil when g does not lift.
  public var network: FiniteNetwork? {
    if case .lifts(let network) = self { return network }
    return nil
  }
}

extension FiniteNetwork {
  /// Transports the action into the parameters: theta' with M(theta', x) = M(theta, g x).
  ///
  /// With g's matrix G on the flattened image (`GroupAction.matrix(for:)`):
  /// - a dense first layer on the flattened image (FCN) absorbs any orthogonal G: W' = G^T W;
  /// - otherwise G must be a pixel map with a channel rotation per pixel,
  ///   (g x)(p) = R_p x(pi(p)); a k x k layer absorbs it when pi maps every output cell's
  ///   window onto another cell's window, pi(t(o, j)) = t(rho(o), tau(j)): then
  ///   W'_{rho(o)}[tau(j)] = R_{t(o, j)}^T W_o[j] and b'_{rho(o)} = b_o, and the features move by
  ///   the pixel map rho, which the next layers absorb the same way (an activation commutes with
  ///   a pixel map, global pooling forgets it, a dense layer after flatten permutes its rows).
  ///   A shared (convolution) filter lifts only when tau and the rotations are the same at every
  ///   location: global channel rotations, and translations (circular padding), flips and quarter
  ///   turns that map the filter's window to itself.
  ///
  /// - Throws: `SymmetryError` when g cannot act on the network's input shape.
  /// - Complexity: O(d^2) for G plus O(parameters * C) for the transport.
  public func transported(by action: any GroupAction) throws(SymmetryError) -> WeightTransport {
    let matrix = try action.matrix(for: inputShape)
    var parameters = self.parameters
    var pending: PendingAction
    // The identity commutes with every map, so a flatten after leading identities is still the
    // first layer that reads the image.
    let leading = steps.first { !($0.operation is PointwiseOperation<IdentityActivation>) }
    if leading?.operation is FlattenOperation {
      pending = .general(matrix)
    } else if let monomial = PixelMap(matrix, shape: inputShape) {
      pending = monomial.isIdentity ? .identity : .pixelMap(monomial)
    } else {
      return .doesNotLift(
        reason: "the action mixes pixels (it is not a pixel map with per-pixel channel "
          + "rotations), and only a dense first layer on the flattened image can absorb that")
    }
    switch Self.absorb(steps, from: pending, parameters: &parameters, firstPosition: 1) {
    case .success: return .lifts(try! replacingParameters(parameters))
    case .failure(let refusal): return .doesNotLift(reason: refusal.text)
    }
  }
}

extension FiniteNetwork {
  /// Moves `pending` through `steps` (the first at `firstPosition`), transforming their
  /// parameters: the action still pending after them, or why a step cannot absorb it.
  fileprivate static func absorb(
    _ steps: [FiniteStep], from pending: PendingAction, parameters: inout [Double],
    firstPosition: Int
  ) -> Result<PendingAction, Refusal> {
    var pending = pending
    for (index, step) in steps.enumerated() {
      let position = firstPosition + index
      switch (pending, TransportRole(step.operation)) {
      case (.identity, _), (_, .identity):
        break
      case (.general, .flatten):
        break
      case (.general(let g), .affine(let affine)):
        parameters.transformRows(
          offset: affine.weightOffset, rows: step.inputChannels, columns: step.outputChannels,
          by: g)
        pending = .identity
      case (.general, _):
        return .failure(
          Refusal(
            text:
              "layer \(position): an orthogonal map of the flattened image reaches a layer "
              + "other than a dense one, which cannot absorb it"))
      case (.pixelMap(let map), .pointwise):
        guard map.rotations == nil else {
          return .failure(
            Refusal(
              text:
                "layer \(position): a channel rotation does not commute with the activation"))
        }
      case (.pixelMap, .flatten):
        break
      case (.pixelMap(let map), .pool):
        guard let rotation = map.commonRotation else {
          return .failure(
            Refusal(
              text:
                "layer \(position): pooling averages pixels rotated differently, so no "
                + "layer after it can undo the rotations"))
        }
        let pooled = PixelMap(source: [0], channels: map.channels, rotations: rotation)
        pending = pooled.isIdentity ? .identity : .pixelMap(pooled)
      case (.pixelMap(let map), .windowPool(let pool)):
        switch map.pooled(by: pool.table, position: position) {
        case .success(let next): pending = next.isIdentity ? .identity : .pixelMap(next)
        case .failure(let reason): return .failure(reason)
        }
      case (.pixelMap(let map), .affine(let affine)):
        if step.inputCells == 1 {
          parameters.transformDenseRows(
            map, offset: affine.weightOffset, columns: step.outputChannels)
          pending = .identity
        } else {
          switch parameters.transformSpatial(map, step: step, affine: affine, position: position) {
          case .success(let next): pending = next.isIdentity ? .identity : .pixelMap(next)
          case .failure(let reason): return .failure(reason)
          }
        }
      case (.pixelMap(let map), .attention):
        // Attention without positions is equivariant under every pixel permutation, so a pixel
        // map passes through unchanged; its weights would have to absorb a channel map.
        guard map.rotations == nil else {
          return .failure(
            Refusal(
              text: "layer \(position): weight transport has no rule to absorb a channel map into "
                + "attention's key and value weights"))
        }
        pending = .pixelMap(
          PixelMap(source: map.source, channels: step.outputChannels, rotations: nil))
      case (.pixelMap(let map), .residual(let block)):
        // x + f(x): the block's weights absorb the action as the layers after a plain stack
        // would, and the sum moves consistently only if the block's output then moves exactly
        // as its input.
        switch absorb(block, from: pending, parameters: &parameters, firstPosition: position) {
        case .failure(let refusal):
          return .failure(refusal)
        case .success(.pixelMap(let after)) where after == map:
          break
        case .success:
          return .failure(
            Refusal(
              text: "layer \(position): the skip connection carries the input as the action "
                + "left it, and the block moves it differently"))
        }
      case (.pixelMap, .other):
        return .failure(
          Refusal(
            text:
              "layer \(position): weight transport has no rule for this layer kind"))
      }
    }
    return .success(pending)
  }
}

/// What a finite step is to weight transport: the layer kinds it knows how to move an action
/// through; any other kind refuses.
private enum TransportRole {
  case affine(AffineOperation)
  /// phi(x) = x: commutes with every map.
  case identity
  /// A residual block's steps.
  case residual([FiniteStep])
  /// Global self-attention over the pixels.
  case attention
  case pointwise
  case flatten
  case pool
  case windowPool(WindowPoolOperation)
  case other

  init(_ operation: any FiniteOperation) {
    if let affine = operation as? AffineOperation {
      self = .affine(affine)
    } else if operation is AttentionOperation {
      self = .attention
    } else if let residual = operation as? ResidualOperation {
      self = .residual(residual.steps)
    } else if operation is PointwiseOperation<IdentityActivation> {
      self = .identity
    } else if operation is any PointwiseFiniteOperation {
      self = .pointwise
    } else if operation is FlattenOperation {
      self = .flatten
    } else if operation is PoolOperation {
      self = .pool
    } else if let pool = operation as? WindowPoolOperation {
      self = .windowPool(pool)
    } else {
      self = .other
    }
  }
}

/// What remains to be absorbed by the layers not yet visited.
private enum PendingAction {
  case identity
  /// Any linear map of the flattened input (before a dense first layer).
  case general(Matrix)
  case pixelMap(PixelMap)
}

/// A reason a layer cannot absorb the pending action.
private struct Refusal: Error {
  let text: String
}

/// (g h)(p) = R_p h(source[p]) on features of `channels` channels; rotations nil when every
/// R_p is the identity.
private struct PixelMap: Equatable {
  let source: [Int]
  let channels: Int
  /// R_p row-major, C x C each, back to back.
  let rotations: [Double]?

  init(source: [Int], channels: Int, rotations: [Double]?) {
    self.source = source
    self.channels = channels
    let identity = Matrix.uncheckedIdentity(channels).storage
    let isIdentity =
      rotations.map { all in
        stride(from: 0, to: all.count, by: channels * channels).allSatisfy {
          Array(all[$0..<($0 + channels * channels)]) == identity
        }
      } ?? true
    self.rotations = isIdentity ? nil : rotations
  }

  /// The decomposition of G (column j = g e_j) as a pixel map with per-pixel rotations, nil
  /// when some output pixel reads more than one input pixel.
  init?(_ g: Matrix, shape: ImageShape) {
    let (cells, c) = (shape.pixelCount, shape.channels)
    var source = [Int](repeating: -1, count: cells)
    var rotations = [Double](repeating: 0, count: cells * c * c)
    for p in 0..<cells {
      for row in (p * c)..<((p + 1) * c) {
        for column in 0..<g.columns where g[row, column] != 0 {
          let q = column / c
          if source[p] == -1 { source[p] = q }
          guard source[p] == q else { return nil }
          rotations[p * c * c + (row - p * c) * c + column % c] = g[row, column]
        }
      }
    }
    guard Set(source).count == cells, !source.contains(-1) else { return nil }
    self.init(source: source, channels: c, rotations: rotations)
  }

  var isIdentity: Bool {
    rotations == nil && source.enumerated().allSatisfy { $0.offset == $0.element }
  }

  /// The rotation shared by every pixel (the identity when there are none), nil if they differ.
  var commonRotation: [Double]? {
    guard let rotations else { return Matrix.uncheckedIdentity(channels).storage }
    let first = Array(rotations[0..<(channels * channels)])
    for start in stride(from: 0, to: rotations.count, by: channels * channels)
    where Array(rotations[start..<(start + channels * channels)]) != first {
      return nil
    }
    return first
  }

  /// The map of a window pooling layer's output when its input is moved by this map: every
  /// window must move onto a window as a set (the pooled sum does not care about the order), and
  /// the pixels must share one rotation, which the sum commutes with.
  func pooled(by table: TapTable, position: Int) -> Result<PixelMap, Refusal> {
    let taps = table.tapCount
    let onePixel = taps == 1
    guard onePixel || commonRotation != nil else {
      return .failure(
        Refusal(
          text: "layer \(position): pooling sums pixels rotated differently, so no layer after "
            + "it can undo the rotations"))
    }
    guard let match = table.match(source) else {
      return .failure(
        Refusal(
          text: "layer \(position): the action moves a pooling window onto pixels no window covers")
      )
    }
    // Output o reads the window of rho[o]; every pixel of a window shares the rotation.
    let rotationsOut: [Double]? = rotations.map { all in
      let block = channels * channels
      return (0..<table.outputCells).flatMap { o -> ArraySlice<Double> in
        let cell = table.taps[(0..<taps).map { o * taps + $0 }.first { table.taps[$0] >= 0 }!]
        return all[(cell * block)..<((cell + 1) * block)]
      }
    }
    return .success(PixelMap(source: match.rho, channels: channels, rotations: rotationsOut))
  }

  /// R_p^T applied to the C x columns block at `block`: block'[c', :] = sum_c R_p[c, c'] block[c, :].
  func rotateBlock(_ values: inout [Double], at block: Int, pixel p: Int, columns: Int) {
    guard let rotations else { return }
    let c = channels
    let original = Array(values[block..<(block + c * columns)])
    for c1 in 0..<c {
      for o in 0..<columns {
        var sum = 0.0
        for c0 in 0..<c { sum += rotations[p * c * c + c0 * c + c1] * original[c0 * columns + o] }
        values[block + c1 * columns + o] = sum
      }
    }
  }
}

extension Array where Element == Double {
  /// W <- G^T W for the rows x columns weight matrix at `offset`.
  fileprivate mutating func transformRows(offset: Int, rows: Int, columns: Int, by g: Matrix) {
    let w = try! Matrix(
      rows: rows, columns: columns, storage: Array(self[offset..<(offset + rows * columns)]))
    let transformed = try! Matrix.product(g, w, transposeA: true)
    replaceSubrange(offset..<(offset + rows * columns), with: transformed.storage)
  }

  /// A dense layer reading features moved by `map` (flattened as p * C + c):
  /// W'[source(p) * C + c', :] = sum_c R_p[c, c'] W[p * C + c, :].
  fileprivate mutating func transformDenseRows(_ map: PixelMap, offset: Int, columns: Int) {
    let c = map.channels
    let size = map.source.count * c * columns
    var original = Array(self[offset..<(offset + size)])
    for p in map.source.indices {
      map.rotateBlock(&original, at: p * c * columns, pixel: p, columns: columns)
    }
    for p in map.source.indices {
      let from = p * c * columns
      let to = offset + map.source[p] * c * columns
      replaceSubrange(to..<(to + c * columns), with: original[from..<(from + c * columns)])
    }
  }

  /// A k x k layer reading features moved by `map`; returns the pixel map of its output.
  fileprivate mutating func transformSpatial(
    _ map: PixelMap, step: FiniteStep, affine: AffineOperation, position: Int
  ) -> Result<PixelMap, Refusal> {
    let table = affine.table
    let taps = table.tapCount
    let outputs = table.outputCells
    let c = step.inputChannels
    let columns = step.outputChannels
    func window(_ o: Int) -> [Int] { [Int](table.taps[(o * taps)..<((o + 1) * taps)]) }
    guard let match = table.match(map.source) else {
      return .failure(
        Refusal(
          text: "layer \(position): the action moves a filter window onto pixels that no "
            + "window covers (\(affine.table.outputCells) windows; e.g. zero padding at the "
            + "border, or a map that destroys neighbourhoods)"))
    }
    let rho = match.rho
    let tau: [[Int]]
    if let shared = match.sharedTaps {
      tau = [[Int]](repeating: shared, count: outputs)
    } else if affine.perLocation {
      // Each location has its own filter, so each may permute its taps its own way.
      tau = (0..<outputs).map { o in
        var targetWindow = window(rho[o]).map(Optional.some)
        return window(o).map { $0 < 0 ? -1 : map.source[$0] }.map { cell in
          let j = targetWindow.firstIndex(of: cell)!
          targetWindow[j] = nil
          return j
        }
      }
    } else {
      return .failure(
        Refusal(
          text: "layer \(position): the filter would have to be permuted differently at "
            + "different locations, so it would no longer be shared"))
    }
    let blockSize = c * columns
    let weightsPerCell = taps * blockSize
    if !affine.perLocation {
      for j in 0..<taps {
        let rotations = (0..<outputs).compactMap { o -> [Double]? in
          let cell = table.taps[o * taps + j]
          guard cell >= 0, let all = map.rotations else { return nil }
          return Array(all[(cell * c * c)..<((cell + 1) * c * c)])
        }
        guard rotations.allSatisfy({ $0 == rotations.first }) else {
          return .failure(
            Refusal(
              text: "layer \(position): the pixels under one filter tap are rotated differently, "
                + "so the transported filter would differ from location to location and no "
                + "longer be shared (a convolution lifts only one rotation for all pixels)"))
        }
      }
    }
    // The filters of every location (one set when shared), rotated, then moved.
    let locations = affine.perLocation ? outputs : 1
    var weights = Array(
      self[affine.weightOffset..<(affine.weightOffset + locations * weightsPerCell)])
    let original = weights
    let biasCount = locations * columns
    var biases = Array(self[affine.biasOffset..<(affine.biasOffset + biasCount)])
    let originalBiases = biases
    for location in 0..<locations {
      let o = location
      let targetLocation = affine.perLocation ? rho[o] : 0
      for j in 0..<taps {
        var block = Array(
          original[
            (o * weightsPerCell + j * blockSize)..<(o * weightsPerCell + (j + 1) * blockSize)])
        // A shared filter's tap sees the same rotation at every location (checked above), so
        // any location where the tap reads a pixel gives it.
        let readers: [Int] = affine.perLocation ? [o] : [Int](0..<outputs)
        if let cell = readers.lazy.map({ table.taps[$0 * taps + j] }).first(where: { $0 >= 0 }) {
          map.rotateBlock(&block, at: 0, pixel: cell, columns: columns)
        }
        let start = targetLocation * weightsPerCell + tau[o][j] * blockSize
        weights.replaceSubrange(start..<(start + blockSize), with: block)
      }
      biases.replaceSubrange(
        (targetLocation * columns)..<((targetLocation + 1) * columns),
        with: originalBiases[(o * columns)..<((o + 1) * columns)])
    }
    replaceSubrange(affine.weightOffset..<(affine.weightOffset + weights.count), with: weights)
    replaceSubrange(affine.biasOffset..<(affine.biasOffset + biases.count), with: biases)
    return .success(PixelMap(source: rho, channels: columns, rotations: nil))
  }
}
