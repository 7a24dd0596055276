import Symmetries

extension FiniteNetwork {
  /// The network outputs on `images`, n x outputCount.
  ///
  /// - Throws: `.shapeMismatch`, and `.nonFinitePrediction` instead of returning NaN or
  ///   infinite outputs.
  /// - Complexity: one forward pass, O(n * sum over layers of cells * taps * C_in * C_out).
  public func predictions(
    _ images: ImageBatch, threads: Int = GEMM.defaultThreadCount
  ) throws(FiniteError) -> Matrix {
    try check(images)
    var output = Matrix(uncheckedRows: images.count, columns: outputCount)
    let indices = Array(0..<images.count)
    images.values.withUnsafeBufferPointer { values in
      output.storage.withUnsafeMutableBufferPointer { out in
        var workspace = Workspace(self, count: Swift.min(chunkSize, indices.count))
        for start in stride(from: 0, to: indices.count, by: chunkSize) {
          let chunk = indices[start..<min(indices.count, start + chunkSize)]
          forward(values.baseAddress!, chunk, workspace: &workspace, threads: threads)
          workspace.features[steps.count].withUnsafeBufferPointer { result in
            (out.baseAddress! + start * outputCount).update(
              from: result.baseAddress!, count: chunk.count * outputCount)
          }
        }
      }
    }
    if let index = output.storage.firstIndex(where: { !$0.isFinite }) {
      throw .nonFinitePrediction(
        image: index / outputCount, output: index % outputCount, value: output.storage[index])
    }
    return output
  }

  /// The loss L = 1 / (2 n k) * sum_{i, j} (f_j(x_i) - Y_ij)^2 (half the mean squared error over
  /// all n k outputs, as neural-tangents' `gradient_descent_mse`) on the images at `batch`
  /// (all images when nil), and its gradient with respect to the parameters.
  ///
  /// - Throws: `.shapeMismatch`, `.targetMismatch`.
  /// - Complexity: one forward and one backward pass over the batch.
  public func lossAndGradient(
    on images: ImageBatch, targets: Matrix, batch: [Int]? = nil,
    threads: Int = GEMM.defaultThreadCount
  ) throws(FiniteError) -> (loss: Double, gradient: [Double]) {
    try check(images, targets: targets)
    let indices = batch ?? Array(0..<images.count)
    var gradient = [Double](repeating: 0, count: parameterCount)
    let loss = evaluate(
      images, targets: targets, indices: indices, gradient: &gradient, threads: threads)
    return (loss, gradient)
  }

  /// The loss alone (see `lossAndGradient`).
  public func loss(
    on images: ImageBatch, targets: Matrix, threads: Int = GEMM.defaultThreadCount
  ) throws(FiniteError) -> Double {
    try check(images, targets: targets)
    var unused: [Double] = []
    return evaluate(
      images, targets: targets, indices: Array(0..<images.count), gradient: &unused,
      threads: threads)
  }

  /// The loss on `indices`, adding its gradient into `gradient` unless it is empty.
  func evaluate(
    _ images: ImageBatch, targets: Matrix, indices: [Int], gradient: inout [Double], threads: Int
  ) -> Double {
    var workspace = Workspace(self, count: Swift.min(chunkSize, indices.count))
    return evaluate(
      images, targets: targets, indices: indices, gradient: &gradient, workspace: &workspace,
      threads: threads)
  }

  /// `evaluate` on a caller's workspace (for at least min(chunkSize, indices.count) images),
  /// so training allocates its scratch once.
  func evaluate(
    _ images: ImageBatch, targets: Matrix, indices: [Int], gradient: inout [Double],
    workspace: inout Workspace, threads: Int
  ) -> Double {
    let k = outputCount
    let normalisation = 1 / Double(indices.count * k)
    var sum = 0.0
    let wantsGradient = !gradient.isEmpty
    images.values.withUnsafeBufferPointer { values in
      targets.storage.withUnsafeBufferPointer { targets in
        gradient.withUnsafeMutableBufferPointer { gradient in
          var residual = [Double](repeating: 0, count: Swift.min(chunkSize, indices.count) * k)
          for start in stride(from: 0, to: indices.count, by: chunkSize) {
            let chunk = indices[start..<min(indices.count, start + chunkSize)]
            forward(values.baseAddress!, chunk, workspace: &workspace, threads: threads)
            let output = workspace.features[steps.count]
            for (row, image) in chunk.enumerated() {
              for j in 0..<k {
                let r = output[row * k + j] - targets[image * k + j]
                sum += r * r
                residual[row * k + j] = r * normalisation
              }
            }
            if wantsGradient {
              residual.withUnsafeBufferPointer { residual in
                backward(
                  residual.baseAddress!, count: chunk.count, workspace: &workspace,
                  gradient: gradient.baseAddress!, threads: threads)
              }
            }
          }
        }
      }
    }
    return 0.5 * sum * normalisation
  }

  // MARK: - Chunk passes

  /// Scratch for one chunk: every step's input and output, patches and their gradient.
  struct Workspace {
    /// features[s] is the input of step s; features[steps.count] is the output.
    var features: [[Double]]
    var patches: [Double]
    var patchGradient: [Double]
    var gradientA: [Double]
    var gradientB: [Double]

    init(_ network: FiniteNetwork, count: Int) {
      let steps = network.steps
      features = [[Double](repeating: 0, count: count * network.inputShape.dimension)]
      features += steps.map { [Double](repeating: 0, count: count * $0.outputSize) }
      let patchSize = count * (steps.map(\.patchSize).max() ?? 0)
      patches = [Double](repeating: 0, count: patchSize)
      patchGradient = patches
      let largest = count * (steps.map { max($0.inputSize, $0.outputSize) }.max() ?? 0)
      gradientA = [Double](repeating: 0, count: largest)
      gradientB = gradientA
    }
  }

  /// Runs the images at `chunk` forward; the outputs are `workspace.features[steps.count]`.
  func forward(
    _ values: UnsafePointer<Double>, _ chunk: ArraySlice<Int>, workspace: inout Workspace,
    threads: Int
  ) {
    let d = inputShape.dimension
    workspace.features[0].withUnsafeMutableBufferPointer { input in
      for (row, image) in chunk.enumerated() {
        (input.baseAddress! + row * d).update(from: values + image * d, count: d)
      }
    }
    parameters.withUnsafeBufferPointer { parameters in
      workspace.patches.withUnsafeMutableBufferPointer { patches in
        for (s, step) in steps.enumerated() {
          let input = workspace.features[s]
          input.withUnsafeBufferPointer { x in
            workspace.features[s + 1].withUnsafeMutableBufferPointer { y in
              step.forward(
                x.baseAddress!, count: chunk.count, parameters: parameters.baseAddress!,
                patches: patches.baseAddress!, into: y.baseAddress!, threads: threads)
            }
          }
        }
      }
    }
  }

  /// Back-propagates dL/doutput (count x k) through the last forward pass on `workspace`,
  /// adding dL/dparameters into `gradient`.
  func backward(
    _ outputGradient: UnsafePointer<Double>, count: Int, workspace: inout Workspace,
    gradient: UnsafeMutablePointer<Double>, threads: Int
  ) {
    workspace.gradientA.withUnsafeMutableBufferPointer { bufferA in
      workspace.gradientB.withUnsafeMutableBufferPointer { bufferB in
        workspace.patches.withUnsafeMutableBufferPointer { patches in
          workspace.patchGradient.withUnsafeMutableBufferPointer { patchGradient in
            parameters.withUnsafeBufferPointer { parameters in
              var current = bufferA.baseAddress!
              var next = bufferB.baseAddress!
              current.update(from: outputGradient, count: count * outputCount)
              for s in stride(from: steps.count - 1, through: 0, by: -1) {
                // The first layer's input gradient is never needed.
                let firstAffine = steps[..<s].allSatisfy { $0.parameterCount == 0 }
                workspace.features[s].withUnsafeBufferPointer { x in
                  steps[s].backward(
                    current, x: x.baseAddress!, count: count, parameters: parameters.baseAddress!,
                    gradient: gradient, patches: patches.baseAddress!,
                    patchGradient: patchGradient.baseAddress!, dx: firstAffine ? nil : next,
                    threads: threads)
                }
                if firstAffine { break }
                swap(&current, &next)
              }
            }
          }
        }
      }
    }
  }
}
