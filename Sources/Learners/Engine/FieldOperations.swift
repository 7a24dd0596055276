/// The per-offset-group (or per-image-group) recursion on lane fields of P covariances: the
/// input covariance, the program's operations, and the readout sums.
///
/// Row-side quantities are scalars broadcast to every lane; column-side quantities are lane
/// vectors read through a `ColumnLayout`. Every lane follows the same arithmetic in the same
/// order, so an entry's bits do not depend on its lane, its block or the thread.
enum FieldOperations {
  /// S0(p) = (sum_c x_p,c x'_{q(p)},c) / C into `covariance`; T0 = 0 into `tangent`.
  /// - Complexity: O(P C) lane operations.
  @inline(__always)
  static func inputCovariance(
    into covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    rowImage: UnsafePointer<Double>,
    columns: ColumnLayout, program: CompiledProgram
  ) {
    let height = program.height
    let width = program.width
    let channels = program.channels
    let divisor = Double(channels)
    for y in 0..<height {
      let rowPixels = rowImage + y * width * channels
      for x in 0..<width {
        var sum = Lanes(repeating: 0)
        for c in 0..<channels {
          let column = columns.row(y, channel: c, height: height) + x * columns.elementStride
          sum += Lanes(repeating: rowPixels[x * channels + c]) * column.loadLanes()
        }
        covariance[y * width + x] = sum / divisor
        tangent[y * width + x] = Lanes(repeating: 0)
      }
    }
  }

  /// Runs the program's operations on the workspace's fields in place (S and T = 0 already
  /// there). The first affine step copies S into T instead of filtering zeros, unless
  /// `hasTangent` says T holds a tangent kernel already (a later stage of a `StagedProgram`).
  ///
  /// `rowFactors` holds (u, v) per activation and pixel for the row image (activation-major,
  /// u block then v block, each `activationCount * P`); `columnFactors` reads the column side's
  /// u at channel a and v at channel activationCount + a. With a `mask` (pooled offsets under
  /// zero or valid padding) the entries whose partner pixel is off the grid are cleared before
  /// each filter reads them.
  @inline(__always)
  static func run(
    _ program: CompiledProgram, workspace: EngineWorkspace,
    rowFactors: UnsafePointer<Double>, columnFactors: ColumnLayout, mask: OffsetMask? = nil,
    hasTangent tangentGiven: Bool = false
  ) {
    var hasTangent = tangentGiven
    let pixels = program.pixelCount
    for operation in program.operations {
      switch operation {
      case .affine(let filter):
        filter.applyCircular(
          covariance: workspace.covariance, tangent: workspace.tangent, hasTangent: hasTangent,
          scratch: workspace.scratch, taps: workspace.taps)
        hasTangent = true
      case .clippedAffine(let filter):
        if let mask {
          mask.clear(
            workspace.covariance, height: filter.inputHeight, width: filter.inputWidth,
            stride: filter.stride)
          if hasTangent {
            mask.clear(
              workspace.tangent, height: filter.inputHeight, width: filter.inputWidth,
              stride: filter.stride)
          }
        }
        filter.applyClipped(
          covariance: workspace.covariance, tangent: workspace.tangent, hasTangent: hasTangent,
          scratch: workspace.scratch, taps: workspace.taps)
        hasTangent = true
      case .activation(let activation, let index, let height, let width):
        let rowU = rowFactors + index * pixels
        let rowV = rowFactors + (program.activationCount + index) * pixels
        // With bounded offsets, rows whose partner row y + dy is off the grid, and pixels
        // whose partner column x + dx is off it in every lane, hold no pair entry: skip their
        // arc-cosines (the mask clears them before anything reads them).
        var rows = 0..<height
        var columns = 0..<width
        if let mask {
          let firstRow = min(height, max(0, -mask.dy))
          rows = firstRow..<max(firstRow, min(height, height - mask.dy))
          let firstColumn = min(width, max(0, -mask.dx0 - (laneCount - 1)))
          columns = firstColumn..<max(firstColumn, min(width, width - mask.dx0))
        }
        activate(
          activation, workspace, rowU: rowU, rowV: rowV, columnFactors: columnFactors,
          uChannel: index, vChannel: program.activationCount + index, program: program,
          rows: rows, columns: columns)
      }
    }
  }

  /// K and T' = Kdot T in place on rows `rows` and columns `columns`, with pair factors
  /// uu = u u', vv = v v' formed per pixel.
  private static func activate(
    _ activation: KernelProgram.Activation, _ workspace: EngineWorkspace,
    rowU: UnsafePointer<Double>, rowV: UnsafePointer<Double>,
    columnFactors: ColumnLayout, uChannel: Int, vChannel: Int, program: CompiledProgram,
    rows: Range<Int>, columns: Range<Int>
  ) {
    // One loop per activation, each in its own small function: inlined into the pair loop
    // (as it once was), the arc-cosine was left as a call taking and returning its lanes
    // through memory and compiled to 128-bit halves; on its own the loop keeps all of it in
    // 256-bit registers.
    switch activation {
    case .relu:
      activateReLU(
        workspace, rowU: rowU, rowV: rowV, columnFactors: columnFactors, uChannel: uChannel,
        vChannel: vChannel, program: program, rows: rows, columns: columns)
    case .erf:
      activateErf(
        workspace, rowU: rowU, rowV: rowV, columnFactors: columnFactors, uChannel: uChannel,
        vChannel: vChannel, program: program, rows: rows, columns: columns)
    }
  }

  @inline(never)
  private static func activateReLU(
    _ workspace: EngineWorkspace, rowU: UnsafePointer<Double>, rowV: UnsafePointer<Double>,
    columnFactors: ColumnLayout, uChannel: Int, vChannel: Int, program: CompiledProgram,
    rows: Range<Int>, columns: Range<Int>
  ) {
    forEachPixel(
      workspace, rowU: rowU, rowV: rowV, columnFactors: columnFactors, uChannel: uChannel,
      vChannel: vChannel, program: program, rows: rows, columns: columns, reluKernels)
  }

  @inline(never)
  private static func activateErf(
    _ workspace: EngineWorkspace, rowU: UnsafePointer<Double>, rowV: UnsafePointer<Double>,
    columnFactors: ColumnLayout, uChannel: Int, vChannel: Int, program: CompiledProgram,
    rows: Range<Int>, columns: Range<Int>
  ) {
    forEachPixel(
      workspace, rowU: rowU, rowV: rowV, columnFactors: columnFactors, uChannel: uChannel,
      vChannel: vChannel, program: program, rows: rows, columns: columns, erfKernels)
  }

  @inline(__always)
  private static func forEachPixel(
    _ workspace: EngineWorkspace, rowU: UnsafePointer<Double>, rowV: UnsafePointer<Double>,
    columnFactors: ColumnLayout, uChannel: Int, vChannel: Int, program: CompiledProgram,
    rows: Range<Int>, columns: Range<Int>,
    _ kernels: (Lanes, Lanes, Lanes) -> (k: Lanes, kdot: Lanes)
  ) {
    let stride = program.width
    let step = columnFactors.elementStride
    let covariance = workspace.covariance
    let tangent = workspace.tangent
    for y in rows {
      // Rows wrap modulo the input height: only periodic layouts shift rows, and their grid
      // is the input's.
      let columnU = columnFactors.row(y, channel: uChannel, height: program.height)
      let columnV = columnFactors.row(y, channel: vChannel, height: program.height)
      for x in columns {
        let p = y * stride + x
        let uu = Lanes(repeating: rowU[p]) * (columnU + x * step).loadLanes()
        let vv = Lanes(repeating: rowV[p]) * (columnV + x * step).loadLanes()
        let (k, kdot) = kernels(covariance[p], uu, vv)
        covariance[p] = k
        tangent[p] = kdot * tangent[p]
      }
    }
  }

  /// (sum_p K(p), sum_p T'(p)) lane-wise over the readout's grid, in row-major order.
  @inline(__always)
  static func sums(
    covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    program: CompiledProgram
  ) -> (Lanes, Lanes) {
    var sumK = Lanes(repeating: 0)
    var sumT = Lanes(repeating: 0)
    if program.finalWidth == program.width {
      // Whole rows (no valid shrink across): one flat run, the same order as the rows.
      for p in 0..<program.finalPixelCount {
        sumK += covariance[p]
        sumT += tangent[p]
      }
      return (sumK, sumT)
    }
    for y in 0..<program.finalHeight {
      let row = y * program.width
      for x in 0..<program.finalWidth {
        sumK += covariance[row + x]
        sumT += tangent[row + x]
      }
    }
    return (sumK, sumT)
  }
}
