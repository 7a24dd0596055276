import Foundation
import Learners
import Symmetries

/// The learning-curve experiment: kernel regression (t = infinity) with each architecture and
/// kernel, on real images, with group actions on the data and on the model, over a doubling grid
/// of training-set sizes, repeated over random training subsets and group draws.
///
/// Repeat r draws one training subset and one element of every action from seeds that depend
/// only on (seed, r), so all learners in a repeat see the same images and the same g (paired
/// comparisons). Training subsets are nested: size m is the first m images of the repeat's
/// largest subset, so one kernel per (learner, action, repeat) serves every m. With `finite`
/// set, finite networks trained by SGD join as learners on the same subsets and draws.
public struct LearningCurveExperiment: Sendable {
  public var dataSet = DataSet.cifar10
  /// Side of the images after average pooling (nil keeps the native size).
  public var size: Int? = 8
  public var architectures: [NamedArchitecture] = NamedArchitecture.allCases
  public var activation = Activation.relu
  public var depth = 2
  public var kinds: [KernelKind] = KernelKind.allCases
  public var dataActions: [CurveAction] = [.none]
  public var modelActions: [ModelAction] = []
  /// Monte Carlo draws for `orthogonalSymmetrisation`.
  public var symmetrisationDraws = 4
  /// Training-set sizes, ascending.
  public var trainSizes: [Int] = [16, 32, 64, 128]
  /// A cap on the training-set size for CNN-GAP, whose kernel costs O((H W)^2) per pair.
  public var gapMaxTrainSize: Int? = nil
  public var testCount = 100
  public var repeats = 2
  /// Ridge relative to the mean diagonal (neural-tangents' diag_reg); keeps the Cholesky
  /// factorisation of nearly singular kernels (e.g. FCN at large m) stable.
  public var diagReg = 1e-6
  public var seed: UInt64 = 0
  /// Finite networks trained by SGD on the same subsets and group draws (nil: kernels only).
  public var finite: FiniteCurveExperiment? = nil

  public init() {}

  /// The largest training-set size this architecture runs at.
  func maxTrainSize(_ architecture: NamedArchitecture) -> Int {
    let largest = trainSizes.last ?? 0
    if architecture == .cnnGap, let cap = gapMaxTrainSize { return min(cap, largest) }
    return largest
  }

  /// Runs every curve.
  /// - Parameter progress: a line per (learner, action, repeat).
  public func run(progress: (String) -> Void = { _ in }) throws -> LearningCurves {
    guard let largest = trainSizes.last, trainSizes.allSatisfy({ $0 > 0 }),
      trainSizes == trainSizes.sorted()
    else {
      throw ProbeError.invalidOption("training-set sizes must be positive and ascending, got \(trainSizes)")
    }
    guard repeats > 0 else { throw ProbeError.invalidOption("repeats must be positive, got \(repeats)") }
    try finite?.validate(dataActions: dataActions)
    let poolSize = dataSet == .cifar10 ? 5000 : 1797 - testCount
    guard largest <= poolSize else {
      throw ProbeError.tooFewImages("\(dataSet.rawValue) has \(poolSize) training images; \(largest) requested")
    }
    let data = try ExperimentData.load(dataSet, size: size, trainCount: poolSize, testCount: testCount)
    let shape = data.train.images.shape
    let testTargets = data.test.centredOneHotTargets

    // Per repeat: the training subset and one element of every data action, shared by all learners.
    var subsets: [LabelledImages] = []
    var elements: [[(any GroupAction)?]] = []
    for r in 0..<repeats {
      var generator = SeededGenerator(seed: seed &+ UInt64(r) &* 0x9E37_79B9)
      subsets.append(try data.train.randomSubset(count: largest, using: &generator))
      elements.append(
        try dataActions.map { action in
          try action.family?.element(for: shape, parameters: action.parameters, using: &generator)
        })
    }

    var records: [Measurement] = []
    for architecture in architectures {
      let base = try architecture.architecture(depth: depth, activation: activation)
      let maxM = maxTrainSize(architecture)
      let sizes = trainSizes.filter { $0 <= maxM }
      var conditions: [(action: String, actedOn: ActedOn, kernel: any KernelFunction, element: Int?)] =
        dataActions.enumerated().map { ($1.description, .data, base, $0) }
      for modelAction in modelActions where modelAction.architectures.contains(architecture) {
        let kernel: any KernelFunction
        switch modelAction {
        case .translationAverage:
          kernel = GroupAveragedKernel.overTranslations(base, shape: shape)
        case .orthogonalSymmetrisation:
          kernel = try SymmetrisedKernel.monteCarlo(
            base, family: OrthogonalFamily(), shape: shape, draws: symmetrisationDraws,
            seed: seed &+ 77)
        }
        conditions.append((modelAction.actionName, .model, kernel, nil))
      }
      for condition in conditions {
        for r in 0..<repeats {
          let start = Date()
          let subset = subsets[r]
          var train = try subset.images.selecting(0..<maxM)
          var test = data.test.images
          if let index = condition.element, let g = elements[r][index] {
            train = try g.apply(to: train)
            test = try g.apply(to: test)
          }
          let trainTrain = try condition.kernel.kernels(train, nil)
          let testTrain = try condition.kernel.kernels(test, train)
          let targets = try subset.prefix(maxM).centredOneHotTargets
          for kind in kinds {
            for m in sizes {
              let prediction = try KernelRegression.posteriorMean(
                trainTrain: kind.matrix(of: trainTrain).leadingBlock(rows: m, columns: m),
                testTrain: kind.matrix(of: testTrain).leadingBlock(rows: testCount, columns: m),
                targets: targets.leadingBlock(rows: m, columns: targets.columns),
                diagReg: diagReg)
              records.append(
                Measurement(
                  key: CurveKey(
                    architecture: architecture.rawValue, kernel: CurveKernel(kind), action: condition.action,
                    actedOn: condition.actedOn),
                  trainSize: m, repeat: r,
                  accuracy: accuracy(prediction, labels: data.test.labels),
                  mse: meanSquaredError(prediction, testTargets)))
            }
          }
          progress(
            String(
              format: "%@ %@ (%@), repeat %d/%d, m <= %d: %.1f s", architecture.rawValue,
              condition.action, condition.actedOn.rawValue, r + 1, repeats, maxM,
              Date().timeIntervalSince(start)))
        }
      }
    }
    if let finite {
      records += try finite.measure(
        self, test: data.test, subsets: subsets, elements: elements, progress: progress)
    }
    return LearningCurves(dataset: dataSet.rawValue, shape: shape, measurements: records)
  }
}

/// One repeat's measurement at one size.
struct Measurement: Sendable {
  var key: CurveKey
  var trainSize: Int
  var `repeat`: Int
  var accuracy: Double
  var mse: Double
  /// The training-set MSE of a finite network after training; nil for kernel regression.
  var trainMSE: Double? = nil
}

extension Matrix {
  /// The top-left rows x columns block.
  func leadingBlock(rows: Int, columns: Int) -> Matrix {
    var block = Matrix(rows: rows, columns: columns)
    for i in 0..<rows {
      for j in 0..<columns { block.storage[i * columns + j] = storage[i * self.columns + j] }
    }
    return block
  }
}

/// The fraction of rows whose largest entry is at the label's column.
func accuracy(_ predictions: Matrix, labels: [Int]) -> Double {
  var correct = 0
  for i in 0..<predictions.rows {
    var best = 0
    for j in 1..<predictions.columns where predictions[i, j] > predictions[i, best] { best = j }
    if best == labels[i] { correct += 1 }
  }
  return Double(correct) / Double(predictions.rows)
}

/// The mean over all entries of (prediction - target)^2.
func meanSquaredError(_ predictions: Matrix, _ targets: Matrix) -> Double {
  var sum = 0.0
  for (p, t) in zip(predictions.storage, targets.storage) { sum += (p - t) * (p - t) }
  return sum / Double(predictions.storage.count)
}
