/// The per-offset-group (or per-image-group) recursion on lane fields of P covariances: the
/// input covariance, the program's operations, and the readout sums.
///
/// Row-side quantities are scalars broadcast to every lane; column-side quantities are lane
/// vectors read through a `ColumnLayout`. Every lane follows the same arithmetic in the same
/// order, so an entry's bits do not depend on its lane, its block or the thread.
enum FieldOperations {
  /// S0(p) = (sum_c x_p,c x'_{q(p)},c) / C into `covariance`.
  /// - Complexity: O(P C) lane operations.
  @inline(__always)
  static func inputCovariance(
    into covariance: UnsafeMutablePointer<Lanes>, rowImage: UnsafePointer<Double>,
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
      }
    }
  }

  /// Runs the program's operations on the fields in place; returns whether T is nonzero.
  ///
  /// `rowFactors` holds (u, v) per activation and pixel for the row image (activation-major,
  /// u block then v block, each `activationCount * P`); `columnFactors` reads the column side's
  /// u at channel a and v at channel activationCount + a.
  @inline(__always)
  static func run(
    _ program: CompiledProgram, covariance: UnsafeMutablePointer<Lanes>,
    tangent: UnsafeMutablePointer<Lanes>, scratch: UnsafeMutablePointer<Lanes>,
    rowFactors: UnsafePointer<Double>, columnFactors: ColumnLayout
  ) -> Bool {
    var hasTangent = false
    let pixels = program.pixelCount
    for operation in program.operations {
      switch operation {
      case .affine(let filter):
        filter.apply(covariance: covariance, tangent: tangent, hasTangent: hasTangent, scratch: scratch)
        hasTangent = true
      case .activation(let activation, let index):
        let rowU = rowFactors + index * pixels
        let rowV = rowFactors + (program.activationCount + index) * pixels
        activate(
          activation, covariance: covariance, tangent: tangent, hasTangent: hasTangent,
          rowU: rowU, rowV: rowV, columnFactors: columnFactors,
          uChannel: index, vChannel: program.activationCount + index, program: program)
      }
    }
    return hasTangent
  }

  @inline(__always)
  private static func activate(
    _ activation: KernelProgram.Activation, covariance: UnsafeMutablePointer<Lanes>,
    tangent: UnsafeMutablePointer<Lanes>, hasTangent: Bool,
    rowU: UnsafePointer<Double>, rowV: UnsafePointer<Double>, columnFactors: ColumnLayout,
    uChannel: Int, vChannel: Int, program: CompiledProgram
  ) {
    let height = program.height
    let width = program.width
    let step = columnFactors.elementStride
    for y in 0..<height {
      let columnU = columnFactors.row(y, channel: uChannel, height: height)
      let columnV = columnFactors.row(y, channel: vChannel, height: height)
      for x in 0..<width {
        let p = y * width + x
        let uu = Lanes(repeating: rowU[p]) * (columnU + x * step).loadLanes()
        let vv = Lanes(repeating: rowV[p]) * (columnV + x * step).loadLanes()
        let (k, kdot) = activation.kernels(covariance[p], uu: uu, vv: vv)
        covariance[p] = k
        if hasTangent { tangent[p] = kdot * tangent[p] }
      }
    }
  }

  /// (sum_p K(p), sum_p T'(p)) lane-wise; T' = 0 when `hasTangent` is false.
  @inline(__always)
  static func sums(
    covariance: UnsafeMutablePointer<Lanes>, tangent: UnsafeMutablePointer<Lanes>,
    hasTangent: Bool, pixels: Int
  ) -> (Lanes, Lanes) {
    var sumK = Lanes(repeating: 0)
    var sumT = Lanes(repeating: 0)
    for p in 0..<pixels {
      sumK += covariance[p]
      if hasTangent { sumT += tangent[p] }
    }
    return (sumK, sumT)
  }
}
