import Symmetries

/// An architecture compiled for one input shape: each layer's reference recursion with its grid
/// geometry resolved (`LayerKind.kernelStep`).
///
/// The pair state between steps is the NNGP S and NTK T of two images over the current grid:
/// all pixel pairs (cells^2 values, when some layer needs them, as global pooling does) or only
/// the pixel diagonal (cells values; every layer that needs no off-diagonal pairs maps the
/// diagonal to the diagonal, since an affine layer reads K(p + d, q + d) at the same offset d
/// for both pixels).
struct KernelPlan: Sendable {
  /// The input image shape.
  let shape: ImageShape
  /// Whether the grid part tracks all pixel pairs or only the diagonal.
  let allPairs: Bool
  /// The steps, input to readout.
  let steps: [any KernelStep]
  /// The largest pair-state length over all steps.
  let capacity: Int

  /// Resolves every layer's geometry on `shape`.
  /// - Throws: the first layer that does not fit the grid it reads (`Architecture.grids(on:)`).
  /// - Complexity: O(sum over affine layers of H W k^2).
  init(_ architecture: Architecture, shape: ImageShape) throws(KernelError) {
    self.shape = shape
    allPairs = architecture.needsAllPixelPairs
    let grids = try architecture.grids(on: shape)
    steps = zip(architecture.layers, grids).map { layer, grid in layer.kind.kernelStep(on: grid) }
    let largestGrid = grids.map(\.cells).max() ?? 1
    capacity = allPairs ? largestGrid * largestGrid : largestGrid
  }
}

/// One layer's reference recursion on the pair state, with its geometry resolved.
protocol KernelStep: Sendable {
  /// Maps (S, T) over the current grid to the next layer's; `variances` gives each image's own
  /// S_xx(p, p) to a recursion that needs them.
  func apply(_ state: inout PairState, variances: inout VarianceCursor)
}

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

/// The per-step variances of one image: entry i holds S_xx(p, p) over the grid cells entering
/// the i-th recursion that asked for them.
typealias VarianceTrajectory = [[Double]]

/// Hands each image's own variances to the steps that ask, in order: on the pair of an image
/// with itself it records them from the state; on any other pair it replays both images'
/// records.
struct VarianceCursor {
  private let first: VarianceTrajectory?
  private let second: VarianceTrajectory?
  private var next = 0
  /// What the self pair recorded.
  private(set) var recorded: VarianceTrajectory = []

  /// The cursor of an image's pair with itself, which records.
  init() {
    first = nil
    second = nil
  }

  /// The cursor of a pair of images with recorded trajectories.
  init(_ first: VarianceTrajectory, _ second: VarianceTrajectory) {
    self.first = first
    self.second = second
  }

  /// S_xx(p, p) and S_x'x'(q, q) over the current grid.
  mutating func variances(_ state: PairState) -> (first: [Double], second: [Double]) {
    if let first, let second {
      defer { next += 1 }
      return (first[next], second[next])
    }
    let own = state.diagonal()
    recorded.append(own)
    return (own, own)
  }

  /// S_xx(p, p') and S_x'x'(q, q') over every pixel pair of the current grid (row-major), for a
  /// recursion that reads each image's whole own covariance (attention); needs all pixel pairs.
  mutating func covariances(_ state: PairState) -> (first: [Double], second: [Double]) {
    precondition(state.allPairs, "internal: own covariances need all pixel pairs")
    if let first, let second {
      defer { next += 1 }
      return (first[next], second[next])
    }
    let own = Array(state.s[0..<state.count])
    recorded.append(own)
    return (own, own)
  }
}

extension KernelPlan {
  /// The variances of one image at every step that reads them, from the recursion of the image
  /// with itself (the variances are then the diagonal of the current S).
  /// - Complexity: that of one pair.
  func variances(of image: ArraySlice<Double>, workspace: inout PairWorkspace) -> VarianceTrajectory
  {
    var cursor = VarianceCursor()
    _ = run(image, image, cursor: &cursor, workspace: &workspace)
    return cursor.recorded
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
    var cursor = VarianceCursor(varianceA, varianceB)
    return run(a, b, cursor: &cursor, workspace: &workspace)
  }

  // MARK: - The recursion

  /// Runs every step on the pair.
  private func run(
    _ a: ArraySlice<Double>, _ b: ArraySlice<Double>, cursor: inout VarianceCursor,
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
                  step.apply(&state, variances: &cursor)
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
struct PairState {
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

  /// The index of the pair (p, q) in the stored values (only p = q without all pairs).
  @inline(__always)
  func index(_ p: Int, _ q: Int) -> Int { allPairs ? p * cells + q : p }

  /// S(p, p) for every cell.
  func diagonal() -> [Double] {
    (0..<cells).map { p in allPairs ? s[p * cells + p] : s[p] }
  }

  /// Makes the next buffers current, on a grid of `cells` cells.
  mutating func advance(cells: Int) {
    self.cells = cells
    swap(&s, &nextS)
    swap(&t, &nextT)
  }
}
