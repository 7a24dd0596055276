import Foundation
import Learners
import Symmetries

/// One row of the invariance table: a named kernel, with the invariances it is expected to
/// have (nil for a user's own architecture, whose row is measured without a verdict on it).
public struct InvarianceRow: Sendable {
  public var name: String
  public var activation: String
  public var kernel: any KernelFunction
  public var expected: ExpectedInvariances?

  public init(name: String, activation: String, kernel: any KernelFunction, expected: ExpectedInvariances?) {
    self.name = name
    self.activation = activation
    self.kernel = kernel
    self.expected = expected
  }

  /// The row of a named architecture, with its catalogue expectations.
  public init(
    _ architecture: NamedArchitecture, activation: Activation, depth: Int,
    filterSize: Int = 3, padding: Padding = .circular
  ) throws {
    self.init(
      name: architecture.rawValue, activation: activation.rawValue,
      kernel: try architecture.architecture(
        depth: depth, activation: activation, filterSize: filterSize, padding: padding),
      expected: architecture.expectedKernelInvariances(padding: padding))
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

  public init(cells: [InvarianceCell], actions: [String], shape: ImageShape) {
    self.cells = cells
    self.actions = actions
    self.shape = shape
  }

  /// Measures every row under one element of every family, drawn per family from `seed` (the
  /// same element for every row, so rows compare like with like).
  ///
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
        for kind in KernelKind.allCases {
          let algorithmic = measured.algorithmic[kind]
          let functional = measured.functional[kind]
          let expected = row.expected.map {
            trivial
              ? (algorithmic: Verdict.invariant, functional: Verdict.invariant)
              : (
                algorithmic: $0.algorithmic.contains(family) ? Verdict.invariant : .notInvariant,
                functional: $0.functional.contains(family) ? Verdict.invariant : .notInvariant
              )
          }
          cells.append(
            InvarianceCell(
              architecture: row.name, activation: row.activation, action: family, kernel: kind,
              algorithmicDeviation: algorithmic, functionalDeviation: functional,
              algorithmic: Verdict(deviation: algorithmic, thresholds: thresholds),
              functional: Verdict(deviation: functional, thresholds: thresholds),
              expectedAlgorithmic: expected?.algorithmic, expectedFunctional: expected?.functional,
              trivial: trivial))
        }
      }
    }
    return InvarianceTable(cells: cells, actions: families.map(\.name), shape: shape)
  }

  /// The cells whose measured verdict contradicts the expected one.
  public var surprises: [InvarianceCell] { cells.filter { !$0.meetsExpectation } }
}
