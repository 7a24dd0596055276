import Dispatch
import Foundation
import Learners
import Symmetries

/// The benchmark workloads: the five kernel workloads neural-tangents was timed on
/// (`../shared/reference/neural-tangents-timings.md`: NNGP + NTK train-train, ReLU, 3x3,
/// stride 1, circular, depth 3, W_std = sqrt(2), b_std = 0.1, standard-normal inputs), the
/// two linear-algebra kernels regression depends on, and the finite-network training budget of
/// the finite-width issue (a width-128 CNN on 1,000 CIFAR-10 images at 8x8 for tens of epochs
/// "in minutes").
public enum BenchmarkWorkload: String, CaseIterable, Sendable {
  /// The workloads by their `--workload` names; `summary` says what each computes.
  case gap8, gap16, gap32, vec8, vec16, fcn, pool16, gemm, cholesky, train, cache

  /// What the workload computes, for `--help` and reports.
  public var summary: String {
    switch self {
    case .gap8: return "CNN-GAP, n = 256, 8x8x1"
    case .gap16: return "CNN-GAP, n = 128, 16x16x3"
    case .gap32: return "CNN-GAP, n = 32, 32x32x3 (the paper's resolution)"
    case .vec8: return "CNN-VEC, n = 256, 8x8x1"
    case .vec16: return "CNN-VEC, n = 128, 16x16x3"
    case .fcn: return "FCN, n = 2048, 784 inputs"
    case .pool16: return "\(Self.pooledLayers), n = 128, 16x16x3 (engine stages around the pooling)"
    case .gemm: return "matrix product, n = 2048"
    case .cholesky: return "Cholesky factorisation, n = 4096"
    case .train: return "SGD, CNN-VEC width 128, 1,000 CIFAR-10 8x8, 20 epochs"
    case .cache:
      return
        "learning curves warm from the kernel cache vs cold (FCN, LCN = CNN-VEC, 8x8, 4 actions, 5 repeats)"
    }
  }

  /// The neural-tangents times from the shared timings (run 1, the faster machine), seconds.
  public var neuralTangentsSeconds: Double? {
    switch self {
    case .gap8: return 26.3
    case .gap16: return 99.9
    case .vec8: return 0.25
    case .vec16: return 0.28
    case .fcn: return 0.30
    case .gap32, .pool16, .gemm, .cholesky, .train, .cache: return nil
    }
  }

  /// Runs the workload `repeats` times (median) and its reference once on a subset, and sets
  /// neural-tangents' figure beside it where there is one.
  public func run(repeats: Int, progress: (String) -> Void = { _ in }) throws -> BenchmarkResult {
    var result = try measure(repeats: repeats, progress: progress)
    result.neuralTangentsSeconds = neuralTangentsSeconds
    result.speedupVsNeuralTangents = neuralTangentsSeconds.map { $0 / result.seconds }
    return result
  }

  private func measure(repeats: Int, progress: (String) -> Void) throws -> BenchmarkResult {
    switch self {
    case .gap8:
      return try kernel(.cnnGap, n: 256, shape: 8, 8, 1, referenceN: 12, repeats: repeats, progress)
    case .gap16:
      return try kernel(
        .cnnGap, n: 128, shape: 16, 16, 3, referenceN: 4, repeats: repeats, progress)
    case .gap32:
      return try kernel(
        .cnnGap, n: 32, shape: 32, 32, 3, referenceN: 2, repeats: repeats, progress)
    case .vec8:
      return try kernel(.cnnVec, n: 256, shape: 8, 8, 1, referenceN: 64, repeats: repeats, progress)
    case .vec16:
      return try kernel(
        .cnnVec, n: 128, shape: 16, 16, 3, referenceN: 32, repeats: repeats, progress)
    case .fcn:
      return try kernel(
        .fcn, n: 2048, shape: 28, 28, 1, referenceN: 256, repeats: repeats, progress)
    case .pool16: return try pooledKernel(n: 128, referenceN: 8, repeats: repeats, progress)
    case .gemm: return try product(n: 2048, referenceN: 384, repeats: repeats)
    case .cholesky: return try factorisation(n: 4096, referenceN: 768, repeats: repeats)
    case .train:
      return try training(width: 128, images: 1000, epochs: 20, batch: 32, repeats: repeats)
    case .cache: return try cachedCurves(repeats: repeats, progress)
    }
  }

  // MARK: - Workloads

  private func kernel(
    _ architecture: NamedArchitecture, n: Int, shape h: Int, _ w: Int, _ c: Int, referenceN: Int,
    repeats: Int, _ progress: (String) -> Void
  ) throws -> BenchmarkResult {
    let network = try architecture.architecture(depth: 3, activation: .relu)
    guard let program = network.kernelProgram else {
      throw ProbeError.invalidOption("the engine does not run \(architecture)")
    }
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let engine = try KernelEngine(program: program, threads: threads)
    var generator = SeededGenerator(seed: 2024)
    let shape = try ImageShape(height: h, width: w, channels: c)
    let x = try ImageBatch(
      shape: shape, values: generator.gaussians(uncheckedCount: n * shape.dimension))
    resetPeakMemory()
    let seconds = try median(repeats) { _ = try engine.kernels(x) }
    let memory = peakMemory()
    let pairs = Double(n * (n + 1) / 2)
    let subset = x.selecting(uncheckedIndices: 0..<referenceN)
    let referenceTime = try median(1) { _ = try network.referenceKernels(subset, nil) }
    let referenceRate = Double(referenceN * (referenceN + 1) / 2) / referenceTime
    progress("\(rawValue): \(String(format: "%.3f", seconds)) s")
    var result = BenchmarkResult(
      workload: rawValue, seconds: seconds, rate: pairs / seconds, rateUnit: "image pairs/s",
      peakMemoryBytes: memory, referenceSeconds: pairs / referenceRate, referenceSize: referenceN,
      speedupVsReference: (pairs / seconds) / referenceRate)
    if let arithmetic = try engine.arithmetic(images: n, shape: shape) {
      let peak = ArithmeticPeak.measure(threads: threads)
      let limit = peak.seconds(
        arithmetic.operations, squareRoots: arithmetic.squareRoots, divisions: arithmetic.divisions)
      result.arithmeticLimitSeconds = limit
      result.fractionOfArithmeticLimit = limit / seconds
      result.peakGFLOPS = peak.operationsPerSecond / 1e9
    }
    if architecture == .cnnGap {
      result.claimsPoolSeconds = ClaimsGapPool.large.imagePairs / result.rate
    }
    return result
  }

  /// The pooling workload of issue 25 (not depth 3: the layers are the issue's).
  static let pooledLayers = "conv(3) relu avgpool(2) conv(3) relu gap readout"

  /// The pooled network by `kernels(_:_:)`, which runs it in the engine (a stage on 16x16, the
  /// pooling on whole pair tensors, a stage on 8x8) on both cores; its reference is the
  /// layer-by-layer definition on both cores on a subset, extrapolated, as for the other kernel
  /// workloads.
  private func pooledKernel(
    n: Int, referenceN: Int, repeats: Int, _ progress: (String) -> Void
  ) throws -> BenchmarkResult {
    let network = try Architecture(parsing: Self.pooledLayers)
    var generator = SeededGenerator(seed: 2024)
    let shape = try ImageShape(height: 16, width: 16, channels: 3)
    let x = try ImageBatch(
      shape: shape, values: generator.gaussians(uncheckedCount: n * shape.dimension))
    resetPeakMemory()
    let seconds = try median(repeats) { _ = try network.kernels(x, nil) }
    let memory = peakMemory()
    let pairs = Double(n * (n + 1) / 2)
    let subset = x.selecting(uncheckedIndices: 0..<referenceN)
    let referenceTime = try median(1) { _ = try network.referenceKernels(subset, nil) }
    let referenceRate = Double(referenceN * (referenceN + 1) / 2) / referenceTime
    progress("\(rawValue): \(String(format: "%.3f", seconds)) s (\(network.kernelPath))")
    return BenchmarkResult(
      workload: rawValue, seconds: seconds, rate: pairs / seconds, rateUnit: "image pairs/s",
      peakMemoryBytes: memory, referenceSeconds: pairs / referenceRate, referenceSize: referenceN,
      speedupVsReference: (pairs / seconds) / referenceRate)
  }

  private func product(n: Int, referenceN: Int, repeats: Int) throws -> BenchmarkResult {
    let a = randomMatrix(n, seed: 1)
    let b = randomMatrix(n, seed: 2)
    resetPeakMemory()
    let seconds = try median(repeats) { _ = try a.multiplied(by: b) }
    let memory = peakMemory()
    let flops = 2 * pow(Double(n), 3)
    let small = (randomMatrix(referenceN, seed: 3), randomMatrix(referenceN, seed: 4))
    let referenceTime = median(1) { _ = naiveProduct(small.0, small.1) }
    let referenceRate = 2 * pow(Double(referenceN), 3) / referenceTime
    return BenchmarkResult(
      workload: rawValue, seconds: seconds, rate: flops / seconds / 1e9, rateUnit: "GFLOP/s",
      peakMemoryBytes: memory, referenceSeconds: flops / referenceRate, referenceSize: referenceN,
      speedupVsReference: (flops / seconds) / referenceRate)
  }

  /// Minibatch SGD (rate 0.5, the `train` command's default) on the depth-1 CNN-VEC of the
  /// finite probes at width 128: 20 epochs of 32-image batches (625 steps, 20,000 images
  /// through forward and backward passes) on all cores. There is no straightforward reference
  /// trainer to set beside it; the rate is images per second, and the budget to meet is the
  /// issue's "minutes".
  private func training(width: Int, images: Int, epochs: Int, batch: Int, repeats: Int) throws
    -> BenchmarkResult
  {
    let data = try ExperimentData.load(.cifar10, size: 8, trainCount: images, testCount: 1)
    let targets = data.train.centredOneHotTargets
    let architecture = try NamedArchitecture.cnnVec.architecture(depth: 1, activation: .relu)
    let network = try FiniteNetwork(
      architecture: architecture, inputShape: data.train.images.shape, width: width,
      outputs: targets.columns, seed: 0)
    let steps = epochs * images / batch
    resetPeakMemory()
    let seconds = try median(repeats) {
      _ = try network.trained(
        on: data.train.images, targets: targets,
        optimizer: .sgd(learningRate: 0.5, batchSize: batch),
        steps: steps, seed: 0, threads: ProcessInfo.processInfo.activeProcessorCount)
    }
    return BenchmarkResult(
      workload: rawValue, seconds: seconds, rate: Double(steps * batch) / seconds,
      rateUnit: "images/s",
      peakMemoryBytes: peakMemory(), referenceSeconds: nil, referenceSize: nil,
      speedupVsReference: nil)
  }

  /// A learning-curve run (FCN and LCN = CNN-VEC at 8x8, NNGP and NTK, no action, a random
  /// orthogonal map, a pixel permutation and a 2 x 2 patch shuffle, m = 16..512 from a pool of
  /// 1,024, 5 repeats, 500 test images) read from a warm kernel cache, against the same run with
  /// an empty cache (the reference, once): the cache's promise is that a rerun recomputes
  /// nothing, so the ratio is what it saves. The cache lives in a fresh temporary folder.
  private func cachedCurves(repeats: Int, _ progress: (String) -> Void) throws -> BenchmarkResult {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "symmetry-probe-bench-cache-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    try? FileManager.default.removeItem(at: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    var experiment = LearningCurveExperiment()
    experiment.architectures = [.fcn, .lcn, .cnnVec]
    experiment.dataActions = ["none", "orthogonal", "pixel-permutation", "patch-shuffle:2"].map {
      try! CurveAction(parsing: $0)
    }
    experiment.trainSizes = [16, 32, 64, 128, 256, 512]
    experiment.poolSize = 1024
    experiment.repeats = 5
    experiment.testCount = 500
    experiment.cache = KernelCache(directory: folder)
    let cold = try median(1) { _ = try experiment.run() }
    progress("cache: cold \(String(format: "%.2f", cold)) s")
    resetPeakMemory()
    let warm = try median(repeats) { _ = try experiment.run() }
    let points = Double(3 * 4 * 2 * 6 * 5)
    return BenchmarkResult(
      workload: rawValue, seconds: warm, rate: points / warm, rateUnit: "points/s",
      peakMemoryBytes: peakMemory(), referenceSeconds: cold, referenceSize: nil,
      speedupVsReference: cold / warm)
  }

  private func factorisation(n: Int, referenceN: Int, repeats: Int) throws -> BenchmarkResult {
    let spd = try positiveDefinite(n, seed: 5)
    resetPeakMemory()
    let seconds = try median(repeats) { _ = try spd.cholesky() }
    let memory = peakMemory()
    let flops = pow(Double(n), 3) / 3
    let small = try positiveDefinite(referenceN, seed: 6)
    let referenceTime = median(1) { _ = naiveCholesky(small) }
    let referenceRate = pow(Double(referenceN), 3) / 3 / referenceTime
    return BenchmarkResult(
      workload: rawValue, seconds: seconds, rate: flops / seconds / 1e9, rateUnit: "GFLOP/s",
      peakMemoryBytes: memory, referenceSeconds: flops / referenceRate, referenceSize: referenceN,
      speedupVsReference: (flops / seconds) / referenceRate)
  }
}

// MARK: - References: the direct definitions, written for clarity

/// C = A B by the triple loop (i, k, j order, so the inner loop is contiguous).
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
  var c = Matrix(uncheckedRows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for k in 0..<a.columns {
      let aik = a.storage[i * a.columns + k]
      for j in 0..<b.columns { c.storage[i * b.columns + j] += aik * b.storage[k * b.columns + j] }
    }
  }
  return c
}

/// The Cholesky–Banachiewicz recursion, row by row.
func naiveCholesky(_ a: Matrix) -> Matrix {
  let n = a.rows
  var l = Matrix(uncheckedRows: n, columns: n)
  for i in 0..<n {
    for j in 0...i {
      var sum = a.storage[i * n + j]
      for k in 0..<j { sum -= l.storage[i * n + k] * l.storage[j * n + k] }
      l.storage[i * n + j] = i == j ? sum.squareRoot() : sum / l.storage[j * n + j]
    }
  }
  return l
}

private func randomMatrix(_ n: Int, seed: UInt64) -> Matrix {
  var generator = SeededGenerator(seed: seed)
  return try! Matrix(rows: n, columns: n, storage: generator.gaussians(uncheckedCount: n * n))
}

/// G G^T / n + I: symmetric positive definite and well conditioned.
private func positiveDefinite(_ n: Int, seed: UInt64) throws -> Matrix {
  let g = randomMatrix(n, seed: seed)
  var spd = try Matrix.product(g, g, transposeB: true)
  for i in 0..<n {
    for j in 0..<n { spd.storage[i * n + j] /= Double(n) }
    spd.storage[i * n + i] += 1
  }
  return spd
}

/// The median wall-clock time of `count` runs of `body`.
private func median(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<max(1, count) {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  times.sort()
  return times[times.count / 2]
}

/// Resets Linux's peak-RSS counter (VmHWM) by writing 5 to /proc/self/clear_refs.
private func resetPeakMemory() {
  try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// Peak resident memory (VmHWM) in bytes, or nil off Linux.
private func peakMemory() -> Int? {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return nil
  }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let digits = line.split(separator: " ").compactMap { Int($0) }
    if let kilobytes = digits.first { return kilobytes * 1024 }
  }
  return nil
}
