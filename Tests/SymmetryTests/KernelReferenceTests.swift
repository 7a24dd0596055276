import Foundation
import Learners
import Symmetries
import Testing

/// One entry of `fixtures/reference/neural-tangents-kernels.json` (neural-tangents 0.6.5).
struct ReferenceKernel: Decodable, Sendable, CustomTestStringConvertible {
  let architecture: String
  let activation: String
  let depth: Int
  let W_std: Double
  let b_std: Double
  let filter_shape: [Int]?
  let padding: String?
  let input_shape: [Int]
  let n: Int
  let inputs: [Double]
  let nngp: [[Double]]
  let ntk: [[Double]]

  var testDescription: String {
    "\(architecture) \(activation) L=\(depth) \(input_shape.map(String.init).joined(separator: "x"))"
  }

  /// All 48 entries; the fixture lives three directories above this file.
  static let all: [ReferenceKernel] = {
    struct File: Decodable { let entries: [ReferenceKernel] }
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("fixtures/reference/neural-tangents-kernels.json")
    do {
      return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).entries
    } catch {
      Issue.record("cannot read the reference fixture at \(url.path): \(error)")
      return []
    }
  }()

  func batch() throws -> ImageBatch {
    try ImageBatch(
      count: n, height: input_shape[0], width: input_shape[1], channels: input_shape[2],
      values: inputs)
  }

  func architectureValue() throws -> Architecture {
    let padding = try #require(Padding(rawValue: (self.padding ?? "circular").lowercased()))
    return try NamedArchitecture(named: architecture).architecture(
      depth: depth, activation: Activation(named: activation),
      filterSize: filter_shape?.first ?? 3, padding: padding, weightStd: W_std, biasStd: b_std)
  }
}

/// Relative error of every entry, divided by the largest |entry| of the reference matrix.
///
/// `skippingDiagonal` leaves out the diagonal entries (compared separately).
func maxRelativeError(
  _ matrix: Matrix, _ reference: [[Double]], skippingDiagonal: Bool = false
) -> Double {
  let scale = reference.joined().reduce(0) { max($0, abs($1)) }
  var worst = 0.0
  for i in reference.indices {
    for j in reference[i].indices where !(skippingDiagonal && i == j) {
      worst = max(worst, abs(matrix[i, j] - reference[i][j]) / scale)
    }
  }
  return worst
}

@Suite("Kernels against neural-tangents")
struct KernelReferenceTests {
  /// neural-tangents' float64 kernels are good to about 1e-14 relative except where noted; 1e-10
  /// leaves four orders of magnitude for summation-order differences, and still catches any
  /// convention error (those move entries by 1e-3 or more).
  static let tolerance = 1e-10
  /// neural-tangents' ReLU NTK diagonal k(x, x) evaluates arccos(1 - eps), whose error is
  /// sqrt(eps) ~ 1e-8 relative (fixtures/reference/README.md); ours takes c = 1 exactly. Compared
  /// entry-wise, relative to the entry.
  static let reluNTKDiagonalTolerance = 1e-7

  @Test(
    "The NNGP matrix reproduces neural-tangents to 1e-10 of its largest entry",
    arguments: ReferenceKernel.all)
  func nngpMatchesReference(_ entry: ReferenceKernel) throws {
    let architecture = try entry.architectureValue()
    // Both paths: the layer-by-layer definition and the default (fast engine where it applies).
    for kernels in [
      try architecture.referenceKernels(entry.batch(), nil),
      try architecture.kernels(entry.batch(), nil),
    ] {
      #expect(maxRelativeError(kernels.nngp, entry.nngp) <= Self.tolerance)
    }
  }

  @Test(
    "The NTK matrix reproduces neural-tangents to 1e-10 of its largest entry (ReLU diagonal: 1e-7 entry-wise)",
    arguments: ReferenceKernel.all)
  func ntkMatchesReference(_ entry: ReferenceKernel) throws {
    let architecture = try entry.architectureValue()
    for kernels in [
      try architecture.referenceKernels(entry.batch(), nil),
      try architecture.kernels(entry.batch(), nil),
    ] {
      try checkNTK(kernels, entry)
    }
  }

  private func checkNTK(_ kernels: KernelMatrices, _ entry: ReferenceKernel) throws {
    let isReLU = entry.activation == "relu"
    #expect(maxRelativeError(kernels.ntk, entry.ntk, skippingDiagonal: isReLU) <= Self.tolerance)
    if isReLU {
      for i in 0..<entry.n {
        let error = abs(kernels.ntk[i, i] - entry.ntk[i][i]) / abs(entry.ntk[i][i])
        #expect(error <= Self.reluNTKDiagonalTolerance, "diagonal entry \(i)")
      }
    }
  }

  @Test(
    "The rectangular kernel of a batch with itself equals its symmetric kernel, bit for bit",
    arguments: ReferenceKernel.all.filter { $0.depth == 2 })
  func rectangularEqualsSymmetric(_ entry: ReferenceKernel) throws {
    let architecture = try entry.architectureValue()
    let batch = try entry.batch()
    #expect(
      try architecture.referenceKernels(batch, batch) == architecture.referenceKernels(batch, nil))
  }
}
