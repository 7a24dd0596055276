import Foundation
import Learners
import Symmetries

/// One row of the invariance table: a named kernel. When the kernel is an `Architecture`
/// (a named one or a user's layer list), every cell also gets the verdicts its layers predict
/// (`Architecture.predictedInvariance`); any other kernel is measured without a prediction.
public struct InvarianceRow: Sendable {
  /// The row's label, e.g. `CNN-GAP`.
  public var name: String
  /// The activation's name, printed after the label.
  public var activation: String
  /// The kernel measured.
  public var kernel: any KernelFunction

  /// The row `name activation` measuring `kernel`.
  public init(name: String, activation: String, kernel: any KernelFunction) {
    self.name = name
    self.activation = activation
    self.kernel = kernel
  }

  /// The row of a named architecture.
  public init(
    _ architecture: NamedArchitecture, activation: Activation, depth: Int,
    filterSize: Int = 3, padding: Padding = .circular
  ) throws {
    self.init(
      name: architecture.rawValue, activation: activation.rawValue,
      kernel: try architecture.architecture(
        depth: depth, activation: activation, filterSize: filterSize, padding: padding))
  }

  /// The layers' predicted verdicts under `action` on `shape`, nil for a kernel that is not an
  /// `Architecture`.
  func prediction(under action: any GroupAction, on shape: ImageShape) throws
    -> InvariancePrediction?
  {
    guard let architecture = kernel as? Architecture else { return nil }
    return try architecture.predictedInvariance(under: action, on: shape)
  }
}

/// The invariance table: rows (learners) x actions x kernels, each cell measured.
public struct InvarianceTable: Sendable {
  /// Every cell, row by row, then action by action, NNGP before NTK.
  public var cells: [InvarianceCell]
  /// The action names, in column order.
  public var actions: [String]
  /// The shape of the probe images.
  public var shape: ImageShape

  /// A table of `cells` over the columns `actions` on images of `shape`.
  public init(cells: [InvarianceCell], actions: [String], shape: ImageShape) {
    self.cells = cells
    self.actions = actions
    self.shape = shape
  }

  /// Measures every row under one element of every family, drawn per family from `seed` (the
  /// same element for every row, so rows compare like with like).
  ///
  /// - Parameter rows: the learners, one row each.
  /// - Parameter families: the actions, one column each.
  /// - Parameter probe: the probe, holding the train and test images.
  /// - Parameter seed: the seed of the elements (family i draws from `seed + i`).
  /// - Parameter parameters: the parameters of the elements (shift, patch side, turns).
  /// - Parameter thresholds: the deviations that make a verdict.
  /// - Parameter progress: called with a line per row, for long runs.
  /// - Complexity: 3 kernel evaluations of (n + m) x n pairs per row and action.
  public static func measure(
    rows: [InvarianceRow], families: [any ActionFamily], probe: KernelInvarianceProbe,
    seed: UInt64 = 0, parameters: ActionParameters = ActionParameters(),
    thresholds: VerdictThresholds = .kernel,
    progress: (String) -> Void = { _ in }
  ) throws -> InvarianceTable {
    let shape = probe.train.shape
    var elements: [(family: String, element: any GroupAction, trivial: Bool)] = []
    for (index, family) in families.enumerated() {
      let element = try family.element(
        for: shape, parameters: parameters, seed: seed &+ UInt64(index))
      elements.append((family.name, element, try element.isIdentity(on: shape)))
    }
    var cells: [InvarianceCell] = []
    for (rowIndex, row) in rows.enumerated() {
      progress("[\(rowIndex + 1)/\(rows.count)] \(row.name) \(row.activation)")
      for (family, element, trivial) in elements {
        let measured = try probe.measure(row.kernel, under: element)
        let prediction = try row.prediction(under: element, on: shape)
        for kind in KernelKind.allCases {
          let algorithmic = measured.algorithmic[kind]
          let functional = measured.functional[kind]
          cells.append(
            InvarianceCell(
              architecture: row.name, activation: row.activation, action: family, kernel: kind,
              algorithmicDeviation: algorithmic, functionalDeviation: functional,
              algorithmic: Verdict(deviation: algorithmic, thresholds: thresholds),
              functional: Verdict(deviation: functional, thresholds: thresholds),
              prediction: prediction, trivial: trivial))
        }
      }
    }
    return InvarianceTable(cells: cells, actions: families.map(\.name), shape: shape)
  }

  /// The cells whose measured verdict contradicts the predicted one.
  public var contradictions: [InvarianceCell] { cells.filter { !$0.meetsPrediction } }
}
