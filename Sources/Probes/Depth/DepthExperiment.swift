import Foundation
import Learners
import Symmetries

/// Spectra and phase diagrams against depth: for every architecture, W^2 and depth, the NTK's
/// extreme eigenvalues on the training images and the train and test accuracies of the NTK
/// gradient-descent predictor at finite training times.
///
/// Each point builds the architecture with `DepthAnalysis.architecture(_:depth:)` (NTK
/// parameterisation, the same W, b in every layer, readout included), computes the
/// train-train and test-train NTKs through `KernelFunction.kernels`, and runs
/// `KernelRegression.gradientFlow` with learning rate eta = n k / lambda_max, so that
/// neural-tangents' exponent eta t lambda / (n k) is t lambda / lambda_max: t counts the time
/// constants of the top mode, a mode lambda is learned once t >~ lambda_max / lambda, and the
/// kernel's overall scale (which grows like chi_1^l in the chaotic phase) drops out. The
/// network is trainable at time t roughly where the condition number is below t.
///
/// Reference: L. Xiao, J. Pennington, S. Schoenholz, "Disentangling Trainability and
/// Generalization in Deep Neural Networks", ICML 2020, sections 3 and 5 (which use the largest
/// stable discrete step 2 / lambda_max of the mean loss; this is the gradient-flow analogue).
public struct DepthExperiment: Sendable {
  /// How many images an architecture is trained and tested on.
  public struct ImageCounts: Sendable, Hashable, Codable {
    /// Training images.
    public var train: Int
    /// Test images.
    public var test: Int
    /// `train` training and `test` test images.
    public init(train: Int, test: Int) {
      self.train = train
      self.test = test
    }
  }

  /// One phase diagram: an architecture on the first `counts` images, over `depths`.
  public struct Run: Sendable, Hashable {
    /// The architecture of the diagram.
    public var architecture: NamedArchitecture
    /// The images it is trained and tested on.
    public var counts: ImageCounts
    /// The depths (hidden layers) on the diagram's axis.
    public var depths: [Int]
    /// A diagram of `architecture` on `counts` images over `depths`.
    public init(_ architecture: NamedArchitecture, counts: ImageCounts, depths: [Int]) {
      self.architecture = architecture
      self.counts = counts
      self.depths = depths
    }
  }

  /// The phase diagrams. By default FCN and CNN-VEC on 256 + 256 images to depth 64, and
  /// CNN-GAP, whose kernel costs H W = 64 times more per pair, on 48 + 48 images to depth 32,
  /// with FCN run again on those images as its reference.
  public var runs: [Run] = DepthExperiment.runs(
    [.fcn, .cnnVec, .cnnGap], counts: ImageCounts(train: 256, test: 256),
    depths: [1, 2, 4, 8, 16, 32, 64], pooledCounts: ImageCounts(train: 48, test: 48),
    pooledDepths: [1, 2, 4, 8, 16, 32])
  /// The activation of every hidden layer.
  public var activation: Activation = .erf
  /// The W^2 axis: erf at b^2 = 0.01 turns chaotic at W^2 ~ 1.13.
  public var weightVariances: [Double] = [0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
  /// b^2 of every layer (neural-tangents' reference b_std = 0.1).
  public var biasVariance: Double = 0.01
  /// Training times, in units of the top mode's time constant.
  public var times: [Double] = [1e2, 1e5]
  /// The data set (8 x 8 CIFAR-10 by default).
  public var dataSet: DataSet = .cifar10
  /// The image side after average pooling.
  public var size: Int = 8
  /// Where each point's train-train and test-train kernels are kept between runs (the learning
  /// curves' cache: an entry per kernel, W^2, b^2 and depth included, and exact input images);
  /// nil: computed every run. A rerun with more times or another summary recomputes nothing.
  public var cache: KernelCache? = nil

  /// The default experiment: the diagrams of `runs` for erf at b^2 = 0.01 on 8 x 8 CIFAR-10.
  public init() {}

  /// Runs of `architectures`: CNN-GAP with `pooledCounts` and `pooledDepths`, the others with
  /// `counts` and `depths`; when CNN-GAP's counts differ, FCN is added on its images and depths
  /// as the like-for-like reference.
  public static func runs(
    _ architectures: [NamedArchitecture], counts: ImageCounts, depths: [Int],
    pooledCounts: ImageCounts, pooledDepths: [Int]
  ) -> [Run] {
    var runs = architectures.map { architecture in
      architecture == .cnnGap
        ? Run(architecture, counts: pooledCounts, depths: pooledDepths)
        : Run(architecture, counts: counts, depths: depths)
    }
    let reference = Run(.fcn, counts: pooledCounts, depths: pooledDepths)
    if architectures.contains(.cnnGap), !runs.contains(reference) {
      runs.insert(reference, at: runs.firstIndex { $0.architecture == .cnnGap } ?? runs.count)
    }
    return runs
  }

  /// Loads the data (the largest counts any architecture needs) and runs the experiment.
  ///
  /// - Throws: `ProbeError.invalidOption` for an empty or out-of-range axis, data-set and
  ///   kernel errors.
  /// - Complexity: per architecture, sum over W^2 and depths of one n x n and one m x n
  ///   kernel evaluation (see `Architecture.kernels`) plus (1 + times) n^3 eigensolves.
  public func run(progress: (String) -> Void = { _ in }) throws -> DepthResults {
    try validate()
    let data = try ExperimentData.load(
      dataSet, size: size, trainCount: runs.map(\.counts.train).max() ?? 1,
      testCount: runs.map(\.counts.test).max() ?? 1)
    return try run(train: data.train, test: data.test, progress: progress)
  }

  /// Runs the experiment on the given images, each run on the first images of its counts.
  public func run(
    train: LabelledImages, test: LabelledImages, progress: (String) -> Void = { _ in }
  ) throws -> DepthResults {
    try validate()
    var records: [DepthRecord] = []
    var scales: [DepthScaleRecord] = []
    for run in runs {
      let (architecture, counts) = (run.architecture, run.counts)
      guard counts.train <= train.count, counts.test <= test.count else {
        throw ProbeError.tooFewImages(
          "\(architecture) needs \(counts.train) train and \(counts.test) test images; "
            + "got \(train.count) and \(test.count)")
      }
      let trainSet = try train.prefix(counts.train)
      let testSet = try test.prefix(counts.test)
      for weightVariance in weightVariances {
        let start = Date()
        var hits = 0
        let analysis = try DepthAnalysis(
          activation: activation, weightVariance: weightVariance, biasVariance: biasVariance)
        scales.append(DepthScaleRecord(architecture: architecture, analysis: analysis))
        for depth in run.depths {
          let kernel: any KernelFunction = try analysis.architecture(architecture, depth: depth)
          let gram: PoolGram
          if let cache {
            let key = KernelCacheKey(
              description: "\(kernel); no action", pool: trainSet.images, test: testSet.images)
            let (entry, outcome) = try cache.entry(key, report: progress) {
              try PoolGram(kernel: kernel, pool: trainSet.images, test: testSet.images)
            }
            gram = entry
            if outcome == .hit { hits += 1 }
          } else {
            gram = try PoolGram(kernel: kernel, pool: trainSet.images, test: testSet.images)
          }
          let point = try Self.evaluate(
            trainTrain: gram.trainTrain.ntk, testTrain: gram.testTrain.ntk, train: trainSet,
            test: testSet,
            times: times)
          for (time, accuracy) in zip(times, point.accuracies) {
            records.append(
              DepthRecord(
                architecture: architecture.rawValue, trainCount: counts.train,
                testCount: counts.test, weightVariance: weightVariance,
                biasVariance: biasVariance, depth: depth, time: time,
                conditionNumber: point.lambdaMin > 0
                  ? point.lambdaMax / point.lambdaMin : .infinity,
                lambdaMax: point.lambdaMax, lambdaMin: point.lambdaMin,
                trainAccuracy: accuracy.train, testAccuracy: accuracy.test))
          }
        }
        progress(
          String(
            format: "%@ %@ W^2 = %g (%@): %d depths on %d + %d images in %.1f s%@",
            architecture.rawValue, activation.rawValue, weightVariance, analysis.phase.rawValue,
            run.depths.count, counts.train, counts.test, Date().timeIntervalSince(start),
            cache == nil ? "" : ", \(hits) of \(run.depths.count) kernels read from the cache"))
      }
    }
    return DepthResults(
      activation: activation.rawValue, biasVariance: biasVariance, dataSet: dataSet.rawValue,
      size: size,
      records: records, scales: scales)
  }

  // MARK: - One point

  /// The train-train NTK's extreme eigenvalues and, for every time, the train and test
  /// accuracies of the gradient-flow predictor with eta = n k / lambda_max, from the train-train
  /// and test-train NTK matrices.
  ///
  /// - Throws: kernel and linear-algebra errors, `ProbeError.invalidOption` for a kernel whose
  ///   largest eigenvalue is not positive.
  /// - Complexity: (1 + times.count) eigendecompositions of n x n.
  static func evaluate(
    trainTrain: Matrix, testTrain: Matrix, train: LabelledImages, test: LabelledImages,
    times: [Double]
  ) throws -> (lambdaMax: Double, lambdaMin: Double, accuracies: [(train: Double, test: Double)]) {
    let values = try trainTrain.symmetricEigen().values
    let lambdaMax = values.last ?? 0
    guard lambdaMax > 0 else {
      throw ProbeError.invalidOption(
        "the NTK's largest eigenvalue is \(lambdaMax); nothing can be learned")
    }
    let stacked = try Matrix(
      rows: train.count + test.count, columns: train.count,
      storage: trainTrain.storage + testTrain.storage)
    let targets = train.centredOneHotTargets
    let rate = Double(train.count * train.classCount) / lambdaMax
    var accuracies: [(train: Double, test: Double)] = []
    for time in times {
      let predictions = try KernelRegression.gradientFlow(
        trainTrain: trainTrain, testTrain: stacked, targets: targets, time: time,
        learningRate: rate)
      accuracies.append(
        (
          accuracy(predictions, rows: 0..<train.count, labels: train.labels),
          accuracy(predictions, rows: train.count..<(train.count + test.count), labels: test.labels)
        ))
    }
    return (lambdaMax, values.first ?? 0, accuracies)
  }

  /// The fraction of `rows` whose largest entry is in the column of their label (ties go to
  /// the first column, so a constant predictor scores the first class's frequency).
  static func accuracy(_ predictions: Matrix, rows: Range<Int>, labels: [Int]) -> Double {
    var correct = 0
    for (offset, row) in rows.enumerated() {
      var best = 0
      for column in 1..<predictions.columns where predictions[row, column] > predictions[row, best]
      {
        best = column
      }
      if best == labels[offset] { correct += 1 }
    }
    return Double(correct) / Double(max(1, rows.count))
  }

  private func validate() throws {
    guard !runs.isEmpty else { throw ProbeError.invalidOption("no architectures given") }
    // At W^2 = 0 every layer ignores its input: all kernel entries are equal, the NTK matrix is
    // singular and its eigen-decomposition has nothing to resolve.
    guard !weightVariances.isEmpty, weightVariances.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw ProbeError.invalidOption(
        "weight variances \(weightVariances) must be a non-empty list of finite values > 0 "
          + "(at W^2 = 0 every layer ignores its input)")
    }
    guard biasVariance.isFinite, biasVariance >= 0 else {
      throw ProbeError.invalidOption("the bias variance \(biasVariance) must be finite and >= 0")
    }
    for run in runs where run.depths.isEmpty || run.depths.contains(where: { $0 < 1 }) {
      throw ProbeError.invalidOption(
        "depths \(run.depths) must be a non-empty list of integers >= 1")
    }
    guard !times.isEmpty, times.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw ProbeError.invalidOption("times \(times) must be a non-empty list of finite values > 0")
    }
    for run in runs where run.counts.train < 1 || run.counts.test < 1 {
      throw ProbeError.tooFewImages(
        "every architecture needs at least one train and one test image")
    }
  }
}
