import Symmetries

/// What the layers' symmetry rules are asked: which invariance, for which learner.
enum SymmetryQuestion: Sendable {
  /// K(g x, g x') = K(x, x') for the NNGP and NTK.
  case kernelAlgorithmic
  /// f(g x) = f(x) for every parameter value, and K(x, g x') = K(x, x'): the same rule, since
  /// each layer keeps it exactly when it keeps the one-sided pixel pairing of its features.
  case functional
  /// Whether g lifts to the parameters (theta -> theta' with M(theta', x) = M(theta, g x))
  /// by a map the optimiser commutes with: every orthogonal map for gradient descent and SGD,
  /// coordinate permutations only for Adam (`perCoordinate`).
  case transport(perCoordinate: Bool)
}

/// How an action g still acts on the features entering a layer, as one question sees it.
enum SymmetryState: Sendable {
  /// g mixes pixels (an orthogonal map of the flattened input), and no layer has absorbed it.
  case flattened
  /// g moves the grid's pixels: the features of g x at pixel p are those of x at
  /// `source[p]`, their channels still mapped by `channels` (the input's channel map until a
  /// layer absorbs it).
  ///
  /// For the kernels, K(g x, g x')(p, q) = K(x, x')(source[p], source[q]) for every pixel pair,
  /// or only for p = q when `diagonalOnly` gives the reason.
  case pixels(source: [Int], channels: ChannelMap, diagonalOnly: String?)
  /// The features are a vector whose coordinates g still maps by `channels` (`.none`: the
  /// vector no longer sees g, the symmetry holds from here on).
  case vector(ChannelMap)
  /// A layer broke the symmetry.
  case broken(PredictedVerdict)

  /// The state of the input under `structure`, for `question`.
  init(_ structure: ActionStructure, question: SymmetryQuestion) {
    switch structure {
    case .flattenedOrthogonal:
      self = .flattened
    case .pixelMap(let motion, let channels):
      if case .kernelAlgorithmic = question {
        // The input covariance S0(p, q) = <x_p, x'_q> / C keeps every pair under a global
        // channel map, and only p = q under a different rotation at every pixel.
        self = .pixels(
          source: motion.source, channels: .none,
          diagonalOnly: channels == .pixelwiseRotation
            ? "a per-pixel channel rotation keeps channel inner products at the same pixel only"
            : nil)
      } else {
        self = .pixels(source: motion.source, channels: channels, diagonalOnly: nil)
      }
    }
  }
}

/// Where a pixel map sends an affine layer's filter windows.
struct WindowMatch {
  /// rho[o]: the output cell whose window is the moved window of o (the output's new source).
  let rho: [Int]
  /// tau[j]: the tap of the target window that tap j moves onto, the same at every location;
  /// nil when no single tap permutation fits every location.
  let sharedTaps: [Int]?
}

extension TapTable {
  /// The window of output cell o moved by `source`: the cells source[taps[o][j]] (-1, a padded
  /// zero, stays -1).
  private func movedWindow(_ o: Int, _ source: [Int]) -> [Int] {
    (0..<tapCount).map { j in
      let cell = taps[o * tapCount + j]
      return cell < 0 ? -1 : source[cell]
    }
  }

  private func window(_ o: Int) -> [Int] { Array(taps[(o * tapCount)..<((o + 1) * tapCount)]) }

  /// How the pixel map `source` (on the input grid) moves the windows: every moved window must
  /// be, as a multiset of cells with padded zeros counted, another cell's window, one for one;
  /// nil otherwise. The shared tap permutation tau, if any, satisfies
  /// source[taps[o][j]] = taps[rho[o]][tau[j]] for every o and j; when windows coincide as sets
  /// (a 3-tap circular filter on a 3-pixel side reads every pixel from every location) rho is
  /// chosen to make tau exist when it can.
  /// - Complexity: O(H W k^2 log k) for the windows, O(H W k^2) per candidate tau (one unless
  ///   windows coincide as sets).
  func match(_ source: [Int]) -> WindowMatch? {
    var targets: [[Int]: [Int]] = [:]
    for o in (0..<outputCells).reversed() { targets[window(o).sorted(), default: []].append(o) }
    var rho = [Int](repeating: -1, count: outputCells)
    for o in 0..<outputCells {
      let key = movedWindow(o, source).sorted()
      guard let target = targets[key]?.popLast() else { return nil }
      rho[o] = target
    }
    return sharedMatch(source) ?? WindowMatch(rho: rho, sharedTaps: nil)
  }

  /// rho and one tap permutation tau for every location, when they exist. tau is read off a
  /// reference window (without padding or repeated cells, if there is one) against each window
  /// holding the same cells, and kept if every moved window, reordered by it, is a window.
  private func sharedMatch(_ source: [Int]) -> WindowMatch? {
    var bySequence: [[Int]: [Int]] = [:]
    for o in (0..<outputCells).reversed() { bySequence[window(o), default: []].append(o) }
    let reference =
      (0..<outputCells).first { o in
        let cells = window(o)
        return !cells.contains(-1) && Set(cells).count == tapCount
      } ?? 0
    let moved = movedWindow(reference, source)
    let movedCells = moved.sorted()
    for candidate in 0..<outputCells where window(candidate).sorted() == movedCells {
      var free = window(candidate).map(Optional.some)
      let tau = moved.map { cell -> Int in
        let t = free.firstIndex(of: cell)!
        free[t] = nil
        return t
      }
      var available = bySequence
      var rho = [Int](repeating: -1, count: outputCells)
      var sequence = [Int](repeating: 0, count: tapCount)
      var fits = true
      for o in 0..<outputCells {
        let cells = movedWindow(o, source)
        for j in 0..<tapCount { sequence[tau[j]] = cells[j] }
        guard let target = available[sequence]?.popLast() else {
          fits = false
          break
        }
        rho[o] = target
      }
      if fits { return WindowMatch(rho: rho, sharedTaps: tau) }
    }
    return nil
  }

  /// The output map rho when `source` moves every window onto another tap for tap
  /// (source[taps[o][j]] = taps[rho[o]][j]), nil otherwise: a motion a shared filter commutes
  /// with unchanged, as a circular translation does.
  func matchTapForTap(_ source: [Int]) -> [Int]? {
    var targets: [[Int]: [Int]] = [:]
    for o in (0..<outputCells).reversed() { targets[window(o), default: []].append(o) }
    var rho = [Int](repeating: -1, count: outputCells)
    for o in 0..<outputCells {
      guard let target = targets[movedWindow(o, source)]?.popLast() else { return nil }
      rho[o] = target
    }
    return rho
  }
}
