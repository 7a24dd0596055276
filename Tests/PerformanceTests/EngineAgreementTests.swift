import CheckerSupport
import Learners
import Symmetries
import Testing

/// Both paths sum the same terms in different orders (the engine in relative coordinates, with
/// its own arc-cosine); at depth 3 the measured disagreement is about 1e-15 of the largest
/// entry, so 1e-12 is round-off with room, and any wrong index or formula shows as O(1).
private let agreement = 1e-12

@Suite("The fast engine against the reference definition")
struct EngineAgreementTests {
  @Test(
    "The fast engine equals the layer-by-layer definition on random inputs, NNGP and NTK",
    arguments: NamedArchitecture.allCases, Activation.allCases)
  func engineEqualsReference(architecture: NamedArchitecture, activation: Activation) throws {
    let network = try architecture.architecture(depth: 3, activation: activation)
    let program = try #require(network.kernelProgram, "the engine should run \(architecture)")
    let engine = try KernelEngine(program: program)
    for s in [shape(8, 8, 1), shape(6, 6, 3)] {
      let x = randomBatch(s, count: 5, seed: 1)
      let y = randomBatch(s, count: 3, seed: 2)
      for (fast, reference) in [
        (try engine.kernels(x), try network.referenceKernels(x, nil)),
        (try engine.kernels(x, y), try network.referenceKernels(x, y)),
      ] {
        expectClose(fast.nngp.storage, reference.nngp.storage, tolerance: agreement, "\(architecture) \(activation) NNGP \(s)")
        expectClose(fast.ntk.storage, reference.ntk.storage, tolerance: agreement, "\(architecture) \(activation) NTK \(s)")
      }
    }
  }

  @Test("Architectures the engine does not run fall back to the reference definition")
  func fallback() throws {
    for spec in [
      "conv(3,same) relu gap readout", "conv(3,valid) erf flatten readout",
      "local(3) relu gap readout", "conv(3) relu flatten dense relu readout",
    ] {
      let network = try Architecture(parsing: spec)
      #expect(network.kernelProgram == nil, "\(spec)")
      let x = randomBatch(shape(5, 5, 2), count: 3, seed: 3)
      #expect(try network.kernels(x, nil) == network.referenceKernels(x, nil), "\(spec)")
    }
  }
}
