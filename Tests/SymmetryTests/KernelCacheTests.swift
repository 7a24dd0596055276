import CheckerSupport
import Foundation
import Learners
import Probes
import Symmetries
import SymmetryTesting
import Testing

/// A fresh empty folder for one test.
private func scratchFolder(_ name: String) -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("kernel-cache-\(name)-\(UUID().uuidString)", isDirectory: true)
  try? FileManager.default.removeItem(at: url)
  return url
}

private let pool = randomBatch(shape(4, 4, 2), count: 12, seed: 1)
private let test = randomBatch(shape(4, 4, 2), count: 5, seed: 2)
private let fcn = try! NamedArchitecture.fcn.architecture(depth: 2, activation: .relu)
private let key = KernelCacheKey(description: "FCN depth 2 (test)", pool: pool, test: test)

@Suite("The kernel cache: pool Grams on disk, every bad entry detected and recomputed")
struct KernelCacheTests {
  private func compute() throws -> PoolGram { try PoolGram(kernel: fcn, pool: pool, test: test) }

  @Test("A missing entry is computed and written; the rerun reads the same bits without computing")
  func missThenHit() throws {
    let cache = KernelCache(directory: scratchFolder("hit"))
    let first = try cache.entry(key) { try compute() }
    #expect(first.outcome == .miss)
    var computed = false
    let second = try cache.entry(key) {
      computed = true
      return try compute()
    }
    #expect(second.outcome == .hit && !computed)
    #expect(second.gram == first.gram)
  }

  @Test("Entries of the pool Gram are the kernel of the images they index, whatever the pool")
  func poolEntriesAreSubsetKernels() throws {
    let gram = try compute()
    let indices = [7, 2, 9, 0]
    let direct = try fcn.kernels(pool.selecting(indices), nil)
    let across = try fcn.kernels(test, pool.selecting(indices))
    for kind in KernelKind.allCases {
      let square = kind.matrix(of: gram.trainTrain)
      let rectangle = kind.matrix(of: gram.testTrain)
      expectClose(
        indices.flatMap { i in indices.map { square[i, $0] } }, kind.matrix(of: direct).storage,
        tolerance: 1e-14, "train-train \(kind)")
      expectClose(
        (0..<test.count).flatMap { t in indices.map { rectangle[t, $0] } },
        kind.matrix(of: across).storage,
        tolerance: 1e-14, "test-train \(kind)")
    }
  }

  @Test(
    "A truncated, corrupt, foreign or garbage entry is reported, recomputed and overwritten, never used",
    arguments: ["truncated", "corrupt", "foreign", "garbage"])
  func badEntries(_ damage: String) throws {
    let folder = scratchFolder(damage)
    let cache = KernelCache(directory: folder)
    let good = try cache.entry(key) { try compute() }.gram
    let file = cache.url(for: key)
    var bytes = try Data(contentsOf: file)
    switch damage {
    case "truncated":
      bytes = bytes.prefix(bytes.count - 100)
    case "corrupt":
      // One bit of one matrix entry: the length and key still match, only the checksum can tell.
      bytes[bytes.count - 200] ^= 0x01
    case "foreign":
      // A whole, valid entry computed from other inputs, under this key's name.
      let other = KernelCacheKey(
        description: "FCN depth 2 (test)", pool: try pool.selecting(0..<11), test: test)
      let otherCache = KernelCache(directory: scratchFolder("other"))
      _ = try otherCache.entry(other) {
        try PoolGram(kernel: fcn, pool: pool.selecting(0..<11), test: test)
      }
      bytes = try Data(contentsOf: otherCache.url(for: other))
    default:
      bytes = Data("not a kernel cache entry".utf8)
    }
    try bytes.write(to: file)
    var reports: [String] = []
    var computed = false
    let again = try cache.entry(key, report: { reports.append($0) }) {
      computed = true
      return try compute()
    }
    #expect(again.outcome == .replaced && computed)
    #expect(again.gram == good)
    #expect(reports.count == 1 && reports[0].contains(file.lastPathComponent), "\(reports)")
    let expected = [
      "truncated": "truncated", "corrupt": "checksum", "foreign": "other inputs",
      "garbage": "not a kernel",
    ]
    #expect(reports.first?.contains(expected[damage]!) == true, "\(reports)")
    // The overwritten entry is valid again.
    #expect(
      try cache.entry(key) {
        Issue.record("recomputed a repaired entry")
        return good
      }.outcome == .hit)
  }

  @Test("The key changes with every input bit and with the kernel's description")
  func keysSeparateInputs() {
    var moved = pool.values
    moved[5] = moved[5].nextUp
    let nudged = KernelCacheKey(
      description: key.description, pool: try! ImageBatch(shape: pool.shape, values: moved),
      test: test)
    let renamed = KernelCacheKey(description: "FCN depth 3 (test)", pool: pool, test: test)
    #expect(nudged.inputDigest != key.inputDigest)
    let cache = KernelCache(directory: scratchFolder("keys"))
    #expect(Set([cache.url(for: key), cache.url(for: nudged), cache.url(for: renamed)]).count == 3)
  }

  @Test("An unwritable cache folder is an invalid option, not a crash")
  func unwritable() throws {
    let file = scratchFolder("blocker")
    try Data("x".utf8).write(to: file)
    let cache = KernelCache(directory: file.appendingPathComponent("inside"))
    let error = #expect(throws: ProbeError.self) { try cache.entry(key) { try compute() } }
    let message = error.map { "\($0)" } ?? ""
    #expect(message.contains(file.path) && message.contains("not a folder"), "\(message)")
    #expect(
      !message.contains("NSCocoaErrorDomain") && !message.contains("Error Domain"), "\(message)")
  }
}

@Suite("The pooled learning-curve design")
struct PooledDesignTests {
  private func experiment() -> LearningCurveExperiment {
    var experiment = LearningCurveExperiment()
    experiment.architectures = [.fcn, .lcn, .cnnVec]
    experiment.size = 4
    experiment.trainSizes = [8, 16]
    experiment.testCount = 20
    experiment.repeats = 3
    experiment.poolSize = 40
    experiment.dataActions = [.none, try! CurveAction(parsing: "orthogonal")]
    return experiment
  }

  @Test(
    "LCN and CNN-VEC share one pool Gram per condition, and a warm cache recomputes nothing and gives the same numbers"
  )
  func sharedAndCached() throws {
    var experiment = experiment()
    experiment.cache = KernelCache(directory: scratchFolder("curves"))
    var cold: [String] = []
    let first = try experiment.run { cold.append($0) }
    #expect(cold.filter { $0.contains("pool Gram") }.count == 4, "\(cold)")
    #expect(cold.contains { $0.hasPrefix("LCN = CNN-VEC none") }, "\(cold)")
    var warm: [String] = []
    let second = try experiment.run { warm.append($0) }
    #expect(warm.filter { $0.contains("read from the cache") }.count == 4, "\(warm)")
    #expect(first.points == second.points)
  }

  @Test(
    "With subsets first and standardisation by the training images, the one repeat is the tutorial protocol; more repeats are refused"
  )
  func firstSubsets() throws {
    var experiment = experiment()
    experiment.subsets = .first
    experiment.standardiseBy = .train
    experiment.repeats = 1
    experiment.dataActions = [.none]
    experiment.architectures = [.fcn]
    experiment.kinds = [.nngp]
    let curves = try experiment.run()
    // The same regression done by hand on the first 16 training images, standardised by their
    // own statistics (neural-tangents' tutorial protocol).
    let data = try ExperimentData.load(
      .cifar10, size: 4, trainCount: 5000, testCount: 20, statisticsFrom: Array(0..<16))
    let train = try data.train.prefix(16)
    let kernel = try NamedArchitecture.fcn.architecture(depth: 2, activation: .relu)
    let prediction = try KernelRegression.posteriorMean(
      trainTrain: kernel.kernels(train.images, nil).nngp,
      testTrain: kernel.kernels(data.test.images, train.images).nngp,
      targets: train.centredOneHotTargets, diagReg: experiment.diagReg)
    var correct = 0
    for i in 0..<20 {
      let row = (0..<10).map { prediction[i, $0] }
      if row.firstIndex(of: row.max()!) == data.test.labels[i] { correct += 1 }
    }
    let point = try #require(
      curves.point(
        CurveKey(architecture: "FCN", kernel: .nngp, action: "none", actedOn: .data), trainSize: 16)
    )
    #expect(point.accuracy == Double(correct) / 20)
    experiment.repeats = 2
    #expect(throws: ProbeError.self) { try experiment.run() }
  }

  @Test("Every repeat draws its training sets from the pool, each set nested in the next")
  func repeatsDrawFromThePool() throws {
    var experiment = experiment()
    experiment.repeats = 4
    let orders = try experiment.trainingOrders()
    let pool = Set(orders.pool)
    #expect(orders.pool.count == 40)
    for order in orders.orders {
      #expect(order.count == 16 && Set(order).count == 16 && Set(order).isSubset(of: pool))
    }
    #expect(Set(orders.orders.map { $0 }).count == 4, "repeats differ")
  }

  @Test("A ridge, pool or test count out of range is an invalid option")
  func badProtocol() {
    var experiment = experiment()
    experiment.diagReg = -1
    #expect(throws: ProbeError.self) { try experiment.run() }
    experiment = self.experiment()
    experiment.poolSize = 10
    #expect(throws: ProbeError.self) { try experiment.run() }
    experiment = self.experiment()
    experiment.testCount = 2000
    #expect(throws: ProbeError.self) { try experiment.run() }
  }
}

@Suite("The depth experiment and the kernel cache")
struct DepthCacheTests {
  @Test(
    "A depth rerun with a warm cache reads every kernel from it and gives the same records; another W^2 is a new entry"
  )
  func depthSharesTheCache() throws {
    var experiment = DepthExperiment()
    experiment.runs = [
      DepthExperiment.Run(.fcn, counts: .init(train: 16, test: 16), depths: [1, 3])
    ]
    experiment.weightVariances = [1.0, 2.0]
    experiment.times = [100]
    experiment.size = 4
    experiment.cache = KernelCache(directory: scratchFolder("depth"))
    var cold: [String] = []
    let first = try experiment.run { cold.append($0) }
    #expect(cold.filter { $0.contains("0 of 2 kernels read from the cache") }.count == 2, "\(cold)")
    var warm: [String] = []
    let second = try experiment.run { warm.append($0) }
    #expect(warm.filter { $0.contains("2 of 2 kernels read from the cache") }.count == 2, "\(warm)")
    #expect(first.records == second.records)
    experiment.weightVariances = [1.5]
    var other: [String] = []
    _ = try experiment.run { other.append($0) }
    #expect(other.contains { $0.contains("0 of 2 kernels read from the cache") }, "\(other)")
  }
}
