/// One thread's scratch memory: five lane fields of P entries (S, T, a box-filter buffer and the
/// pair factors uu, vv of an activation), allocated once per thread per call and reused for
/// every pair.
///
/// Its size depends on the image shape only, never on the number of images, so the engine's
/// memory is the n x n outputs plus linear per-image tables plus this per thread.
struct PairWorkspace {
  let covariance: UnsafeMutablePointer<Lanes>
  let tangent: UnsafeMutablePointer<Lanes>
  let scratch: UnsafeMutablePointer<Lanes>
  let pairU: UnsafeMutablePointer<Lanes>
  let pairV: UnsafeMutablePointer<Lanes>

  /// Bytes held by a workspace for fields of `pixels` covariances.
  static func bytes(pixels: Int) -> Int {
    5 * pixels * MemoryLayout<Lanes>.stride
  }

  init(pixels: Int) {
    covariance = .allocate(capacity: pixels)
    tangent = .allocate(capacity: pixels)
    scratch = .allocate(capacity: pixels)
    pairU = .allocate(capacity: pixels)
    pairV = .allocate(capacity: pixels)
    covariance.initialize(repeating: Lanes(repeating: 0), count: pixels)
    tangent.initialize(repeating: Lanes(repeating: 0), count: pixels)
    scratch.initialize(repeating: Lanes(repeating: 0), count: pixels)
    pairU.initialize(repeating: Lanes(repeating: 0), count: pixels)
    pairV.initialize(repeating: Lanes(repeating: 0), count: pixels)
  }

  func deallocate() {
    covariance.deallocate()
    tangent.deallocate()
    scratch.deallocate()
    pairU.deallocate()
    pairV.deallocate()
  }
}
