/// Which layers leave their features centred, and which need centred features.
///
/// Features are *centred* when, given the input of the last layer with fresh weights (conv,
/// local, dense), their law is symmetric under flipping the sign of those weights, so their
/// conditional mean is zero: an affine layer makes them so; linear maps (flatten, pooling),
/// odd activations (identity, erf, sign, sin without phase) and normalisations keep it; ReLU-like
/// and even activations lose it. The raw input is not centred.
///
/// Two kernel recursions rely on it (`LayerKind.outputCentred`): a layer normalisation, whose
/// infinite-width limit drops the channel mean (it vanishes only for centred features), and a
/// residual block x + f(x), whose kernel is the sum of the two branches' kernels only when
/// E[f(x') | x, x'] = 0, i.e. when the block's output is centred given its input (neural-tangents'
/// `FanInSum` assumes this: "the residual branch ends in a fresh Gaussian layer").
extension LayerKind {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool { false }
}

extension AffineLayer {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool { true }
}

extension Readout {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool { true }
}

extension Flatten {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    inputCentred
  }
}

extension GlobalAveragePooling {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    inputCentred
  }
}

extension Activation {
  /// erf is odd; ReLU is not.
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    self == .erf && inputCentred
  }
}

extension IdentityActivation {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    inputCentred
  }
}

extension SignActivation {
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    inputCentred
  }
}

extension SineActivation {
  /// a sin(b x) is odd; a phase c breaks it.
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    c == 0 && inputCentred
  }
}

extension PiecewiseLinearActivation {
  /// Odd only when both slopes agree (a linear map).
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    a == b && inputCentred
  }
}

extension WindowPooling {
  /// A window sum or average is linear.
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool {
    inputCentred
  }
}
