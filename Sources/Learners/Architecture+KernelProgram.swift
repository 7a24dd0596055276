import Symmetries

extension Architecture {
  /// Whether `steps` hold both circular and zero or valid padded filters: a pooled readout
  /// then needs periodic and bounded offsets at once, which the engine does not run.
  private func mixesBorders(_ steps: [KernelProgram.Step]) -> Bool {
    var circular = false
    var bounded = false
    for case .affine(_, _, let padding, _, _) in steps {
      if padding == .circular { circular = true } else { bounded = true }
    }
    return circular && bounded
  }

  /// This architecture as a program of the fast `KernelEngine`, or nil when the engine does not
  /// run it (`engineSupport` says why).
  public var kernelProgram: KernelProgram? { try? engineSupport.get() }

  /// This architecture as a program of the fast `KernelEngine`, or why the engine does not run
  /// it (a locally connected layer under global pooling, circular and zero or valid padding
  /// mixed under global pooling, dense layers between the reduction and the readout); every
  /// padding maps to the engine's own (circular, zero = `same`, `valid`).
  ///
  /// Convolution and locally connected layers map to the same step: with a flatten readout only
  /// the pixel diagonal matters, where the two kernels coincide (for any padding: the diagonal
  /// recursion reads the same taps).
  public var engineSupport: Result<KernelProgram, EngineUnsupported> {
    func engineActivation(_ activation: Activation) -> KernelProgram.Activation {
      switch activation {
      case .relu: return .relu
      case .erf: return .erf
      }
    }
    func enginePadding(_ padding: Padding) -> KernelProgram.Padding {
      switch padding {
      case .circular: return .circular
      case .same: return .same
      case .valid: return .valid
      }
    }
    var steps: [KernelProgram.Step] = []
    let input: KernelProgram.Input
    var body = layers[...]
    if case .flatten = body.first {
      input = .dense
      body = body.dropFirst()
    } else {
      input = .spatial
    }
    var sawLocal = false
    var reduction: Layer?
    while let layer = body.first, reduction == nil || input == .dense {
      if body.count == 1 { break }  // the readout
      body = body.dropFirst()
      switch layer {
      case .affine(let affine):
        switch (input, affine.sharing) {
        case (.dense, .none):
          steps.append(
            .affine(filterHeight: 1, filterWidth: 1, padding: .circular,
                    weightStd: affine.weightStd, biasStd: affine.biasStd))
        case (.spatial, .everywhere), (.spatial, .perLocation):
          sawLocal = sawLocal || affine.sharing == .perLocation
          steps.append(
            .affine(filterHeight: affine.filterSize, filterWidth: affine.filterSize,
                    padding: enginePadding(affine.padding), weightStd: affine.weightStd,
                    biasStd: affine.biasStd))
        default:
          return .failure(EngineUnsupported("a dense layer between the reduction and the readout"))
        }
      case .activation(let activation):
        steps.append(.activation(engineActivation(activation)))
      case .flatten, .globalAveragePooling:
        guard input == .spatial else {
          return .failure(EngineUnsupported("a reduction after a dense layer"))
        }
        reduction = layer
      case .readout:
        return .failure(EngineUnsupported("a readout before the last layer"))
      }
    }
    let weightStd: Double
    let biasStd: Double
    switch body.first {
    case .readout(let w, let b)?:
      (weightStd, biasStd) = (w, b)
    case .affine(let affine)? where affine.sharing == .none:
      (weightStd, biasStd) = (affine.weightStd, affine.biasStd)
    default:
      return .failure(EngineUnsupported("a dense layer between the reduction and the readout"))
    }
    guard body.count == 1 else {
      return .failure(EngineUnsupported("a dense layer between the reduction and the readout"))
    }
    switch (input, reduction) {
    case (.dense, nil), (.spatial, .flatten?):
      return .success(
        KernelProgram(input: input, steps: steps, readout: .flatten(weightStd: weightStd, biasStd: biasStd)))
    case (.spatial, .globalAveragePooling?):
      if sawLocal {
        return .failure(EngineUnsupported("a locally connected layer under global average pooling"))
      }
      if mixesBorders(steps) {
        return .failure(
          EngineUnsupported("circular and zero or valid padded layers mixed under global average pooling"))
      }
      return .success(
        KernelProgram(
          input: input, steps: steps, readout: .globalAveragePool(weightStd: weightStd, biasStd: biasStd)))
    default:
      return .failure(EngineUnsupported("no flatten or pooling before the readout"))
    }
  }

  /// Throws `filterLargerThanImage` when a `valid` filter does not fit the grid it reads on
  /// images of `shape`: the one shape-dependent check of both kernel paths.
  /// - Complexity: O(number of layers).
  func checkGeometry(_ shape: ImageShape) throws(KernelError) {
    var (height, width) = (shape.height, shape.width)
    for (index, layer) in layers.enumerated() {
      guard case .affine(let affine) = layer, affine.sharing != .none, affine.padding == .valid else {
        continue
      }
      guard affine.filterSize <= height, affine.filterSize <= width else {
        throw .filterLargerThanImage(
          layer: index + 1, filterSize: affine.filterSize, height: height, width: width)
      }
      height -= affine.filterSize - 1
      width -= affine.filterSize - 1
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
