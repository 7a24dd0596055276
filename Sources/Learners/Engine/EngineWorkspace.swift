/// One thread's scratch memory: three lane fields of P covariances (S, T and a box-filter
/// buffer) and a copy of the program's filter index tables, allocated once per thread per call
/// and reused for every pair.
///
/// Its size depends on the image shape only, never on the number of images, so the engine's
/// memory is the n x n outputs plus linear per-image tables plus this per thread.
struct EngineWorkspace {
  let covariance: UnsafeMutablePointer<Lanes>
  let tangent: UnsafeMutablePointer<Lanes>
  let scratch: UnsafeMutablePointer<Lanes>
  let taps: UnsafeMutablePointer<Int>
  /// Two pair-tensor buffers of `tensorCells`^2 S then T entries each, then a line of
  /// `tensorCells` doubles (`StagedPairs`; empty for programs without stages).
  let tensors: UnsafeMutablePointer<Double>
  let tensorCells: Int

  /// Bytes held by a workspace for fields of `pixels` covariances, `taps` table entries and pair
  /// tensors over `tensorCells` cells.
  static func bytes(pixels: Int, taps: Int, tensorCells: Int = 0) -> Int {
    3 * pixels * MemoryLayout<Lanes>.stride + taps * MemoryLayout<Int>.stride
      + tensorDoubles(tensorCells) * MemoryLayout<Double>.stride
  }

  private static func tensorDoubles(_ cells: Int) -> Int {
    cells == 0 ? 0 : 4 * cells * cells + cells
  }

  init(pixels: Int, taps: [Int], tensorCells: Int = 0) {
    self.tensorCells = tensorCells
    let doubles = Self.tensorDoubles(tensorCells)
    tensors = .allocate(capacity: max(doubles, 1))
    tensors.initialize(repeating: 0, count: max(doubles, 1))
    self.taps = .allocate(capacity: taps.count)
    self.taps.initialize(from: taps, count: taps.count)
    covariance = .allocate(capacity: pixels)
    tangent = .allocate(capacity: pixels)
    scratch = .allocate(capacity: pixels)
    covariance.initialize(repeating: Lanes(repeating: 0), count: pixels)
    tangent.initialize(repeating: Lanes(repeating: 0), count: pixels)
    scratch.initialize(repeating: Lanes(repeating: 0), count: pixels)
  }

  func deallocate() {
    covariance.deallocate()
    tangent.deallocate()
    scratch.deallocate()
    taps.deallocate()
    tensors.deallocate()
  }
}
