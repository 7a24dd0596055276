import Symmetries

/// Train and test images from a fixture data set, preprocessed the standard way: scaled to
/// [0, 1], average-pooled to `size` x `size`, and standardised per channel with the training
/// images' statistics (applied unchanged to the test images): all `trainCount` of them, or the
/// training images at `statisticsFrom` (e.g. only the images a run trains on, neural-tangents'
/// tutorial protocol).
///
/// CIFAR-10 takes train images from its train split and test images from its test split; the
/// digits, which have a single split, take the first `trainCount` images for training and the
/// next `testCount` for testing. Either way the first images of a split, so runs are
/// reproducible without a seed, unless `selection` asks for held-out images (CIFAR-10 only).
public struct ExperimentData: Sendable {
  /// The CIFAR-10 training images any tuning run may have seen: the first 1,024 of the train
  /// split (the largest `--train` used while the ensemble probe's rule was chosen).
  public static let tuningTrainPool = 1_024
  /// The CIFAR-10 test images any tuning run may have seen: the first 500 of the test split.
  public static let tuningTestPool = 500

  /// The data set the images come from.
  public let dataSet: DataSet
  /// The training images, labels and targets.
  public let train: LabelledImages
  /// The test images, labels and targets.
  public let test: LabelledImages

  /// Loads and preprocesses; throws when the counts exceed the split or `size` does not divide
  /// the native image side.
  /// With `.heldOut(seed:)`, the images are drawn by the seed from CIFAR-10's train split after
  /// its first `tuningTrainPool` images and its test split after its first `tuningTestPool`.
  public static func load(
    _ dataSet: DataSet, size: Int? = nil, trainCount: Int, testCount: Int,
    statisticsFrom indices: [Int]? = nil, selection: ImageSelection = .first
  ) throws -> ExperimentData {
    guard trainCount > 0, testCount > 0 else {
      throw ProbeError.tooFewImages(
        "need at least one train and one test image, got \(trainCount) and \(testCount)")
    }
    let (train, test): (LabelledImages, LabelledImages)
    switch (dataSet, selection) {
    case (.cifar10, .first):
      train = try dataSet.load(split: "train").prefix(trainCount)
      test = try dataSet.load(split: "test").prefix(testCount)
    case (.cifar10, .heldOut):
      let (trainSplit, testSplit) = (
        try dataSet.load(split: "train"), try dataSet.load(split: "test")
      )
      train = trainSplit.subset(
        try selection.indices(
          trainCount, of: trainSplit.count, after: tuningTrainPool, stream: .heldOutTrainImages))
      test = testSplit.subset(
        try selection.indices(
          testCount, of: testSplit.count, after: tuningTestPool, stream: .heldOutTestImages))
    case (.digits, .heldOut):
      throw ProbeError.invalidOption(
        "held-out images are defined for CIFAR-10 only (the digits have no images beyond their tuning ones)"
      )
    case (.digits, .first):
      let all = try dataSet.load(split: "all")
      guard trainCount + testCount <= all.count else {
        throw ProbeError.tooFewImages(
          "the digits have \(all.count) images; \(trainCount) train + \(testCount) test is too many"
        )
      }
      train = try all.prefix(trainCount)
      let rest = Array(trainCount..<(trainCount + testCount))
      test = try LabelledImages(
        images: all.images.selecting(uncheckedIndices: rest), labels: rest.map { all.labels[$0] },
        classNames: all.classNames)
    }
    let native = dataSet.imageShape.height
    let factor: Int
    if let size {
      guard size > 0, native % size == 0 else {
        throw ProbeError.invalidOption(
          "size \(size) must divide the native \(native) x \(native) images (e.g. \(native / 2) or \(native / 4))"
        )
      }
      factor = native / size
    } else {
      factor = 1
    }
    func prepare(_ images: ImageBatch) throws -> ImageBatch {
      let scaled = try images.scaled(by: dataSet.unitScale)
      return factor == 1 ? scaled : try scaled.averagePooled(by: factor)
    }
    let trainImages = try prepare(train.images)
    if let indices, indices.isEmpty || !indices.allSatisfy({ (0..<trainCount).contains($0) }) {
      throw ProbeError.invalidOption(
        "the standardisation images must be a non-empty set of training indices below \(trainCount)"
      )
    }
    let statistics = try ChannelStatistics(
      of: indices.map { trainImages.selecting(uncheckedIndices: $0) } ?? trainImages)
    return ExperimentData(
      dataSet: dataSet,
      train: try train.replacingImages(trainImages.standardised(by: statistics)),
      test: try test.replacingImages(prepare(test.images).standardised(by: statistics)))
  }
}
