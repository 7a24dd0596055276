import Symmetries

/// The arithmetic the engine performs for a kernel computation, counted from its source: the
/// floating-point operations, and apart from them the square roots and divisions, which run on
/// one divide-and-square-root unit per core at a fraction of the multiply-add rate.
///
/// Counts are per lane entry (one pixel of one offset's field, or one pixel of one image pair
/// under a flatten readout) and per step, over the entries the engine actually computes
/// (lanes past the last offset of a group included, since they cost the same), for both
/// matrices of the one-batch form (each unordered pair once). Comparisons, selections and bit
/// operations are not counted. A multiply-add counts as two operations, as peak rates do.
/// Per entry: a k x k circular box filter 2 (k - 1) + 2 for S, the same again for T after
/// the first filter; a ReLU 48 operations and 2 square roots; an Erf 45 operations, 2 square
/// roots and a division; the input covariance 2 C operations and a division; the pooled
/// readout's sums 2.
public struct EngineArithmetic: Sendable, Equatable {
  /// Floating-point operations (additions, multiplications; a fused multiply-add is two).
  public var operations: Double
  /// Square roots (each one lane).
  public var squareRoots: Double
  /// Divisions (each one lane).
  public var divisions: Double
  /// Lane entries through the activations (each an arc-cosine or arc-sine).
  public var activationEntries: Double

  /// Counts of zero.
  public init(
    operations: Double = 0, squareRoots: Double = 0, divisions: Double = 0,
    activationEntries: Double = 0
  ) {
    self.operations = operations
    self.squareRoots = squareRoots
    self.divisions = divisions
    self.activationEntries = activationEntries
  }
}

extension KernelEngine {
  /// The arithmetic of `kernels(x)` for a batch of `count` images of `shape` (see
  /// `EngineArithmetic`), or nil for a program with strided or pooling steps, whose stages and
  /// resamplings it does not count.
  public func arithmetic(images count: Int, shape: ImageShape) throws(KernelEngineError)
    -> EngineArithmetic?
  {
    if StagedProgram.isStaged(program) { return nil }
    let compiled = try CompiledProgram(program, shape: shape)
    let pairs = Double(count) * Double(count + 1) / 2
    let pixels = Double(compiled.pixelCount)
    // Lane entries of one field per pair.
    let fieldEntries: Double
    if compiled.pools {
      let groups: Int
      if compiled.periodic {
        groups = compiled.height * ((compiled.width + laneCount - 1) / laneCount)
      } else {
        groups =
          (2 * compiled.finalHeight - 1)
          * ((2 * compiled.finalWidth - 1 + laneCount - 1) / laneCount)
      }
      fieldEntries = Double(groups * laneCount) * pixels
    } else {
      fieldEntries = pixels
    }
    var total = EngineArithmetic()
    let entries = pairs * fieldEntries
    if compiled.isDense {
      total.operations += pairs * 2 * Double(compiled.channels)
    } else {
      total.operations += entries * 2 * Double(compiled.channels)
      total.divisions += entries
    }
    var hasTangent = false
    for operation in compiled.operations {
      switch operation {
      case .affine(let filter), .clippedAffine(let filter):
        let perField = Double(2 * (filter.filterHeight - 1 + filter.filterWidth - 1) + 2)
        total.operations += entries * perField * (hasTangent ? 2 : 1)
        hasTangent = true
      case .activation(let activation, _, let height, let width):
        let activated = pairs * fieldEntries / pixels * Double(height * width)
        total.activationEntries += activated
        switch activation {
        case .relu:
          total.operations += activated * 48
          total.squareRoots += activated * 2
        case .erf:
          total.operations += activated * 45
          total.squareRoots += activated * 2
          total.divisions += activated
        }
      }
    }
    if compiled.pools { total.operations += entries * 2 }
    return total
  }
}
