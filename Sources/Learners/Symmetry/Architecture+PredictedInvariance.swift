import Symmetries

extension Architecture {
  /// The predicted algorithmic and functional verdicts of this architecture under `action` on
  /// images of `shape`, for the kernels or a finite network trained in `regime`, each with
  /// its reason: the first layer that breaks the symmetry, or "kept by every layer".
  ///
  /// The prediction composes the layers' symmetry rules (`LayerKind.symmetryRule`) from the
  /// action's declared structure (`GroupAction.structure(on:)`); no architecture or action is
  /// named anywhere in it. For a finite network the algorithmic verdict is whether g lifts to
  /// the parameters by a map the optimiser commutes with (what `FiniteNetwork.transported(by:)`
  /// constructs); the functional verdict is the same rule as the kernels'.
  ///
  /// - Throws: `SymmetryError` when the action cannot act on `shape`,
  ///   `KernelError.filterLargerThanImage` when a `valid` filter leaves no pixel.
  /// - Complexity: O(L H W k^4) for L layers with k x k filters.
  public func predictedInvariance(
    under action: any GroupAction, on shape: ImageShape, regime: LearnerRegime = .kernel
  ) throws -> InvariancePrediction {
    try predictedInvariance(under: action.structure(on: shape), on: shape, regime: regime)
  }

  /// The prediction for an element of `structure` (see `predictedInvariance(under:on:regime:)`).
  public func predictedInvariance(
    under structure: ActionStructure, on shape: ImageShape, regime: LearnerRegime = .kernel
  ) throws(KernelError) -> InvariancePrediction {
    if structure.isIdentity {
      return InvariancePrediction(trivial: true, algorithmic: .trivial, functional: .trivial)
    }
    let algorithmic: SymmetryQuestion
    switch regime {
    case .kernel: algorithmic = .kernelAlgorithmic
    case .gradientDescent: algorithmic = .transport(perCoordinate: false)
    case .adam: algorithmic = .transport(perCoordinate: true)
    }
    return InvariancePrediction(
      trivial: false,
      algorithmic: try verdict(structure, question: algorithmic, shape: shape),
      functional: try verdict(structure, question: .functional, shape: shape))
  }

  /// Walks the layers from the input state of `structure`.
  private func verdict(_ structure: ActionStructure, question: SymmetryQuestion, shape: ImageShape)
    throws(KernelError) -> PredictedVerdict
  {
    var state = SymmetryState(structure, question: question)
    let grids = try grids(on: shape)
    for (index, layer) in layers.enumerated() {
      state = layer.kind.symmetryRule(
        state, question: question, grid: grids[index], position: index + 1)
    }
    switch state {
    case .broken(let verdict): return verdict
    case .vector(.none): return .kept
    case .vector, .pixels, .flattened:
      preconditionFailure("internal: a validated architecture ends in a dense layer on a vector")
    }
  }
}
