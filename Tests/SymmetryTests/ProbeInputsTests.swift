import Foundation
import Learners
import Probes
import Symmetries
import Testing

@Suite("Probe inputs: where the ensembles are compared")
struct ProbeInputsTests {
  private let shape = try! ImageShape(height: 2, width: 2, channels: 3)

  @Test(
    "Coordinate probes are one image per input coordinate, of the test images' root-mean-square norm, with targets 0"
  )
  func coordinateProbes() throws {
    let test = try ImageBatch(shape: shape, values: (0..<24).map { Double($0 % 5) - 2 })
    let targets = try Matrix(rows: 2, columns: 10, repeating: 0.3)
    let (images, probeTargets) = try ProbeInputs.coordinates.inputs(test: test, targets: targets)
    let size = (test.values.reduce(0) { $0 + $1 * $1 } / 2).squareRoot()
    #expect(images.count == 12 && images.shape == shape)
    for probe in 0..<12 {
      for coordinate in 0..<12 {
        #expect(images.values[probe * 12 + coordinate] == (probe == coordinate ? size : 0))
      }
    }
    #expect(
      probeTargets.rows == 12 && probeTargets.columns == 10
        && probeTargets.storage.allSatisfy { $0 == 0 })
    let (natural, naturalTargets) = try ProbeInputs.natural.inputs(test: test, targets: targets)
    #expect(natural == test && naturalTargets == targets)
  }

  @Test(
    "Adam compares at coordinate probes by default, gradient descent and SGD at the test images")
  func defaults() {
    #expect(ProbeInputs.defaultInputs(for: .adam(learningRate: 0.03)) == .coordinates)
    #expect(ProbeInputs.defaultInputs(for: .gradientDescent(learningRate: 1)) == .natural)
    #expect(ProbeInputs.defaultInputs(for: .sgd(learningRate: 0.5, batchSize: 32)) == .natural)
    var job = FiniteInvarianceJob()
    job.optimizer = .adam(learningRate: 0.03)
    #expect(job.probes == .coordinates)
    job.probeInputs = .natural
    #expect(job.probes == .natural)
  }

  @Test("Coordinate probes of an empty or all-zero test set are typed errors")
  func badTestSets() throws {
    let targets = try Matrix(rows: 1, columns: 10)
    let zero = try ImageBatch(shape: shape, values: [Double](repeating: 0, count: 12))
    #expect(throws: ProbeError.self) {
      try ProbeInputs.coordinates.inputs(test: zero, targets: targets)
    }
    let empty = try ImageBatch(shape: shape, values: [])
    #expect(throws: ProbeError.self) {
      try ProbeInputs.coordinates.inputs(test: empty, targets: try Matrix(rows: 0, columns: 10))
    }
  }
}
