/// Pairs under a global-average-pooling readout: every pixel offset, lanes over offsets.
///
/// A convolution keeps the offset q - p fixed, so each group of 8 offsets (dy, dx0 ..< dx0 + 8)
/// runs the whole depth recursion on its own P-lane fields, which stay in L1 through all
/// layers; the readout sums K and T' over p and over the offsets. The first image's pixels are
/// broadcast, the second's are read from its periodically extended planes.
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
    let height = program.height
    let width = program.width
    let pixels = program.pixelCount
    let extended = columnTables.columnStride
    let planeSize = height * extended
    let columnOffset = column - columnTables.range.lowerBound
    let rowImage = rowValues + row * pixels * program.channels
    let rowFactorBase = rowFactors + rowTables.rowFactorOffset(row)
    var totalK = 0.0
    var totalT = 0.0
    for dy in 0..<height {
      var dx0 = 0
      while dx0 < width {
        let data = ColumnLayout(
          base: columnData + columnOffset * program.channels * planeSize + dx0,
          channelStride: planeSize, rowStride: extended, elementStride: 1, rowShift: dy)
        let factors = ColumnLayout(
          base: columnFactors + columnOffset * rowTables.factorCount * planeSize + dx0,
          channelStride: planeSize, rowStride: extended, elementStride: 1, rowShift: dy)
        FieldOperations.inputCovariance(
          into: workspace.covariance, tangent: workspace.tangent, rowImage: rowImage, columns: data, program: program)
        FieldOperations.run(
          program, workspace: workspace, rowFactors: rowFactorBase, columnFactors: factors)
        let (sumK, sumT) = FieldOperations.sums(
          covariance: workspace.covariance, tangent: workspace.tangent, pixels: pixels)
        // Lanes past the last offset repeat offsets already counted: drop them.
        for lane in 0..<min(laneCount, width - dx0) {
          totalK += sumK[lane]
          totalT += sumT[lane]
        }
        dx0 += laneCount
      }
    }
    let pairs = Double(pixels * pixels)
    let nngp = program.readoutBiasVariance + program.readoutWeightVariance * (totalK / pairs)
    return (nngp, nngp + program.readoutWeightVariance * (totalT / pairs))
  }
}
