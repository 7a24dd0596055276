/// Scratch buffers for one pair recursion, reused across the pairs one worker evaluates.
struct PairWorkspace {
  var nngp: [Double]
  var ntk: [Double]
  var nextNNGP: [Double]
  var nextNTK: [Double]

  init(capacity: Int) {
    nngp = Array(repeating: 0, count: capacity)
    ntk = nngp
    nextNNGP = nngp
    nextNTK = nngp
  }
}

/// The per-activation variances of one image: entry i holds S_xx(p, p) over the grid cells
/// entering activation i.
typealias VarianceTrajectory = [[Double]]

extension KernelPlan {
  /// The variances of one image at every activation, from the recursion of the image with
  /// itself (at each activation the variances are the diagonal of the current S).
  /// - Complexity: that of one pair.
  func variances(of image: ArraySlice<Double>, workspace: inout PairWorkspace) -> VarianceTrajectory {
    var trajectory: VarianceTrajectory = []
    trajectory.reserveCapacity(activationCount)
    _ = run(image, image, nil, nil, record: &trajectory, workspace: &workspace)
    return trajectory
  }

  /// The (NNGP, NTK) readout of the pair (a, b), given each image's variance trajectory.
  ///
  /// Bitwise symmetric: the pair (b, a) gives the same bits, and the pair (a, a) reproduces the
  /// self recursion, so the diagonal cosine is exactly 1.
  /// - Complexity: O(sum over steps of cells * taps) with the pixel diagonal, O(sum of cells^2 *
  ///   taps) with all pixel pairs.
  func kernel(
    _ a: ArraySlice<Double>, _ b: ArraySlice<Double>, _ varianceA: VarianceTrajectory,
    _ varianceB: VarianceTrajectory, workspace: inout PairWorkspace
  ) -> (nngp: Double, ntk: Double) {
    var unused: VarianceTrajectory = []
    return run(a, b, varianceA, varianceB, record: &unused, workspace: &workspace)
  }

  // MARK: - The recursion

  /// Runs every step on the pair; with nil variances it is the self pair and records them.
  private func run(
    _ a: ArraySlice<Double>, _ b: ArraySlice<Double>, _ varianceA: VarianceTrajectory?,
    _ varianceB: VarianceTrajectory?, record: inout VarianceTrajectory,
    workspace: inout PairWorkspace
  ) -> (nngp: Double, ntk: Double) {
    let result = a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        workspace.nngp.withUnsafeMutableBufferPointer { s0 in
          workspace.ntk.withUnsafeMutableBufferPointer { t0 in
            workspace.nextNNGP.withUnsafeMutableBufferPointer { s1 in
              workspace.nextNTK.withUnsafeMutableBufferPointer { t1 in
                var state = PairState(s: s0, t: t0, nextS: s1, nextT: t1)
                input(a, b, into: &state)
                for step in steps {
                  switch step {
                  case .affine(let weightVariance, let biasVariance, let shared, let table):
                    state.affine(weightVariance, biasVariance, shared: shared, table: table)
                  case .activation(let activation, let index):
                    if let varianceA, let varianceB {
                      state.activate(activation, varianceA[index], varianceB[index])
                    } else {
                      let own = state.diagonal()
                      record.append(own)
                      state.activate(activation, own, own)
                    }
                  case .flatten:
                    state.flatten()
                  case .pool:
                    state.pool()
                  }
                }
                return (state.s[0], state.t[0])
              }
            }
          }
        }
      }
    }
    return result
  }

  /// S0(p, q) = <a_p, b_q> / C (all pairs or the diagonal), T0 = 0.
  private func input(
    _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, into state: inout PairState
  ) {
    let channels = shape.channels
    let cells = shape.pixelCount
    let scale = 1 / Double(channels)
    func dot(_ p: Int, _ q: Int) -> Double {
      var sum = 0.0
      for c in 0..<channels { sum += a[p * channels + c] * b[q * channels + c] }
      return sum * scale
    }
    state.cells = cells
    state.allPairs = allPairs
    if allPairs {
      for p in 0..<cells {
        for q in 0..<cells { state.s[p * cells + q] = dot(p, q) }
      }
    } else {
      for p in 0..<cells { state.s[p] = dot(p, p) }
    }
    for i in 0..<state.count { state.t[i] = 0 }
  }
}

/// The NNGP and NTK of a pair over the current grid, on borrowed buffers (current and next).
private struct PairState {
  var s: UnsafeMutableBufferPointer<Double>
  var t: UnsafeMutableBufferPointer<Double>
  var nextS: UnsafeMutableBufferPointer<Double>
  var nextT: UnsafeMutableBufferPointer<Double>
  /// Grid cells.
  var cells = 0
  /// Whether all cell pairs are stored (cells^2 values) or only the diagonal (cells values).
  var allPairs = false

  init(
    s: UnsafeMutableBufferPointer<Double>, t: UnsafeMutableBufferPointer<Double>,
    nextS: UnsafeMutableBufferPointer<Double>, nextT: UnsafeMutableBufferPointer<Double>
  ) {
    self.s = s
    self.t = t
    self.nextS = nextS
    self.nextT = nextT
  }

  /// The number of stored values.
  var count: Int { allPairs ? cells * cells : cells }

  /// S(p, p) for every cell.
  func diagonal() -> [Double] {
    (0..<cells).map { p in allPairs ? s[p * cells + p] : s[p] }
  }

  /// S = b^2 + W^2 mean_d K(p + d, q + d), T = S + W^2 mean_d T'(p + d, q + d); without sharing
  /// only p = q survives (bias included).
  mutating func affine(_ weightVariance: Double, _ biasVariance: Double, shared: Bool, table: TapTable) {
    let tapCount = table.tapCount
    let outputCells = table.outputCells
    let inputCells = cells
    let taps = table.taps
    let normalisation = Double(tapCount)
    taps.withUnsafeBufferPointer { taps in
      // The diagonal sum visits taps in the same order whether or not all pairs are stored,
      // so S(p, p) has the same bits in both layouts.
      func diagonalEntry(_ o: Int) -> (Double, Double) {
        var sumS = 0.0
        var sumT = 0.0
        for j in 0..<tapCount {
          let i = taps[o * tapCount + j]
          guard i >= 0 else { continue }
          let index = allPairs ? i * inputCells + i : i
          sumS += s[index]
          sumT += t[index]
        }
        let nngp = sumS / normalisation * weightVariance + biasVariance
        return (nngp, sumT / normalisation * weightVariance + nngp)
      }
      if !allPairs {
        for o in 0..<outputCells {
          (nextS[o], nextT[o]) = diagonalEntry(o)
        }
        return
      }
      for o1 in 0..<outputCells {
        for o2 in 0..<outputCells {
          let index = o1 * outputCells + o2
          if o1 == o2 {
            (nextS[index], nextT[index]) = diagonalEntry(o1)
          } else if !shared {
            nextS[index] = 0
            nextT[index] = 0
          } else {
            var sumS = 0.0
            var sumT = 0.0
            for j in 0..<tapCount {
              let i1 = taps[o1 * tapCount + j]
              let i2 = taps[o2 * tapCount + j]
              guard i1 >= 0, i2 >= 0 else { continue }
              sumS += s[i1 * inputCells + i2]
              sumT += t[i1 * inputCells + i2]
            }
            let nngp = sumS / normalisation * weightVariance + biasVariance
            nextS[index] = nngp
            nextT[index] = sumT / normalisation * weightVariance + nngp
          }
        }
      }
    }
    cells = outputCells
    swap(&s, &nextS)
    swap(&t, &nextT)
  }

  /// K = E[phi(u) phi(v)], T = Kdot * T, with the variances of the two images per cell.
  mutating func activate(_ activation: Activation, _ varianceA: [Double], _ varianceB: [Double]) {
    precondition(varianceA.count == cells && varianceB.count == cells, "internal: trajectory shape")
    if allPairs {
      for p in 0..<cells {
        for q in 0..<cells {
          let index = p * cells + q
          let dual = activation.dual(
            covariance: s[index], variance1: varianceA[p], variance2: varianceB[q])
          s[index] = dual.value
          t[index] *= dual.derivative
        }
      }
    } else {
      for p in 0..<cells {
        let dual = activation.dual(covariance: s[p], variance1: varianceA[p], variance2: varianceB[p])
        s[p] = dual.value
        t[p] *= dual.derivative
      }
    }
  }

  /// S = mean_p K(p, p), T = mean_p T'(p, p): the grid becomes one cell.
  mutating func flatten() {
    var sumS = 0.0
    var sumT = 0.0
    for p in 0..<cells {
      let index = allPairs ? p * cells + p : p
      sumS += s[index]
      sumT += t[index]
    }
    s[0] = sumS / Double(cells)
    t[0] = sumT / Double(cells)
    cells = 1
    allPairs = false
  }

  /// S = mean_{p,q} K(p, q), T likewise: the grid becomes one cell.
  ///
  /// Pairs (p, q) and (q, p) are added together first, so swapping the two images (which
  /// transposes S and T) gives the same bits.
  mutating func pool() {
    precondition(allPairs, "internal: pooling needs all pixel pairs")
    var sumS = 0.0
    var sumT = 0.0
    for p in 0..<cells {
      var rowS = s[p * cells + p]
      var rowT = t[p * cells + p]
      for q in (p + 1)..<cells {
        rowS += s[p * cells + q] + s[q * cells + p]
        rowT += t[p * cells + q] + t[q * cells + p]
      }
      sumS += rowS
      sumT += rowT
    }
    let pairs = Double(cells * cells)
    s[0] = sumS / pairs
    t[0] = sumT / pairs
    cells = 1
    allPairs = false
  }
}
