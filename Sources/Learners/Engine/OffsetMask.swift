/// Which entries of a pooled-readout lane field exist when the border is not periodic.
///
/// Lane k of a field over p holds the pair entry S(p, p + d) at offset d = (dy, dx0 + k). With
/// zero or valid padding the offsets do not wrap, so an entry exists only where the partner
/// pixel p + d lies inside the current grid; elsewhere the pair covariance is a padded zero.
/// Clearing those entries before every filter makes the clipped box filter read exactly the
/// zeros neural-tangents pads with (see `BoxFilter`), and clearing them before the readout
/// sums over exactly the pixel pairs of the final grid.
struct OffsetMask {
  /// The row offset shared by all lanes.
  let dy: Int
  /// The column offset of lane 0; lane k has dx0 + k.
  let dx0: Int

  /// Sets to zero, with a lane select (never a multiply, so a stale non-finite value cannot
  /// leak), every entry on the `height` x `width` grid whose partner pixel is outside it.
  /// - Complexity: O(height width) lane operations.
  @inline(__always)
  func clear(_ field: UnsafeMutablePointer<Lanes>, height: Int, width: Int, stride: Int) {
    let limit = Lanes(repeating: Double(width))
    for y in 0..<height {
      let row = field + y * stride
      if y + dy < 0 || y + dy >= height {
        for x in 0..<width { row[x] = Lanes(repeating: 0) }
        continue
      }
      for x in 0..<width {
        let first = x + dx0
        if first >= 0 && first + laneCount <= width { continue }
        let partner = laneIndices + Lanes(repeating: Double(first))
        row[x].replace(with: 0, where: (partner .< 0) .| (partner .>= limit))
      }
    }
  }
}

/// (0, 1, ..., 7): lane k's index.
private let laneIndices = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
