import Foundation
import Learners
import Symmetries

/// The learning-curve experiment: kernel regression (t = infinity) with each architecture and
/// kernel, on real images, with group actions on the data and on the model, over a doubling grid
/// of training-set sizes, repeated over random training subsets.
///
/// The pooled design. A training set is an index set into the training pool (the whole
/// training split, or `poolSize` images of it): repeat r orders the pool by a permutation drawn
/// from (seed, r) (with a chosen pool, the first half of the order from the first half of the
/// pool and the rest from the second half, so that sizes up to M / 2 need only half the pool's
/// Gram), and size m takes the first m images of that order, so the training sets of a
/// repeat are nested and all learners of a repeat see the same images (paired comparisons).
/// Each data action draws one group element g from the seed, shared by every repeat and learner.
/// Each learner's kernel is then computed once per condition (data action or model action) over
/// the union U of the images its repeats use, plus the test set, and every (repeat, size) is a
/// slice of that one pool Gram; learners with equal kernels (LCN and CNN-VEC) share one matrix,
/// and with `cache` set the matrices are kept on disk and a rerun recomputes nothing.
///
/// What a fresh g per repeat would cost: one pool Gram per (condition, repeat) instead of one per
/// condition, each over that repeat's own images (the cost of the unpooled design); the claims
/// are therefore about one fixed random g, as docs/design.md states them ("a fixed random orthogonal
/// map of the data"), with repeats measuring the spread over training subsets.
///
/// Cost against computing each repeat separately: the pool Gram costs U^2 / 2 + T U kernel
/// entries, the separate design R (m^2 / 2 + T m); with U close to R m (few repeats drawn from a
/// large split) pooling costs up to R / 2 times more on the train-train block, and with a pool
/// small enough that the repeats overlap (`poolSize` about 2 m) it costs a fixed amount however
/// many repeats there are.
public struct LearningCurveExperiment: Sendable {
  /// How training sets are drawn from the training split.
  public enum Subsets: String, Sendable, CaseIterable {
    /// Seeded random orders of the pool, one per repeat.
    case random
    /// The first m images in file order: one repeat (neural-tangents' tutorial protocol).
    case first
  }

  /// Which images give the per-channel statistics that standardise train and test images.
  public enum Standardisation: String, Sendable, CaseIterable {
    /// The whole training pool (the default: every repeat and size sees the same preprocessing,
    /// and no statistic depends on which images a repeat drew).
    case pool
    /// The images the run trains on: the union of all repeats' largest training sets (with
    /// `first`, the first M images, as neural-tangents' tutorial does).
    case train
  }

  /// The data set the curves are measured on.
  public var dataSet = DataSet.cifar10
  /// Side of the images after average pooling (nil keeps the native size).
  public var size: Int? = 8
  /// The architectures whose kernels are measured.
  public var architectures: [NamedArchitecture] = NamedArchitecture.allCases
  /// The activation of every hidden layer.
  public var activation = Activation.relu
  /// The number of hidden layers.
  public var depth = 2
  /// The kernels regressed with (NNGP, NTK).
  public var kinds: [KernelKind] = KernelKind.allCases
  /// The actions applied to the data (`none` for natural images).
  public var dataActions: [CurveAction] = [.none]
  /// The actions applied to the model instead (group-averaged or symmetrised kernels).
  public var modelActions: [ModelAction] = []
  /// Monte Carlo draws for `orthogonalSymmetrisation`.
  public var symmetrisationDraws = 4
  /// Training-set sizes, ascending.
  public var trainSizes: [Int] = [16, 32, 64, 128]
  /// A cap on the training-set size for CNN-GAP, whose kernel costs O((H W)^2) per pair.
  public var gapMaxTrainSize: Int? = nil
  /// The first `testCount` images of the test split.
  public var testCount = 100
  /// The number of paired repeats (training orders) per size.
  public var repeats = 2
  /// How the training subsets are drawn.
  public var subsets = Subsets.random
  /// The training pool: this many images of the training split drawn by the seed, or the whole
  /// split (nil). A smaller pool makes the repeats overlap, which makes the pool Gram cheaper and
  /// the repeats' spread conditional on the pool.
  public var poolSize: Int? = nil
  /// Which images' statistics standardise the data.
  public var standardiseBy = Standardisation.pool
  /// Ridge relative to the mean diagonal (neural-tangents' diag_reg). 1e-6 keeps the Cholesky
  /// factorisation of nearly singular kernels (FCN at large m) stable while changing the
  /// predictor by far less than the spread between training subsets; the report's ridge
  /// sensitivity line shows how much it matters.
  public var diagReg = 1e-6
  /// Ridges at which the natural-image curves are also measured, at every size
  /// (`LearningCurves.ridgeSensitivity`), from the same pool Grams.
  public var sensitivityRidges: [Double] = []
  /// The seed of the pool, the training orders and the group elements.
  public var seed: UInt64 = 0
  /// Where pool Grams are kept between runs (nil: computed every run, shared within it).
  public var cache: KernelCache? = nil
  /// Finite networks trained by SGD on the same subsets and group draws (nil: kernels only).
  public var finite: FiniteCurveExperiment? = nil

  /// The default experiment: CIFAR-10 at 8 x 8, every architecture, depth 2, ReLU, 2 repeats.
  public init() {}

  /// The largest training-set size this architecture runs at.
  func maxTrainSize(_ architecture: NamedArchitecture) -> Int {
    let largest = trainSizes.last ?? 0
    if architecture == .cnnGap, let cap = gapMaxTrainSize { return min(cap, largest) }
    return largest
  }

  /// The architecture whose kernel this one's equals exactly: CNN-VEC's flatten readout sums
  /// the per-location covariances, so weight sharing does not enter its kernel, which is LCN's.
  static func kernelTwin(_ architecture: NamedArchitecture) -> NamedArchitecture {
    architecture == .cnnVec ? .lcn : architecture
  }

  /// The pool and each repeat's training order (indices into the training split, `largest` each).
  func trainingOrders(splitCount: Int, largest: Int) throws -> (pool: [Int], orders: [[Int]]) {
    let poolCount = poolSize ?? splitCount
    guard poolCount <= splitCount, largest <= poolCount,
      poolSize == nil || (largest + 1) / 2 <= poolCount / 2
    else {
      throw ProbeError.tooFewImages(
        "\(dataSet.rawValue) has \(splitCount) training images and the pool \(poolCount); "
          + "\(largest) requested: lower --max-train or raise --pool")
    }
    switch subsets {
    case .first:
      guard repeats == 1 else {
        throw ProbeError.invalidOption(
          "--subsets first has exactly one training set per size; use --repeats 1 (got \(repeats))")
      }
      return (Array(0..<poolCount), [Array(0..<largest)])
    case .random:
      var poolGenerator = SeededGenerator(seed: seed &+ 0x9001)
      let pool =
        poolSize == nil
        ? Array(0..<splitCount)
        : poolGenerator.permutation(uncheckedCount: splitCount).prefix(poolCount).sorted()
      let orders = (0..<repeats).map { r -> [Int] in
        var generator = SeededGenerator(seed: seed &+ UInt64(r) &* 0x9E37_79B9)
        guard poolSize != nil else {
          return generator.permutation(uncheckedCount: pool.count).prefix(largest).map { pool[$0] }
        }
        // A chosen pool is split in halves: the first half of every order comes from the first
        // half of the pool, the rest from the second. Sizes up to M / 2 (CNN-GAP's cap in the
        // claims) then use only the first half, whose Gram is a quarter of the pool's.
        let half = pool.count / 2
        let early = (largest + 1) / 2
        let first = generator.permutation(uncheckedCount: half).prefix(early).map { pool[$0] }
        let second = generator.permutation(uncheckedCount: pool.count - half).prefix(
          largest - early
        ).map { pool[half + $0] }
        return first + second
      }
      return (pool, orders)
    }
  }

  /// The pool and every repeat's training order that a run uses (indices into the training
  /// split; size m is the first m of an order).
  public func trainingOrders() throws -> (pool: [Int], orders: [[Int]]) {
    let splitCount = dataSet == .cifar10 ? 5000 : 1797 - testCount
    return try trainingOrders(splitCount: splitCount, largest: trainSizes.last ?? 0)
  }

  /// Runs every curve.
  /// - Parameter progress: a line per (kernel, condition) and for every cache problem found.
  public func run(progress: (String) -> Void = { _ in }) throws -> LearningCurves {
    guard let largest = trainSizes.last, trainSizes.allSatisfy({ $0 > 0 }),
      trainSizes == trainSizes.sorted()
    else {
      throw ProbeError.invalidOption(
        "training-set sizes must be positive and ascending, got \(trainSizes)")
    }
    guard repeats > 0 else {
      throw ProbeError.invalidOption("repeats must be positive, got \(repeats)")
    }
    guard diagReg.isFinite, diagReg >= 0, sensitivityRidges.allSatisfy({ $0.isFinite && $0 >= 0 })
    else {
      throw ProbeError.invalidOption(
        "ridges must be finite and non-negative, got \(diagReg) and \(sensitivityRidges)")
    }
    guard testCount > 0, testCount <= (dataSet == .cifar10 ? 1000 : 1797) else {
      throw ProbeError.invalidOption(
        "the test set must have between 1 and the split's images, got \(testCount)")
    }
    try finite?.validate(dataActions: dataActions, experimentSizes: Set(trainSizes))
    let splitCount = dataSet == .cifar10 ? 5000 : 1797 - testCount
    let (pool, orders) = try trainingOrders(splitCount: splitCount, largest: largest)
    let used = Set(orders.joined()).sorted()
    let data = try ExperimentData.load(
      dataSet, size: size, trainCount: splitCount, testCount: testCount,
      statisticsFrom: standardiseBy == .pool ? pool : used)
    let shape = data.train.images.shape
    let testTargets = data.test.centredOneHotTargets

    // One element of every data action, shared by all repeats and learners.
    var elementGenerator = SeededGenerator(seed: seed &+ 0xE1E_3E47)
    let elements: [(any GroupAction)?] = try dataActions.map { action in
      try action.family?.element(
        for: shape, parameters: action.parameters, using: &elementGenerator)
    }

    var records: [NamedArchitecture: [Measurement]] = [:]
    var sensitivity: [RidgeSensitivity] = []
    var twins: [NamedArchitecture] = []
    for architecture in architectures where !twins.contains(Self.kernelTwin(architecture)) {
      twins.append(Self.kernelTwin(architecture))
    }
    // The expected cost of every condition (kernel entries times the work per entry), for an
    // estimate of the time left: CNN-GAP's entries cost a sum over all pixel pairs (about H W
    // times a per-pixel kernel's), a Monte Carlo symmetrisation one Gram per draw, a
    // translation average one per translation.
    let pixels = Double(shape.height * shape.width)
    func entries(_ maxM: Int) -> Double {
      let u = Double(Set(orders.flatMap { $0.prefix(maxM) }).count)
      return u * (u + 1) / 2 + Double(testCount) * u
    }
    func weight(_ twin: NamedArchitecture, _ model: ModelAction?) -> Double {
      let members = architectures.filter { Self.kernelTwin($0) == twin }
      let perEntry = twin == .cnnGap ? pixels : 1
      let repeatsOfKernel: Double
      switch model {
      case nil: repeatsOfKernel = 1
      case .translationAverage: repeatsOfKernel = pixels
      case .orthogonalSymmetrisation: repeatsOfKernel = Double(symmetrisationDraws)
      }
      return entries(maxTrainSize(members[0])) * perEntry * repeatsOfKernel
    }
    // The estimate uses each kernel's own measured seconds per unit of work once it has one
    // (the model above is only a guess at the ratios between kernels), else the run's average.
    var remainingWeight: [NamedArchitecture: Double] = [:]
    for twin in twins {
      let members = architectures.filter { Self.kernelTwin($0) == twin }
      remainingWeight[twin] = Double(dataActions.count) * weight(twin, nil)
      for model in modelActions where members.contains(where: { model.architectures.contains($0) })
      {
        remainingWeight[twin]! += weight(twin, model)
      }
    }
    let totalWeight = remainingWeight.values.reduce(0, +)
    var doneWeight = 0.0
    var spent: [NamedArchitecture: (seconds: Double, weight: Double)] = [:]
    let runStart = Date()

    for twin in twins {
      let members = architectures.filter { Self.kernelTwin($0) == twin }
      let base = try twin.architecture(depth: depth, activation: activation)
      let maxM = maxTrainSize(members[0])
      let sizes = trainSizes.filter { $0 <= maxM }
      let union = Set(orders.flatMap { $0.prefix(maxM) }).sorted()
      var position: [Int: Int] = [:]
      for (p, i) in union.enumerated() { position[i] = p }
      let poolImages = data.train.images.selecting(uncheckedIndices: union)
      var conditions:
        [(
          action: String, actedOn: ActedOn, kernel: any KernelFunction, key: String, element: Int?,
          members: [NamedArchitecture], weight: Double
        )] =
          dataActions.enumerated().map { index, action in
            (
              action.description, .data, base, "\(base); data action \(action) (seed \(seed))",
              index, members,
              weight(twin, nil)
            )
          }
      for modelAction in modelActions {
        let applies = members.filter { modelAction.architectures.contains($0) }
        guard !applies.isEmpty else { continue }
        let kernel: any KernelFunction
        let key: String
        switch modelAction {
        case .translationAverage:
          kernel = GroupAveragedKernel.overTranslations(base, shape: shape)
          key = "\(base); model action translation-average"
        case .orthogonalSymmetrisation:
          kernel = try SymmetrisedKernel.monteCarlo(
            base, family: OrthogonalFamily(), shape: shape, draws: symmetrisationDraws,
            seed: seed &+ 77)
          key =
            "\(base); model action orthogonal-symmetrisation, \(symmetrisationDraws) draws, seed \(seed &+ 77)"
        }
        conditions.append(
          (modelAction.actionName, .model, kernel, key, nil, applies, weight(twin, modelAction)))
      }
      for condition in conditions {
        let start = Date()
        var train = poolImages
        var test = data.test.images
        if let index = condition.element, let g = elements[index] {
          train = try g.apply(to: train)
          test = try g.apply(to: test)
        }
        let cacheKey = KernelCacheKey(description: condition.key, pool: train, test: test)
        let gram: PoolGram
        var how = "computed"
        if let cache {
          let (entry, outcome) = try cache.entry(cacheKey, report: progress) {
            try PoolGram(kernel: condition.kernel, pool: train, test: test)
          }
          gram = entry
          how = outcome == .hit ? "read from the cache" : "computed and cached"
        } else {
          gram = try PoolGram(kernel: condition.kernel, pool: train, test: test)
        }
        let computed = Date().timeIntervalSince(start)
        for (r, order) in orders.enumerated() {
          let indices = order.prefix(maxM).map { position[$0]! }
          let labels = order.prefix(maxM).map { data.train.labels[$0] }
          let targets = try Matrix.centredOneHot(labels: labels, classCount: data.train.classCount)
          for kind in kinds {
            let (trainTrain, testTrain) = gram.slice(kind, indices: indices)
            func measure(_ m: Int, ridge: Double) throws -> (accuracy: Double, mse: Double) {
              let prediction = try KernelRegression.posteriorMean(
                trainTrain: trainTrain.leadingBlock(rows: m, columns: m),
                testTrain: testTrain.leadingBlock(rows: testCount, columns: m),
                targets: targets.leadingBlock(rows: m, columns: targets.columns),
                diagReg: ridge)
              return (
                accuracy(prediction, labels: data.test.labels),
                meanSquaredError(prediction, testTargets)
              )
            }
            for m in sizes {
              let result = try measure(m, ridge: diagReg)
              for member in condition.members {
                records[member, default: []].append(
                  Measurement(
                    key: CurveKey(
                      architecture: member.rawValue, kernel: CurveKernel(kind),
                      action: condition.action,
                      actedOn: condition.actedOn),
                    trainSize: m, repeat: r, accuracy: result.accuracy, mse: result.mse))
              }
              // Natural images at every sensitivity ridge and size, so that the natural-image
              // claims (accuracy differences and exponents) can be decided at each ridge.
              guard condition.action == "none", condition.actedOn == .data else { continue }
              for ridge in sensitivityRidges {
                let other = ridge == diagReg ? result : try measure(m, ridge: ridge)
                for member in condition.members {
                  sensitivity.append(
                    RidgeSensitivity(
                      architecture: member.rawValue, kernel: CurveKernel(kind), trainSize: m,
                      ridge: ridge,
                      repeat: r, accuracy: other.accuracy, mse: other.mse))
                }
              }
            }
          }
        }
        doneWeight += condition.weight
        remainingWeight[twin]! -= condition.weight
        spent[twin, default: (0, 0)].seconds += Date().timeIntervalSince(start)
        spent[twin, default: (0, 0)].weight += condition.weight
        let average = Date().timeIntervalSince(runStart) / doneWeight
        let left = remainingWeight.reduce(0.0) { sum, entry in
          let rate = spent[entry.key].map { $0.seconds / $0.weight } ?? average
          return sum + max(entry.value, 0) * rate
        }
        progress(
          String(
            format:
              "%@ %@ (%@): pool Gram of %d + %d test images %@ in %.1f s, %d repeats solved in %.1f s; "
              + "%.0f%% of the kernel work done, about %@ left",
            condition.members.map(\.rawValue).joined(separator: " = "), condition.action,
            condition.actedOn.rawValue, union.count, testCount, how, computed, orders.count,
            Date().timeIntervalSince(start) - computed, 100 * doneWeight / totalWeight,
            duration(left)))
      }
    }
    var measurements = architectures.flatMap { records[$0] ?? [] }
    if let finite {
      let subsets = orders.map { data.train.subset($0) }
      measurements += try finite.measure(
        self, test: data.test, subsets: subsets,
        elements: Array(repeating: elements, count: orders.count), progress: progress)
    }
    return LearningCurves(
      dataset: dataSet.rawValue, shape: shape, measurements: measurements,
      ridgeSensitivity: sensitivity)
  }
}

/// "12 s", "4 min 5 s" or "1 h 3 min".
func duration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
  if s < 60 { return "\(s) s" }
  if s < 3600 { return "\(s / 60) min \(s % 60) s" }
  return "\(s / 3600) h \(s % 3600 / 60) min"
}

/// One repeat's natural-image test accuracy and MSE at one size and one ridge.
public struct RidgeSensitivity: Sendable, Hashable, Codable {
  /// The architecture's catalogue name.
  public var architecture: String
  /// The kernel regressed with.
  public var kernel: CurveKernel
  /// The training-set size m.
  public var trainSize: Int
  /// The ridge, relative to the mean diagonal.
  public var ridge: Double
  /// The repeat (training order) index.
  public var `repeat`: Int
  /// The test accuracy.
  public var accuracy: Double
  /// The test MSE.
  public var mse: Double

  enum CodingKeys: String, CodingKey {
    case architecture, kernel, ridge, accuracy, mse
    case trainSize = "train_size"
    case `repeat` = "repeat"
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
  /// The optimiser steps a finite network took; nil for kernel regression.
  var steps: Int? = nil
}

extension Matrix {
  /// The top-left rows x columns block.
  func leadingBlock(rows: Int, columns: Int) -> Matrix {
    var block = Matrix(uncheckedRows: rows, columns: columns)
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
