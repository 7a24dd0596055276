/// phi(x) = x: a layer that changes nothing, so that a linear network, or a block without a
/// nonlinearity, can be written (see `PointwiseActivation`).
///
/// Dual: K = s, Kdot = 1.
///
/// Symmetry: the identity commutes with every map of its input, including channel rotations,
/// per-pixel rotations and orthogonal maps of the flattened image, so it passes every state on
/// unchanged (unlike the other activations, which commute with coordinate permutations only).
struct IdentityActivation: PointwiseActivation {
  static let names = ["identity"]
  static let syntax = ["identity                      x itself (a linear layer stack)"]

  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> IdentityActivation
  {
    IdentityActivation()
  }

  var description: String { "identity" }
  var shortName: String { "identity" }

  func value(_ x: Double) -> Double { x }

  func derivative(_ x: Double) -> Double { 1 }

  func dual(covariance s: Double, variance1 v1: Double, variance2 v2: Double)
    -> (value: Double, derivative: Double)
  {
    (s, 1)
  }

  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  {
    state
  }
}
