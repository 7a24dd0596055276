import Symmetries

/// The Gram block G[i][j] = <x_i, y_j> of flattened images: the dense input covariance.
///
/// A cache-blocked SIMD product: columns in panels of 8 (one lane each), rows in pairs, the
/// inner dimension in blocks that keep a panel in L1. Every entry is summed over k in
/// increasing order whatever its block, so a block of G equals the same entries of the whole
/// bit for bit. With `upperTriangle` (rows == columns) panels wholly below the diagonal are
/// skipped and left zero; the caller mirrors what it needs. This is the engine's only matrix
/// product.
/// - Complexity: O(rows * columns * d) time, O(rows * columns) memory.
enum InnerProducts {
  private static let rowChunk = 32
  private static let depthBlock = 256

  static func gram(
    _ x: ImageBatch, rows: Range<Int>, _ y: ImageBatch, columns: Range<Int>,
    upperTriangle: Bool, threads: Int
  ) -> [Double] {
    let depth = x.shape.dimension
    let rowCount = rows.count
    let columnCount = columns.count
    let panels = (columnCount + laneCount - 1) / laneCount
    var packed = [Double](repeating: 0, count: panels * depth * laneCount)
    y.values.withUnsafeBufferPointer { values in
      for j in 0..<columnCount {
        let source = (columns.lowerBound + j) * depth
        let panel = j / laneCount
        let lane = j % laneCount
        for k in 0..<depth { packed[(panel * depth + k) * laneCount + lane] = values[source + k] }
      }
    }
    var result = [Double](repeating: 0, count: rowCount * columnCount)
    let chunks = (rowCount + rowChunk - 1) / rowChunk
    result.withUnsafeMutableBufferPointer { output in
      let target = SharedPointer(output.baseAddress!)
      packed.withUnsafeBufferPointer { packed in
        x.values.withUnsafeBufferPointer { values in
          ParallelItems.run(count: chunks, threads: threads, pixels: 0) { _, chunk in
            let first = chunk * rowChunk
            let last = min(rowCount, first + rowChunk)
            // The inner dimension outermost: one panel block (16 KB) stays in L1 while every
            // row of the chunk passes over it; partial sums wait in the output.
            var k0 = 0
            while k0 < depth {
              let k1 = min(depth, k0 + depthBlock)
              for panel in 0..<panels {
                let lanes = packed.baseAddress! + panel * depth * laneCount
                let width = min(laneCount, columnCount - panel * laneCount)
                // Rows below this panel's last column see only the lower triangle.
                let end = upperTriangle ? min(last, panel * laneCount + width) : last
                var i = first
                while i < end {
                  let pair = i + 1 < end
                  let row0 = values.baseAddress! + (rows.lowerBound + i) * depth
                  let row1 = pair ? row0 + depth : row0
                  let out0 = target.pointer + i * columnCount + panel * laneCount
                  let out1 = pair ? out0 + columnCount : out0
                  var sum0 = k0 == 0 ? Lanes(repeating: 0) : load(out0, width)
                  var sum1 = k0 == 0 ? Lanes(repeating: 0) : load(out1, width)
                  for k in k0..<k1 {
                    let column = (lanes + k * laneCount).loadLanes()
                    sum0 += Lanes(repeating: row0[k]) * column
                    sum1 += Lanes(repeating: row1[k]) * column
                  }
                  store(sum0, out0, width)
                  if pair { store(sum1, out1, width) }
                  i += pair ? 2 : 1
                }
              }
              k0 = k1
            }
          }
        }
      }
    }
    return result
  }
}

@inline(__always)
private func load(_ pointer: UnsafeMutablePointer<Double>, _ width: Int) -> Lanes {
  if width == laneCount { return pointer.loadLanes() }
  var lanes = Lanes(repeating: 0)
  for k in 0..<width { lanes[k] = pointer[k] }
  return lanes
}

@inline(__always)
private func store(_ lanes: Lanes, _ pointer: UnsafeMutablePointer<Double>, _ width: Int) {
  if width == laneCount {
    UnsafeMutableRawPointer(pointer).storeBytes(of: lanes, as: Lanes.self)
    return
  }
  for k in 0..<width { pointer[k] = lanes[k] }
}

/// A raw pointer that threads write through at disjoint indices.
struct SharedPointer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Double>
  init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}
