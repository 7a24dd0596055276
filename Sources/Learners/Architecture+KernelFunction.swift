import Dispatch
import Foundation
import Symmetries

extension Architecture: KernelFunction {
  /// The reference definition of the infinite-width NNGP and NTK Gram matrices between `x1` and
  /// `x2` (n1 x n2), or of `x1` with itself (n1 x n1, symmetric) when `x2` is nil: layer by
  /// layer, for any architecture and padding. `kernels(_:_:)` gives the same matrices through
  /// the fast engine where it applies; this path is what the engine is tested against.
  ///
  /// Each entry runs the layer recursions on its image pair (`LayerKind.kernelStep`), starting
  /// from S0(p, q) = <x_p, x'_q> / C and T0 = 0, with each image's own variances S_xx(p, p)
  /// precomputed once per image at every layer that reads them. In the symmetric case each
  /// unordered pair is computed once and mirrored. Entries are independent, so the result has the
  /// same bits for any number of threads; it is also bitwise symmetric under swapping the batches.
  ///
  /// - Parameter x1: the images of the rows.
  /// - Parameter x2: the images of the columns; nil for `x1` again.
  /// - Parameter parallel: spread rows over the cores with `DispatchQueue.concurrentPerform`.
  /// - Throws: `KernelError` on batches of different shapes, a `valid` filter that does not fit,
  ///   or an entry that overflows.
  /// - Complexity: O((n1 + n1 n2) L P k^2) with a flatten readout (P pixels, L layers, k x k
  ///   filters), O((n1 + n1 n2) L P^2 k^2) with global average pooling; half the pairs in the
  ///   symmetric case.
  public func referenceKernels(
    _ x1: ImageBatch, _ x2: ImageBatch?, parallel: Bool = true
  ) throws(KernelError) -> KernelMatrices {
    if let x2, x2.shape != x1.shape {
      throw .shapeMismatch(first: x1.shape, second: x2.shape)
    }
    let plan = try KernelPlan(self, shape: x1.shape)
    let rows = x1.count
    let second = x2 ?? x1
    let columns = second.count
    let firstVariances = Self.trajectories(x1, plan: plan, parallel: parallel)
    let secondVariances =
      x2 == nil ? firstVariances : Self.trajectories(second, plan: plan, parallel: parallel)
    var nngp = Matrix(uncheckedRows: rows, columns: columns)
    var ntk = Matrix(uncheckedRows: rows, columns: columns)
    nngp.storage.withUnsafeMutableBufferPointer { nngpBuffer in
      ntk.storage.withUnsafeMutableBufferPointer { ntkBuffer in
        // Each cell has exactly one writer (see below), so sharing the buffers is race-free.
        nonisolated(unsafe) let nngp = nngpBuffer
        nonisolated(unsafe) let ntk = ntkBuffer
        Self.forEach(rows, parallel: parallel) { i in
          var workspace = PairWorkspace(capacity: plan.capacity)
          // Row i writes (i, j) for its own columns and, when symmetric, the mirror (j, i) for
          // j > i; no other row writes those cells.
          let start = x2 == nil ? i : 0
          for j in start..<columns {
            let entry = plan.kernel(
              x1.image(i), second.image(j), firstVariances[i], secondVariances[j],
              workspace: &workspace)
            nngp[i * columns + j] = entry.nngp
            ntk[i * columns + j] = entry.ntk
            if x2 == nil {
              nngp[j * columns + i] = entry.nngp
              ntk[j * columns + i] = entry.ntk
            }
          }
        }
      }
    }
    let result = KernelMatrices(uncheckedNNGP: nngp, ntk: ntk)
    try Self.requireFinite(result)
    return result
  }

  /// The Gram matrices on all cores, by the path `kernelPath` names: the fast `KernelEngine`
  /// when it runs this architecture in this build, otherwise `referenceKernels`.
  ///
  /// The two agree to round-off (a claim of the performance tests); the engine's results are
  /// also bit-identical for any thread count. The choice is made before computing, never by
  /// falling back after an engine error: an architecture the engine accepts and then refuses is
  /// a bug, and traps.
  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws(KernelError) -> KernelMatrices {
    if let x2, x2.shape != x1.shape {
      throw .shapeMismatch(first: x1.shape, second: x2.shape)
    }
    guard case .engine(let program) = kernelPath else {
      return try referenceKernels(x1, x2, parallel: true)
    }
    _ = try grids(on: x1.shape)
    let result: KernelMatrices
    do {
      let engine = try KernelEngine(
        program: program, threads: ProcessInfo.processInfo.activeProcessorCount)
      result = try x2.map { try engine.kernels(x1, $0) } ?? engine.kernels(x1)
    } catch {
      preconditionFailure(
        "internal: the engine refused a program it was chosen for (\(self)): \(error)")
    }
    try Self.requireFinite(result)
    return result
  }

  /// Which implementation `kernels(_:_:)` uses for this architecture in this build, and why.
  ///
  /// In a debug build (`swift test`) always the reference path: unoptimised, the engine's SIMD
  /// code is about 9 times slower than the scalar recursion (measured on CNN-GAP, 4 x 4 x 3),
  /// while optimised it is many times faster. The engine itself is tested directly in both
  /// builds.
  public var kernelPath: KernelPath {
    switch engineSupport {
    case .failure(let unsupported):
      return .reference(reason: "the fast engine does not run \(unsupported.reason)")
    case .success(let program):
      if Self.isDebugBuild {
        return .reference(
          reason: "a debug build, where the unoptimised engine is slower than the reference path")
      }
      return .engine(program)
    }
  }

  /// Whether this module was compiled without optimisation.
  static var isDebugBuild: Bool {
    #if DEBUG
      return true
    #else
      return false
    #endif
  }

  /// Throws `nonFiniteEntry` for the first NaN or infinite entry (an overflow on huge inputs).
  static func requireFinite(_ kernels: KernelMatrices) throws(KernelError) {
    let columns = kernels.nngp.columns
    for (index, value) in zip(
      kernels.nngp.storage.indices, zip(kernels.nngp.storage, kernels.ntk.storage))
    {
      guard value.0.isFinite, value.1.isFinite else {
        throw .nonFiniteEntry(
          row: index / columns, column: index % columns,
          value: value.0.isFinite ? value.1 : value.0)
      }
    }
  }

  // MARK: - Helpers

  /// Every image's variances at every activation.
  private static func trajectories(
    _ batch: ImageBatch, plan: KernelPlan, parallel: Bool
  ) -> [VarianceTrajectory] {
    var result = [VarianceTrajectory](repeating: [], count: batch.count)
    result.withUnsafeMutableBufferPointer { buffer in
      // Index i writes only result[i].
      nonisolated(unsafe) let result = buffer
      forEach(batch.count, parallel: parallel) { i in
        var workspace = PairWorkspace(capacity: plan.capacity)
        result[i] = plan.variances(of: batch.image(i), workspace: &workspace)
      }
    }
    return result
  }

  /// Runs `body` for 0..<count, concurrently or in order; each index writes only its own cells.
  private static func forEach(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> Void) {
    if parallel, count > 1 {
      DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
      for i in 0..<count { body(i) }
    }
  }
}
