import Symmetries

extension Architecture {
  /// This architecture as a program of the fast `KernelEngine`, or nil when the engine does not
  /// run it (`engineSupport` says why).
  public var kernelProgram: KernelProgram? { try? engineSupport.get() }

  /// This architecture as a program of the fast `KernelEngine`, or why the engine does not run
  /// it: each layer lowers itself (`LayerKind.lower`), and a kind without a lowering is named.
  /// The engine does not run a locally connected layer under global pooling or with strides or
  /// pooling, circular and zero or valid padding mixed under global pooling (or between two
  /// strides or poolings), or dense layers between the reduction and the readout; every padding
  /// maps to the engine's own (circular, zero = `same`, `valid`).
  public var engineSupport: Result<KernelProgram, EngineUnsupported> {
    var program = EngineLowering()
    for (index, layer) in layers.enumerated() {
      if let unsupported = layer.kind.lower(into: &program, isLast: index == layers.count - 1) {
        return .failure(unsupported)
      }
    }
    return program.finish()
  }
}

/// The engine's program as the layers append to it (`LayerKind.lower`), checked as a whole by
/// `finish`.
struct EngineLowering {
  /// How the engine's input covariance is formed; nil before the first layer decides.
  var input: KernelProgram.Input?
  /// The affine and activation steps so far.
  private(set) var steps: [KernelProgram.Step] = []
  /// The reduction of the pixel grid, once a layer made it.
  var reduction: Reduction?
  /// Whether a locally connected layer was lowered (to a convolution step).
  var sawLocal = false
  private var readout: (weightStd: Double, biasStd: Double)?

  /// How the grid becomes the readout's vector.
  enum Reduction {
    case flatten
    case pool
  }

  /// Appends a step on the grid (or on the dense input); refuses one after the reduction.
  mutating func append(_ step: KernelProgram.Step) -> EngineUnsupported? {
    if input == nil { input = .spatial }
    guard input == .dense || reduction == nil else {
      return EngineUnsupported("a dense layer between the reduction and the readout")
    }
    steps.append(step)
    return nil
  }

  /// The final dense layer.
  mutating func setReadout(weightStd: Double, biasStd: Double) -> EngineUnsupported? {
    readout = (weightStd, biasStd)
    return nil
  }

  /// The program, or why the engine does not run it.
  func finish() -> Result<KernelProgram, EngineUnsupported> {
    guard let readout, let input else {
      return .failure(EngineUnsupported("a dense layer between the reduction and the readout"))
    }
    let candidate = KernelProgram(
      input: input, steps: steps,
      readout: .flatten(weightStd: readout.weightStd, biasStd: readout.biasStd))
    if StagedProgram.isStaged(candidate) {
      return finishStaged(candidate, readout: readout)
    }
    switch (input, reduction) {
    case (.dense, nil), (.spatial, .flatten?):
      return .success(
        KernelProgram(
          input: input, steps: steps,
          readout: .flatten(weightStd: readout.weightStd, biasStd: readout.biasStd)))
    case (.spatial, .pool?):
      if sawLocal {
        return .failure(EngineUnsupported("a locally connected layer under global average pooling"))
      }
      if mixesBorders {
        return .failure(
          EngineUnsupported(
            "circular and zero or valid padded layers mixed under global average pooling"))
      }
      return .success(
        KernelProgram(
          input: input, steps: steps,
          readout: .globalAveragePool(weightStd: readout.weightStd, biasStd: readout.biasStd)))
    default:
      return .failure(EngineUnsupported("no flatten or pooling before the readout"))
    }
  }

  /// A program with strided or pooling steps (`StagedProgram`): no locally connected layer
  /// (pair tensors need every pixel pair, where it is not a convolution), and no stage mixing
  /// circular with zero or valid padding.
  private func finishStaged(
    _ candidate: KernelProgram, readout: (weightStd: Double, biasStd: Double)
  ) -> Result<KernelProgram, EngineUnsupported> {
    if sawLocal {
      return .failure(EngineUnsupported("a locally connected layer with strides or pooling"))
    }
    if let reason = StagedProgram.unsupportedReason(candidate) {
      return .failure(EngineUnsupported(reason))
    }
    var program = candidate
    switch reduction {
    case .flatten?:
      return .success(program)
    case .pool?:
      program.readout = .globalAveragePool(weightStd: readout.weightStd, biasStd: readout.biasStd)
      return .success(program)
    case nil:
      return .failure(EngineUnsupported("no flatten or pooling before the readout"))
    }
  }

  /// Whether the steps hold both circular and zero or valid padded filters: a pooled readout
  /// then needs periodic and bounded offsets at once, which the engine does not run.
  private var mixesBorders: Bool {
    var circular = false
    var bounded = false
    for case .affine(_, _, let padding, _, _) in steps {
      if padding == .circular { circular = true } else { bounded = true }
    }
    return circular && bounded
  }
}

extension Padding {
  /// The engine's padding with the same conventions.
  var engine: KernelProgram.Padding {
    switch self {
    case .circular: return .circular
    case .same: return .same
    case .valid: return .valid
    }
  }
}

/// Why the fast engine does not run an architecture (the reference path then does).
public struct EngineUnsupported: Error, Sendable, Hashable, CustomStringConvertible {
  /// What in the architecture the engine does not run.
  public let reason: String
  init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}
