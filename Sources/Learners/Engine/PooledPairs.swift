/// Pairs under a global-average-pooling readout: every pixel offset, lanes over offsets.
///
/// A convolution keeps the offset q - p fixed, so each group of 8 offsets (dy, dx0 ..< dx0 + 8)
/// runs the whole depth recursion on its own P-lane fields, which stay in L1 through all
/// layers; the readout sums K and T' over p and over the offsets. The first image's pixels are
/// broadcast, the second's are read from its periodically extended planes (circular padding)
/// or its zero-bordered planes (zero or valid padding: (2H' - 1)(2W' - 1) non-wrapping offsets
/// of the final H' x W' grid, about four times the periodic work, with `OffsetMask` keeping
/// only the entries whose partner pixel is on the grid).
///
/// A pair never holds all P^2 covariances at once (1.5 MB at 16 x 16 would overflow a 512 KB
/// L2): only 8 offsets' fields, 3 x P x 64 bytes (48 KB at 16 x 16), live at a time.
/// - Complexity: O(P^2 (C + steps * (filter + 1))) per pair; memory O(P) per thread.
enum PooledPairs {
  /// (NNGP, NTK) of image `row` of `rowTables` with image `column` of `columnTables`.
  @inline(__always)
  static func kernel(
    row: Int, column: Int, rowTables: BatchTables, rowValues: UnsafePointer<Double>,
    columnTables: BatchTables, columnData: UnsafePointer<Double>,
    columnFactors: UnsafePointer<Double>, rowFactors: UnsafePointer<Double>,
    workspace: EngineWorkspace
  ) -> (nngp: Double, ntk: Double) {
    let program = rowTables.program
    let extended = columnTables.columnStride
    let planeSize = columnTables.planeRows * extended
    let columnOffset = column - columnTables.range.lowerBound
    let rowImage = rowValues + row * program.pixelCount * program.channels
    let rowFactorBase = rowFactors + rowTables.rowFactorOffset(row)
    let dataBase = columnData + columnOffset * program.channels * planeSize
    let factorBase = columnFactors + columnOffset * rowTables.factorCount * planeSize
    var totalK = 0.0
    var totalT = 0.0
    if program.periodic {
      // Offsets modulo the grid: dy in [0, H), dx in [0, W), each pixel pair exactly once.
      let width = program.width
      for dy in 0..<program.height {
        var dx0 = 0
        while dx0 < width {
          let data = ColumnLayout(
            base: dataBase + dx0, channelStride: planeSize, rowStride: extended, elementStride: 1,
            rowShift: dy)
          let factors = ColumnLayout(
            base: factorBase + dx0, channelStride: planeSize, rowStride: extended,
            elementStride: 1, rowShift: dy)
          FieldOperations.inputCovariance(
            into: workspace.covariance, tangent: workspace.tangent, rowImage: rowImage,
            columns: data,
            program: program)
          FieldOperations.run(
            program, workspace: workspace, rowFactors: rowFactorBase, columnFactors: factors)
          let (sumK, sumT) = FieldOperations.sums(
            covariance: workspace.covariance, tangent: workspace.tangent, program: program)
          // Lanes past the last offset repeat offsets already counted: drop them.
          for lane in 0..<min(laneCount, width - dx0) {
            totalK += sumK[lane]
            totalT += sumT[lane]
          }
          dx0 += laneCount
        }
      }
    } else {
      // Zero or valid padding: offsets do not wrap, dy in (-H', H'), dx in (-W', W') for the
      // final grid H' x W' (an offset keeps its value through every layer); the zero border
      // of the column planes and `OffsetMask` supply the padded zeros, and lanes past the last
      // offset have no partner pixel on the grid, so they are cleared to zero.
      let finalHeight = program.finalHeight
      let finalWidth = program.finalWidth
      for dy in (1 - finalHeight)..<finalHeight {
        var dx0 = 1 - finalWidth
        while dx0 < finalWidth {
          let shift = (columnTables.rowOrigin + dy) * extended + columnTables.columnOrigin + dx0
          let data = ColumnLayout(
            base: dataBase + shift, channelStride: planeSize, rowStride: extended, elementStride: 1,
            rowShift: 0)
          let factors = ColumnLayout(
            base: factorBase + shift, channelStride: planeSize, rowStride: extended,
            elementStride: 1, rowShift: 0)
          let mask = OffsetMask(dy: dy, dx0: dx0)
          FieldOperations.inputCovariance(
            into: workspace.covariance, tangent: workspace.tangent, rowImage: rowImage,
            columns: data,
            program: program)
          FieldOperations.run(
            program, workspace: workspace, rowFactors: rowFactorBase, columnFactors: factors,
            mask: mask)
          mask.clear(
            workspace.covariance, height: finalHeight, width: finalWidth, stride: program.width)
          mask.clear(
            workspace.tangent, height: finalHeight, width: finalWidth, stride: program.width)
          let (sumK, sumT) = FieldOperations.sums(
            covariance: workspace.covariance, tangent: workspace.tangent, program: program)
          for lane in 0..<laneCount {
            totalK += sumK[lane]
            totalT += sumT[lane]
          }
          dx0 += laneCount
        }
      }
    }
    let pairs = Double(program.finalPixelCount * program.finalPixelCount)
    let nngp = program.readoutBiasVariance + program.readoutWeightVariance * (totalK / pairs)
    return (nngp, nngp + program.readoutWeightVariance * (totalT / pairs))
  }
}
