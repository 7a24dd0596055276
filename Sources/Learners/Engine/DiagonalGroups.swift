/// Pairs under a flatten readout (CNN-VEC, LCN, FCN): only the pixel diagonal, lanes over 8
/// column images.
///
/// At offset 0 the recursion never leaves offset 0, so a pair costs O(P) per step, whatever the
/// padding: offset 0 always has its partner pixel on the grid, so no entry needs clearing. One row
/// image (broadcast) meets 8 column images (one per lane, read from the transposed column
/// tables); for dense input the covariance comes from the Gram block instead of the pixels.
/// - Complexity: O(P (C + steps * (filter + 1))) per pair; memory O(P) per thread.
enum DiagonalGroups {
  /// Kernels of image `row` with column images `firstColumn ..< firstColumn + 8` (indices into
  /// `columnTables`' range; lanes past its end are padding), handed to `store(nngp, ntk, valid)`
  /// as lane vectors of which the first `valid` are entries.
  ///
  /// Why whole vectors in and out: a lane-by-lane gather of the Gram row and scatter of the
  /// results goes through the stack (a store-forwarding stall per lane), which measured as the
  /// hottest part of the FCN workload; the lane arithmetic is the same, so are the bits.
  @inline(__always)
  static func kernels(
    row: Int, firstColumn: Int, rowTables: BatchTables, rowValues: UnsafePointer<Double>,
    rowFactors: UnsafePointer<Double>, columnTables: BatchTables,
    columnData: UnsafePointer<Double>?, columnFactors: UnsafePointer<Double>,
    gramRow: UnsafePointer<Double>?, workspace: EngineWorkspace,
    store: (_ nngp: Lanes, _ ntk: Lanes, _ valid: Int) -> Void
  ) {
    let program = rowTables.program
    let pixels = program.pixelCount
    let stride = columnTables.columnStride
    let lane0 = firstColumn - columnTables.range.lowerBound
    let valid = min(laneCount, columnTables.range.upperBound - firstColumn)
    if let gramRow {
      var covariance = Lanes(repeating: 0)
      if valid == laneCount {
        covariance = gramRow.loadLanes()
      } else {
        for lane in 0..<valid { covariance[lane] = gramRow[lane] }
      }
      workspace.covariance[0] = covariance / Double(program.channels)
      workspace.tangent[0] = Lanes(repeating: 0)
    } else if let columnData {
      let data = ColumnLayout(
        base: columnData + lane0, channelStride: stride,
        rowStride: program.width * program.channels * stride,
        elementStride: program.channels * stride, rowShift: 0)
      FieldOperations.inputCovariance(
        into: workspace.covariance, tangent: workspace.tangent,
        rowImage: rowValues + row * pixels * program.channels,
        columns: data, program: program)
    }
    let factors = ColumnLayout(
      base: columnFactors + lane0, channelStride: pixels * stride,
      rowStride: program.width * stride, elementStride: stride, rowShift: 0)
    FieldOperations.run(
      program, workspace: workspace, rowFactors: rowFactors + rowTables.rowFactorOffset(row),
      columnFactors: factors)
    let (sumK, sumT) = FieldOperations.sums(
      covariance: workspace.covariance, tangent: workspace.tangent, program: program)
    let count = Lanes(repeating: Double(program.finalPixelCount))
    let nngp = program.readoutBiasVariance + program.readoutWeightVariance * (sumK / count)
    store(nngp, nngp + program.readoutWeightVariance * (sumT / count), valid)
  }
}
