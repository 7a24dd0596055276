import Foundation
import Learners
import Symmetries

/// One entry of `fixtures/reference/neural-tangents-kernels.json` (see its README).
struct KernelEngineReference: Decodable, Sendable, CustomStringConvertible {
  let architecture: String
  let activation: String
  let depth: Int
  let weightStd: Double
  let biasStd: Double
  let inputShape: [Int]
  let n: Int
  let inputs: [Double]
  let nngp: [[Double]]
  let ntk: [[Double]]

  private enum CodingKeys: String, CodingKey {
    case architecture, activation, depth, n, inputs, nngp, ntk
    case weightStd = "W_std"
    case biasStd = "b_std"
    case inputShape = "input_shape"
  }

  var description: String {
    "\(architecture) \(activation) depth \(depth) \(inputShape.map(String.init).joined(separator: "x"))"
  }

  /// The engine program of the architecture neural-tangents built for this entry (3 x 3
  /// circular filters), derived as the library derives it.
  var program: KernelProgram {
    engineProgram(
      try! NamedArchitecture(named: architecture), depth: depth,
      activation: try! Activation(named: activation), weightStd: weightStd, biasStd: biasStd)
  }

  var batch: ImageBatch {
    try! ImageBatch(
      count: n, height: inputShape[0], width: inputShape[1], channels: inputShape[2], values: inputs
    )
  }

  /// All 48 entries, read once.
  static let all: [KernelEngineReference] = {
    // The repository root is three levels above Tests/PerformanceTests/<file>.swift.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("fixtures/reference/neural-tangents-kernels.json")
    struct File: Decodable { let entries: [KernelEngineReference] }
    let data = try! Data(contentsOf: url)
    return try! JSONDecoder().decode(File.self, from: data).entries
  }()

  /// Deviations of `result` from this entry: (off-diagonal and Erf entries relative to the
  /// matrix's max |entry|, worst relative error on ReLU NTK diagonal entries).
  func deviations(of result: KernelMatrices) -> (nngp: Double, ntk: Double, reluNTKDiagonal: Double)
  {
    func deviation(_ matrix: Matrix, _ reference: [[Double]], skipDiagonal: Bool) -> Double {
      let scale = reference.joined().reduce(0) { max($0, abs($1)) }
      var worst = 0.0
      for i in 0..<n {
        for j in 0..<n where !(skipDiagonal && i == j) {
          let difference = abs(matrix[i, j] - reference[i][j])
          worst = max(worst, difference.isNaN ? .infinity : difference / scale)
        }
      }
      return worst
    }
    let relu = activation == "relu"
    var diagonal = 0.0
    if relu {
      for i in 0..<n {
        let difference = abs(result.ntk[i, i] - ntk[i][i])
        diagonal = max(diagonal, difference.isNaN ? .infinity : difference / abs(ntk[i][i]))
      }
    }
    return (
      deviation(result.nngp, nngp, skipDiagonal: false),
      deviation(result.ntk, ntk, skipDiagonal: relu), diagonal
    )
  }
}

/// The engine program of a catalogue architecture, through `NamedArchitecture.architecture` and
/// `Architecture.kernelProgram`: the path `Architecture.kernels` takes in release builds.
func engineProgram(
  _ architecture: NamedArchitecture, depth: Int, activation: Activation, filterSize: Int = 3,
  padding: Padding = .circular, weightStd: Double = 2.0.squareRoot(), biasStd: Double = 0.1
) -> KernelProgram {
  let network = try! architecture.architecture(
    depth: depth, activation: activation, filterSize: filterSize, padding: padding,
    weightStd: weightStd, biasStd: biasStd)
  guard let program = network.kernelProgram else {
    fatalError("the engine should run \(network)")
  }
  return program
}
