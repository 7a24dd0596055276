/// The SIMD vector the engine computes with: one lane per kernel entry (an image pair or a
/// pixel offset), so lanes never interact and every entry's arithmetic is the same whatever
/// lane or block it lands in.
///
/// Eight doubles are four SSE2 registers: enough independent work to hide the latency of the
/// arc-cosine's division and square roots.
typealias Lanes = SIMD8<Double>

/// The number of lanes in `Lanes`.
let laneCount = Lanes.scalarCount

extension UnsafePointer where Pointee == Double {
  /// The `laneCount` doubles starting here, with no alignment requirement.
  @inline(__always)
  func loadLanes() -> Lanes {
    UnsafeRawPointer(self).loadUnaligned(as: Lanes.self)
  }
}

extension UnsafeMutablePointer where Pointee == Double {
  /// The `laneCount` doubles starting here, with no alignment requirement.
  @inline(__always)
  func loadLanes() -> Lanes {
    UnsafeRawPointer(self).loadUnaligned(as: Lanes.self)
  }

  /// Writes `lanes` to the `laneCount` doubles starting here, with no alignment requirement.
  @inline(__always)
  func storeLanes(_ lanes: Lanes) {
    UnsafeMutableRawPointer(self).storeBytes(of: lanes, as: Lanes.self)
  }
}
