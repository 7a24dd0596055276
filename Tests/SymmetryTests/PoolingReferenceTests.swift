import Foundation
import Learners
import Symmetries
import Testing

/// The pooling and strided-convolution cases of `fixtures/reference/neural-tangents-layers.json`
/// (neural-tangents 0.6.5): a layer list, 5 images of 6 x 6 x 2, and the NNGP and NTK.
private struct PoolingReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
  let name: String
  let layers: String
  let shape: [Int]
  let n: Int
  let inputs: [Double]
  let nngp: [[Double]]
  let ntk: [[Double]]

  var testDescription: String { "\(name): \(layers)" }

  /// The cases of average and sum pooling and of strided convolutions.
  static let names: Set<String> = [
    "avgpool", "avgpool-same-stride1", "sumpool", "conv-stride2", "conv-stride2-same",
  ]

  static let all: [PoolingReferenceCase] = {
    struct File: Decodable { let cases: [PoolingReferenceCase] }
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("fixtures/reference/neural-tangents-layers.json")
    do {
      return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        .filter { names.contains($0.name) }
    } catch {
      Issue.record("cannot read the layer reference fixture at \(url.path): \(error)")
      return []
    }
  }()

  func batch() throws -> ImageBatch {
    try ImageBatch(count: n, height: shape[0], width: shape[1], channels: shape[2], values: inputs)
  }
}

@Suite("Pooling and strided convolutions against neural-tangents")
struct PoolingReferenceTests {
  /// As `KernelReferenceTests.tolerance`: neural-tangents' float64 kernels are good to about
  /// 1e-14; a convention error (padding side, window normalisation) moves entries by 1e-3 or more.
  static let tolerance = 1e-10
  /// As `KernelReferenceTests.reluNTKDiagonalTolerance`: neural-tangents evaluates the ReLU NTK
  /// diagonal at arccos(1 - eps), which errs by sqrt(eps).
  static let reluNTKDiagonalTolerance = 1e-7

  @Test("The fixture holds all five pooling and stride cases")
  func fixtureHoldsTheCases() {
    #expect(Set(PoolingReferenceCase.all.map(\.name)) == PoolingReferenceCase.names)
  }

  @Test(
    "Pooling and strided convolutions reproduce neural-tangents' NNGP and NTK to 1e-10 of the largest entry (ReLU NTK diagonal: 1e-7 entry-wise), on both paths",
    arguments: PoolingReferenceCase.all)
  fileprivate func matchesReference(_ reference: PoolingReferenceCase) throws {
    let architecture = try Architecture(parsing: reference.layers)
    let batch = try reference.batch()
    for kernels in [try architecture.referenceKernels(batch, nil), try architecture.kernels(batch, nil)] {
      let nngpError = maxRelativeError(kernels.nngp, reference.nngp)
      #expect(nngpError <= Self.tolerance, "NNGP relative error \(nngpError)")
      let ntkError = maxRelativeError(kernels.ntk, reference.ntk, skippingDiagonal: true)
      #expect(ntkError <= Self.tolerance, "NTK relative error \(ntkError)")
      for i in 0..<reference.n {
        let error = abs(kernels.ntk[i, i] - reference.ntk[i][i]) / abs(reference.ntk[i][i])
        #expect(error <= Self.reluNTKDiagonalTolerance, "NTK diagonal entry \(i): \(error)")
      }
    }
  }

  @Test(
    "The pooled reference kernel is bitwise symmetric: the batches swapped give the transpose",
    arguments: PoolingReferenceCase.all)
  fileprivate func swappingBatchesTransposes(_ reference: PoolingReferenceCase) throws {
    let architecture = try Architecture(parsing: reference.layers)
    let batch = try reference.batch()
    let first = try ImageBatch(
      count: 2, height: batch.shape.height, width: batch.shape.width, channels: batch.shape.channels,
      values: Array(batch.values[0..<(2 * batch.shape.pixelCount * batch.shape.channels)]))
    let forward = try architecture.referenceKernels(first, batch)
    let backward = try architecture.referenceKernels(batch, first)
    for i in 0..<2 {
      for j in 0..<reference.n {
        #expect(forward.nngp[i, j] == backward.nngp[j, i] && forward.ntk[i, j] == backward.ntk[j, i])
      }
    }
  }
}
