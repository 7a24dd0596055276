import Dispatch
import Synchronization

/// Dynamic scheduling of independent work items over threads.
///
/// Each thread takes the next unclaimed item from a shared counter until none are left, so
/// uneven items balance themselves. Items write disjoint outputs and each item is computed by
/// one thread in a fixed order, so results are bit-identical for any thread count.
enum ParallelItems {
  /// Calls `body(workspace, item)` for every item in 0..<count, on `threads` threads, each
  /// thread with its own workspace of `pixels` lane fields, a copy of `taps` and pair tensors
  /// over `tensorCells` cells.
  static func run(
    count: Int, threads: Int, pixels: Int, taps: [Int] = [], tensorCells: Int = 0,
    _ body: (EngineWorkspace, Int) -> Void
  ) {
    guard count > 0 else { return }
    let workers = min(threads, count)
    if workers == 1 {
      let workspace = EngineWorkspace(pixels: pixels, taps: taps, tensorCells: tensorCells)
      for item in 0..<count { body(workspace, item) }
      workspace.deallocate()
      return
    }
    let next = Atomic<Int>(0)
    // Items only read shared inputs and write disjoint outputs, so sharing `body` is safe.
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        let workspace = EngineWorkspace(pixels: pixels, taps: taps, tensorCells: tensorCells)
        while true {
          let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if item >= count { break }
          shared.value(workspace, item)
        }
        workspace.deallocate()
      }
    }
  }
}

/// A value shared across the worker threads of one call under the scheduler's discipline.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// The output matrices as raw storage that items write disjointly from several threads.
struct OutputStorage: @unchecked Sendable {
  let nngp: UnsafeMutablePointer<Double>
  let ntk: UnsafeMutablePointer<Double>
  let columns: Int

  @inline(__always)
  func store(row: Int, column: Int, nngp value: Double, ntk tangentValue: Double) {
    nngp[row * columns + column] = value
    ntk[row * columns + column] = tangentValue
  }

  /// The first `valid` lanes at (row, firstColumn ..< firstColumn + valid): one vector store
  /// each when all 8 are entries.
  @inline(__always)
  func store(row: Int, firstColumn: Int, nngp values: Lanes, ntk tangentValues: Lanes, valid: Int) {
    let index = row * columns + firstColumn
    if valid == laneCount {
      (nngp + index).storeLanes(values)
      (ntk + index).storeLanes(tangentValues)
    } else {
      for lane in 0..<valid {
        nngp[index + lane] = values[lane]
        ntk[index + lane] = tangentValues[lane]
      }
    }
  }
}
