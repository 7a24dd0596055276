import Symmetries

/// A program with strided or pooling steps, bound to one image shape: stages of stride-1 steps
/// (each a `CompiledProgram` on its own grid, run per pixel offset as usual) separated by
/// resamplings on whole pixel-pair tensors (`PairResampling`).
///
/// A stride or a pooling window does not keep pixel offsets (output offset d reads input
/// offsets s d + e for every window offset e), so the offset fields cannot pass through it;
/// but a field over (p, offset) is only a relabelling of the pair tensor S(p, q), so each
/// stage scatters its fields into the full tensor of its output grid, the resampling maps that
/// tensor to the next grid's, and the next stage gathers its offset fields from it. Within a
/// stage the fields wrap (every filter of the stage circular, or none) or use bounded offsets
/// with `OffsetMask` (every filter zero or valid padded), as a pooled readout does.
///
/// - Complexity: per pair, the stages' pooled-offset cost on their own grids plus O(P^2 k^2)
///   per resampling (P cells of its input grid); memory 4 tensors of the largest grid's P^2
///   entries per thread.
struct StagedProgram: Sendable {
  /// The stages, input to readout; stage 0 reads the images, every later one a pair tensor.
  let stages: [CompiledProgram]
  /// `resamplings[k]` maps stage k's output tensor to stage k + 1's input grid.
  let resamplings: [PairResampling]
  /// Index tables of every stage's filters (one table, so one workspace serves all stages).
  let taps: [Int]
  /// Readout W^2 and b^2, and whether it averages all pixel pairs (GAP) or the diagonal.
  let readoutWeightVariance: Double
  let readoutBiasVariance: Double
  let pools: Bool

  /// Whether `program` has a strided or pooling step (and so needs stages).
  static func isStaged(_ program: KernelProgram) -> Bool {
    program.steps.contains { step in
      switch step {
      case .stridedAffine, .pool: return true
      case .affine, .activation: return false
      }
    }
  }

  /// Why the engine cannot stage `program` whatever the image shape, or nil: dense input, or a
  /// stage mixing circular with zero or valid padded filters (its offsets would have to wrap
  /// and not wrap at once).
  static func unsupportedReason(_ program: KernelProgram) -> String? {
    guard program.input == .spatial else { return "strided or pooling steps on dense input" }
    var circular = false
    var bounded = false
    for step in program.steps {
      switch step {
      case .affine(_, _, let padding, _, _):
        if padding == .circular { circular = true } else { bounded = true }
        if circular && bounded {
          return
            "circular and zero or valid padded convolutions mixed between two strides or poolings"
        }
      case .stridedAffine, .pool:
        circular = false
        bounded = false
      case .activation:
        break
      }
    }
    return nil
  }

  /// Splits `program` at its strided and pooling steps on images of `shape`.
  init(_ program: KernelProgram, shape: ImageShape) throws(KernelEngineError) {
    try KernelEngine.validate(program)
    if let reason = Self.unsupportedReason(program) { throw .unsupported(reason) }
    var stages: [CompiledProgram] = []
    var resamplings: [PairResampling] = []
    var taps: [Int] = []
    var height = shape.height
    var width = shape.width
    var channels = shape.channels
    var pending: [KernelProgram.Step] = []
    var firstIndex = 0
    func close(at index: Int) throws(KernelEngineError) -> CompiledProgram {
      let stage = try CompiledProgram(
        KernelProgram(
          input: .spatial, steps: pending, readout: .globalAveragePool(weightStd: 1, biasStd: 0)),
        height: height, width: width, channels: channels, taps: taps, firstStep: firstIndex)
      taps = stage.taps
      stages.append(stage)
      pending = []
      firstIndex = index + 1
      return stage
    }
    for (index, step) in program.steps.enumerated() {
      switch step {
      case .affine, .activation:
        pending.append(step)
      case .stridedAffine, .pool:
        let stage = try close(at: index)
        let resampling = try PairResampling(
          step, step: index, height: stage.finalHeight, width: stage.finalWidth)
        resamplings.append(resampling)
        height = resampling.outputHeight
        width = resampling.outputWidth
        channels = 0
      }
    }
    _ = try close(at: program.steps.count)
    self.stages = stages
    self.resamplings = resamplings
    self.taps = taps
    switch program.readout {
    case .flatten(let weightStd, let biasStd):
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = false
    case .globalAveragePool(let weightStd, let biasStd):
      readoutWeightVariance = weightStd * weightStd
      readoutBiasVariance = biasStd * biasStd
      pools = true
    }
  }

  /// The most cells any pair tensor of the program holds (a stage's input or output grid).
  var largestCells: Int {
    stages.map { $0.pixelCount }.max() ?? 1
  }

  /// The most lane-field entries any stage needs.
  var largestField: Int { largestCells }
}
