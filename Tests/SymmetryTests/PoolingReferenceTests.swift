import Learners
import Symmetries
import Testing

/// The pooling and strided-convolution cases of the layer fixture (their agreement with
/// neural-tangents is `LayerReferenceTests`'); here, what the reference path promises beyond it.
private let poolingCases = LayerReferenceCase.all.filter {
  ["avgpool", "avgpool-same-stride1", "sumpool", "conv-stride2", "conv-stride2-same"].contains(
    $0.name)
}

@Suite("Pooling and strided convolutions: the reference path")
struct PoolingReferenceTests {
  @Test("The fixture holds all five pooling and stride cases")
  func fixtureHoldsTheCases() {
    #expect(poolingCases.count == 5)
  }

  @Test(
    "The pooled reference kernel is bitwise symmetric: the batches swapped give the transpose",
    arguments: poolingCases)
  func swappingBatchesTransposes(_ reference: LayerReferenceCase) throws {
    let architecture = try Architecture(parsing: reference.layers)
    let batch = try reference.batch()
    let shape = batch.shape
    let first = try ImageBatch(
      count: 2, height: shape.height, width: shape.width, channels: shape.channels,
      values: Array(batch.values[0..<(2 * shape.pixelCount * shape.channels)]))
    let forward = try architecture.referenceKernels(first, batch)
    let backward = try architecture.referenceKernels(batch, first)
    for i in 0..<2 {
      for j in 0..<reference.n {
        #expect(
          forward.nngp[i, j] == backward.nngp[j, i] && forward.ntk[i, j] == backward.ntk[j, i])
      }
    }
  }
}
