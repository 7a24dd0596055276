import Symmetries

/// One kind of layer, carrying everything about it: its syntax, its shape, its finite-width pass,
/// its infinite-width kernel recursion, its symmetry rule and (optionally) its lowering to the
/// fast engine. A new kind is one file conforming to this protocol plus one line in
/// `Layer.catalogue`; parsing, validation, kernels, finite networks, predicted invariances and
/// `--help` then pick it up.
///
/// The mathematics every kind states (NTK parameterisation, as neural-tangents' `stax`):
///
/// - Shape: the features are a pixel grid (H x W cells of C channels) or a vector (one cell);
///   `validate` says which it accepts and what it outputs, `outputGrid` the grid it outputs.
/// - Kernel (`kernelStep`): writing S and T for the NNGP and NTK of two images x, x' over the
///   pixel pairs (p, q) of the current grid, the layer maps (S, T) to (S', T'). A recursion may
///   read each image's own variances S_xx(p, p) at its input (`KernelStep.apply` asks the
///   cursor); the reference path records them on the image's pair with itself.
/// - Finite (`finiteStep`): z = layer(x; theta) on a chunk of images with theta i.i.d. N(0, 1),
///   and its adjoint (dL/dx and dL/dtheta from dL/dz). As the width grows, the empirical NNGP and
///   NTK of the finite network converge to the kernel recursion.
/// - Symmetry (`symmetryRule`): how an action g that still acts on the layer's input (a pixel
///   map with a channel map, an orthogonal map of the flattened image, a map of a vector's
///   coordinates) acts on its output, or that the layer breaks the invariance and why; for the
///   kernels, for one image moved against the other (functional), and for the transport of g
///   into a finite network's weights.
/// - Engine (`lower`): the fast `KernelEngine` runs a kind only when it appends itself to the
///   program; the default refuses with the kind's name, so a new kind runs on the reference
///   path until it is lowered, and `Architecture.kernelPath` says so.
protocol LayerKind: Sendable, Hashable, CustomStringConvertible {
  /// The names this kind answers to in the layer-list syntax (lower case).
  static var names: [String] { get }
  /// The kind's lines in the syntax help (`Architecture.layerListSyntax`).
  static var syntax: [String] { get }
  /// The layer `name(arguments)`; every argument it does not take is an error.
  static func parse(_ name: String, _ arguments: inout LayerArguments) throws(ArchitectureError)
    -> Self

  /// The layer in the layer-list syntax with every argument explicit: parsing it gives it back.
  var description: String { get }
  /// The name and geometry without standard deviations, for reasons.
  var shortName: String { get }

  /// The stage of the features after this layer at 1-based `position`, or why it cannot follow
  /// `stage`; also checks the layer's own numbers.
  func validate(after stage: FeatureStage, position: Int) throws(ArchitectureError) -> FeatureStage
  /// Whether the layer must be the last one (the readout).
  var isReadout: Bool { get }
  /// Whether the layer may end an architecture (a readout, or a dense layer).
  var canEndNetwork: Bool { get }
  /// Whether the kernel recursion needs every pixel pair (p, q) of the grids before it, not
  /// only the diagonal (p, p).
  var needsAllPixelPairs: Bool { get }
  /// Whether the layer has weights, whose output width is the network's width (or its outputs,
  /// for the last such layer).
  var hasWeights: Bool { get }

  /// The grid this layer outputs from `grid` (1 x 1 for a vector), or a typed error when it does
  /// not fit; validation on a shape happens here once (`Architecture.grids(on:)`).
  func outputGrid(of grid: Grid, position: Int) throws(KernelError) -> Grid
  /// The reference recursion on `grid` (which `outputGrid` accepted).
  func kernelStep(on grid: Grid) -> any KernelStep
  /// The finite pass on `input` features, `channels` output channels for a layer with weights,
  /// parameters starting at `offset`.
  func finiteStep(on input: FiniteShape, channels: Int, offset: Int) -> FiniteStep
  /// What the layer at `position`, reading `grid`, does to the symmetry `state` of its input.
  func symmetryRule(_ state: SymmetryState, question: SymmetryQuestion, grid: Grid, position: Int)
    -> SymmetryState
  /// Appends the layer to the engine's program, or says why the engine does not run it.
  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported?
  /// Whether the layer's output is centred given that its input is (`inputCentred`; see
  /// Centring.swift), or why the layer at `position` cannot read its input.
  func outputCentred(inputCentred: Bool, position: Int) throws(ArchitectureError) -> Bool
  /// Whether the arguments are a layer list taken whole (`LayerArguments.takeText`), not values.
  static var takesLayerList: Bool { get }
}

extension LayerKind {
  static var takesLayerList: Bool { false }
  var isReadout: Bool { false }
  var canEndNetwork: Bool { isReadout }
  var needsAllPixelPairs: Bool { false }
  var hasWeights: Bool { false }

  func lower(into program: inout EngineLowering, isLast: Bool) -> EngineUnsupported? {
    EngineUnsupported(shortName)
  }

  /// A verdict that the layer at `position` breaks the symmetry, and why.
  func broken(at position: Int, _ why: String) -> SymmetryState {
    .broken(.broken(at: position, shortName, why))
  }

  /// Whether `other` is this very layer.
  func isEqual(to other: any LayerKind) -> Bool {
    guard let other = other as? Self else { return false }
    return self == other
  }
}

/// What the features are between two layers.
enum FeatureStage: Sendable, Hashable {
  /// A pixel grid: only spatial layers, activations and reductions apply.
  case grid
  /// A vector (after flatten or pooling): dense layers, activations and the readout apply.
  case vector
}

/// The pixel grid a layer reads (1 x 1 for a vector).
struct Grid: Sendable, Hashable {
  var height: Int
  var width: Int

  /// The one cell of a vector.
  static let vector = Grid(height: 1, width: 1)

  /// The number of cells.
  var cells: Int { height * width }
}

/// The features a finite layer reads: a grid of cells with `channels` values each.
struct FiniteShape: Sendable, Hashable {
  var height: Int
  var width: Int
  var channels: Int

  var grid: Grid { Grid(height: height, width: width) }
  var cells: Int { height * width }
}
