import Symmetries

extension FiniteNetwork: KernelFunction {
  /// The empirical NNGP and NTK of this one network, traced over its k outputs:
  ///
  ///     NNGP(x, x') = (1/k) sum_j f_j(x) f_j(x')
  ///     NTK(x, x')  = (1/k) sum_j <df_j(x)/dtheta, df_j(x')/dtheta>
  ///
  /// as neural-tangents' `empirical_kernel_fn` with `trace_axes=(-1,)` (normalised by k). Over
  /// random initialisations the NNGP averages to the analytic NNGP; as the width grows the NTK
  /// concentrates on the analytic NTK (see `MonteCarloKernel`).
  ///
  /// - Throws: `FiniteError` on a shape mismatch or a non-finite output.
  /// - Complexity: n k backward passes of one image (n = n1 + n2), plus O(n1 n2 k parameters).
  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    try kernels(x1, x2, tracedOutputs: outputCount)
  }

  /// The empirical kernels with the NTK traced over the first `tracedOutputs` outputs only
  /// (each output's NTK has the same law) and the NNGP over all of them.
  func kernels(_ x1: ImageBatch, _ x2: ImageBatch?, tracedOutputs: Int) throws -> KernelMatrices {
    let traced = Swift.min(tracedOutputs, outputCount)
    let first = try jacobian(x1, outputs: traced)
    let second = try x2.map { try jacobian($0, outputs: traced) } ?? first
    let k = outputCount
    let n1 = x1.count
    let n2 = x2?.count ?? n1
    var nngp = Matrix(uncheckedRows: n1, columns: n2)
    var ntk = Matrix(uncheckedRows: n1, columns: n2)
    let scale = 1 / Double(k)
    for i in 0..<n1 {
      for j in 0..<n2 {
        var sum = 0.0
        for output in 0..<k {
          sum += first.outputs[i * k + output] * second.outputs[j * k + output]
        }
        nngp[i, j] = sum * scale
      }
    }
    for output in 0..<traced {
      // Rows (output, image) of each Jacobian: one GEMM per output.
      first.rows.withUnsafeBufferPointer { a in
        second.rows.withUnsafeBufferPointer { b in
          ntk.storage.withUnsafeMutableBufferPointer { c in
            GEMM.uncheckedMultiply(
              m: n1, n: n2, k: parameterCount, alpha: 1 / Double(traced),
              a: a.baseAddress! + output * n1 * parameterCount, lda: parameterCount,
              b: b.baseAddress! + output * n2 * parameterCount, ldb: parameterCount,
              transposeB: true, beta: output == 0 ? 0 : 1, c: c.baseAddress!, ldc: n2)
          }
        }
      }
    }
    return KernelMatrices(uncheckedNNGP: nngp, ntk: ntk)
  }

  /// The outputs (n x k) and the Jacobian rows d f_j(x_i) / dtheta for j < `outputs`, stored
  /// output-major: row (j, i) at offset (j n + i) * parameterCount.
  private func jacobian(_ images: ImageBatch, outputs k: Int) throws -> (
    outputs: [Double], rows: [Double]
  ) {
    try check(images)
    let n = images.count
    let outputs = try predictions(images).storage
    var rows = [Double](repeating: 0, count: n * k * parameterCount)
    var workspace = Workspace(self, count: 1)
    var seed = [Double](repeating: 0, count: outputCount)
    images.values.withUnsafeBufferPointer { values in
      rows.withUnsafeMutableBufferPointer { rows in
        for i in 0..<n {
          // The backward pass reads the forward features without changing them.
          forward(values.baseAddress!, [i][...], workspace: &workspace, threads: 1)
          for j in 0..<k {
            seed[j] = 1
            seed.withUnsafeBufferPointer { seed in
              backward(
                seed.baseAddress!, count: 1, workspace: &workspace,
                gradient: rows.baseAddress! + (j * n + i) * parameterCount, threads: 1)
            }
            seed[j] = 0
          }
        }
      }
    }
    return (outputs, rows)
  }
}

/// The Monte Carlo NNGP and NTK of an architecture at finite width: the empirical kernels
/// (`FiniteNetwork.kernels`) averaged over `samples` independent initialisations, as
/// neural-tangents' `monte_carlo_kernel_fn`.
///
/// Sample s is the network initialised from seed + s, so the estimate is a pure function of the
/// seed. The readout has `outputs` channels, by default as many as the hidden width: one
/// output's f(x) f(x') fluctuates by O(1) whatever the width, and the trace over k i.i.d. readout
/// columns averages that away, so the estimate converges to the analytic kernel
/// (`Architecture.kernels`) with an error of order 1 / sqrt(width * samples) (plus an O(1 / width)
/// bias of the NTK). The NTK is traced over the first `tracedOutputs` outputs only: it already
/// concentrates with the width (its readout part is <h(x), h(x')> / width), and each traced
/// output costs a backward pass per image.
public struct MonteCarloKernel: KernelFunction {
  /// The architecture whose finite networks are sampled.
  public let architecture: Architecture
  /// Channels of every hidden layer.
  public let width: Int
  /// The number of networks averaged.
  public let samples: Int
  /// Sample s is initialised from `seed + s`.
  public let seed: UInt64
  /// Outputs of each sampled network (the NNGP's trace runs over them).
  public let outputs: Int
  /// Outputs the NTK's trace runs over.
  public static let tracedOutputs = 4

  /// A Monte Carlo kernel with `outputs` readout channels (nil: `width`); throws
  /// `FiniteError.invalidWidth` for a width, sample or output count below 1.
  public init(
    architecture: Architecture, width: Int, samples: Int, seed: UInt64, outputs: Int? = nil
  ) throws(FiniteError) {
    let outputs = outputs ?? width
    guard width >= 1 else { throw .invalidWidth(parameter: "width", value: width) }
    guard samples >= 1 else { throw .invalidWidth(parameter: "samples", value: samples) }
    guard outputs >= 1 else { throw .invalidWidth(parameter: "outputs", value: outputs) }
    self.architecture = architecture
    self.width = width
    self.samples = samples
    self.seed = seed
    self.outputs = outputs
  }

  /// The mean of the sampled networks' empirical kernels.
  /// - Complexity: `samples` times that of `FiniteNetwork.kernels`.
  public func kernels(_ x1: ImageBatch, _ x2: ImageBatch?) throws -> KernelMatrices {
    if let x2, x2.shape != x1.shape {
      throw KernelError.shapeMismatch(first: x1.shape, second: x2.shape)
    }
    var total: KernelMatrices?
    for s in 0..<samples {
      let network = try FiniteNetwork(
        architecture: architecture, inputShape: x1.shape, width: width, outputs: outputs,
        seed: seed &+ UInt64(s))
      let sample = try network.kernels(x1, x2, tracedOutputs: Self.tracedOutputs)
      if var sum = total {
        for i in sum.nngp.storage.indices {
          sum.nngp.storage[i] += sample.nngp.storage[i]
          sum.ntk.storage[i] += sample.ntk.storage[i]
        }
        total = sum
      } else {
        total = sample
      }
    }
    var mean = total!
    let scale = 1 / Double(samples)
    for i in mean.nngp.storage.indices {
      mean.nngp.storage[i] *= scale
      mean.ntk.storage[i] *= scale
    }
    return mean
  }
}
