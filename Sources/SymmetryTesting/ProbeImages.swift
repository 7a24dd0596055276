/// The train and test images an expectation measures a learner on, and how to name comparable
/// images in a reproduce command.
///
/// The default, `standard`, is 4 train and 2 test seeded standard-normal images of 6 x 6 pixels
/// with 2 channels: two channels so that channel actions are not the identity, and 6 x 6 rather
/// than 4 x 4 because a 2 x 2 patch shuffle of a 4 x 4 image permutes only a 2 x 2 grid of
/// patches, and most such permutations are translations or flips, genuine symmetries of local
/// kernels. Kernel probes on these images cost milliseconds.
public struct ProbeImages: Sendable, CustomStringConvertible {
  /// Training images X.
  public let train: ImageBatch
  /// Test images X*.
  public let test: ImageBatch
  /// Where the images come from, in words.
  public let description: String
  /// The options of `symmetry-probe table` and `train` that select comparable images: the tool
  /// reads data sets only, so for random or your own images these name as many CIFAR-10 images
  /// at the tool's default size.
  let toolOptions: String

  /// Your own images, of one shape; throws `ProbeError.mismatch` when the shapes differ and
  /// `.tooFewImages` for an empty set.
  public init(train: ImageBatch, test: ImageBatch, description: String = "your images")
    throws(ProbeError)
  {
    try self.init(
      train: train, test: test, description: description,
      toolOptions: "--train \(train.count) --test \(test.count)")
  }

  private init(train: ImageBatch, test: ImageBatch, description: String, toolOptions: String)
    throws(ProbeError)
  {
    guard train.shape == test.shape else {
      throw .mismatch("train images are \(train.shape) but test images are \(test.shape)")
    }
    guard train.count > 0, test.count > 0 else {
      throw .tooFewImages("an invariance expectation needs at least one train and one test image")
    }
    self.train = train
    self.test = test
    self.description = description
    self.toolOptions = toolOptions
  }

  /// `train` + `test` seeded standard-normal images of `shape`, drawn from `seed` and `seed + 1`.
  public static func random(
    _ shape: ImageShape, train: Int = 4, test: Int = 2, seed: UInt64 = 100
  ) throws(ProbeError) -> ProbeImages {
    guard train > 0, test > 0 else {
      throw .tooFewImages(
        "random probe images need at least one train and one test image, got \(train) and \(test)")
    }
    return try ProbeImages(
      train: gaussianBatch(shape, count: train, seed: seed),
      test: gaussianBatch(shape, count: test, seed: seed &+ 1),
      description:
        "\(train) train and \(test) test standard-normal images of \(shape), seed \(seed)",
      toolOptions: "--train \(train) --test \(test)")
  }

  /// 4 train and 2 test standard-normal images of 6 x 6 x 2 (see the type's comment).
  public static let standard: ProbeImages = try! random(
    try! ImageShape(height: 6, width: 6, channels: 2))

  /// The first `train` training and `test` test images of a bundled data set, average-pooled to
  /// `size` x `size` (CIFAR-10 has 3 channels, digits 1).
  public static func dataSet(
    _ dataSet: DataSet = .cifar10, size: Int = 8, train: Int = 8, test: Int = 4
  ) throws -> ProbeImages {
    let data = try ExperimentData.load(dataSet, size: size, trainCount: train, testCount: test)
    return try ProbeImages(
      train: data.train.images, test: data.test.images,
      description:
        "the first \(train) train and \(test) test \(dataSet.rawValue) images at \(size) x \(size)",
      toolOptions: "--dataset \(dataSet.rawValue) --size \(size) --train \(train) --test \(test)")
  }

  /// Seeded standard-normal targets, one row per training image: invariance is a property of
  /// the learner for every training set, so any targets test it.
  func randomTargets(outputs: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    return try! Matrix(
      rows: train.count, columns: outputs, storage: generator.gaussians(train.count * outputs))
  }
}

/// `count` seeded standard-normal images of `shape`.
func gaussianBatch(_ shape: ImageShape, count: Int, seed: UInt64) throws(ProbeError) -> ImageBatch {
  var generator = SeededGenerator(seed: seed)
  do {
    return try ImageBatch(shape: shape, values: generator.gaussians(count * shape.dimension))
  } catch {
    throw .invalidOption("cannot make \(count) images of \(shape): \(error)")
  }
}
