import Dispatch

/// Fork-join helpers for the numeric kernels: work items are fixed by the problem shape, never
/// by the thread count, so every item computes the same bits whichever thread runs it.
enum Parallel {
  /// Runs `body` for each item in 0..<count, over several threads when `workers > 1`.
  ///
  /// - Complexity: `count` calls of `body`.
  static func forEach(_ count: Int, workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 || count <= 1 {
      for item in 0..<count { body(item) }
    } else {
      DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
  }
}

/// A buffer pointer handed to worker threads that touch disjoint parts of it.
struct SharedPointer: @unchecked Sendable {
  let base: UnsafeMutablePointer<Double>
  init(_ base: UnsafeMutablePointer<Double>) { self.base = base }
}
