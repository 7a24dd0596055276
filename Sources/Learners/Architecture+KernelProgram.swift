extension Architecture {
  /// This architecture as a program of the fast `KernelEngine`, or nil when the engine does not
  /// run it (zero or valid padding, a locally connected layer under global pooling, dense layers
  /// between the reduction and the readout); `kernels(_:_:)` then uses the reference path.
  ///
  /// Convolution and locally connected layers map to the same step: with a flatten readout only
  /// the pixel diagonal matters, where the two kernels coincide.
  public var kernelProgram: KernelProgram? {
    func engineActivation(_ activation: Activation) -> KernelProgram.Activation {
      switch activation {
      case .relu: return .relu
      case .erf: return .erf
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
          guard affine.padding == .circular else { return nil }
          sawLocal = sawLocal || affine.sharing == .perLocation
          steps.append(
            .affine(filterHeight: affine.filterSize, filterWidth: affine.filterSize,
                    padding: .circular, weightStd: affine.weightStd, biasStd: affine.biasStd))
        default:
          return nil
        }
      case .activation(let activation):
        steps.append(.activation(engineActivation(activation)))
      case .flatten, .globalAveragePooling:
        guard input == .spatial else { return nil }
        reduction = layer
      case .readout:
        return nil
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
      return nil
    }
    guard body.count == 1 else { return nil }
    switch (input, reduction) {
    case (.dense, nil), (.spatial, .flatten?):
      return KernelProgram(input: input, steps: steps, readout: .flatten(weightStd: weightStd, biasStd: biasStd))
    case (.spatial, .globalAveragePooling?) where !sawLocal:
      return KernelProgram(
        input: input, steps: steps, readout: .globalAveragePool(weightStd: weightStd, biasStd: biasStd))
    default:
      return nil
    }
  }
}
