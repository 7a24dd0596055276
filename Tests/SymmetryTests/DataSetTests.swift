import Foundation
import Probes
import Symmetries
import Testing

/// Loaded once per test process: the CIFAR-10 training split is 123 MB of float64.
private enum Loaded {
  static let cifarTest = Result { () throws(DataFileError) in
    try DataSet.cifar10.load(split: "test")
  }
  static let cifarTrain = Result { () throws(DataFileError) in
    try DataSet.cifar10.load(split: "train")
  }
  static let digits = Result { () throws(DataFileError) in try DataSet.digits.load(split: "all") }
}

/// Tolerance for sums of a few thousand float64 terms of order 1: a few hundred ulps.
private let summationTolerance = 1e-12

/// How far the 5,000-image training subset's channel means may sit from the published
/// 50,000-image CIFAR-10 means; the subset's sampling error is about 0.004.
private let subsetMeanTolerance = 0.02

/// A fresh copy of the digits fixture files in a temporary folder, for corrupting.
private func copyOfDigits() throws -> URL {
  let source = try Fixtures.url(DataSet.digits.folderName)
  let copy = FileManager.default.temporaryDirectory
    .appendingPathComponent("symmetry-probes-digits-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
  for name in ["all-images.u8", "all-labels.u8", "classes.txt"] {
    try FileManager.default.copyItem(
      at: source.appendingPathComponent(name), to: copy.appendingPathComponent(name))
  }
  return copy
}

/// Replaces `name` in `folder` by its bytes transformed by `change`.
private func rewrite(_ name: String, in folder: URL, _ change: (inout [UInt8]) -> Void) throws {
  let url = folder.appendingPathComponent(name)
  var bytes = [UInt8](try Data(contentsOf: url))
  change(&bytes)
  try Data(bytes).write(to: url)
}

/// The mean of `values`.
private func mean(_ values: some Collection<Double>) -> Double {
  values.reduce(0, +) / Double(values.count)
}

@Suite("Data sets")
struct DataSetTests {
  // MARK: - Loading

  @Test("The CIFAR-10 test split has the README's 1,000 images, label counts and first labels")
  func cifarTest() throws {
    let data = try Loaded.cifarTest.get()
    #expect(data.count == 1_000)
    #expect(data.images.shape == DataSet.cifar10.imageShape)
    #expect(data.classNames.first == "airplane" && data.classNames.last == "truck")
    #expect(data.labelCounts == [103, 89, 100, 103, 90, 86, 112, 102, 106, 109])
    #expect(Array(data.labels.prefix(10)) == [3, 8, 8, 0, 6, 6, 1, 6, 3, 1])
    #expect(data.images.values.min() == 0)
    #expect(data.images.values.max() == 255)
    #expect((100...150).contains(mean(data.images.values)))
  }

  @Test("The CIFAR-10 training split has the README's 5,000 images, label counts and first labels")
  func cifarTrain() throws {
    let data = try Loaded.cifarTrain.get()
    #expect(data.count == 5_000)
    #expect(data.labelCounts == [505, 460, 519, 486, 519, 488, 519, 486, 520, 498])
    #expect(Array(data.labels.prefix(10)) == [6, 9, 9, 4, 1, 1, 2, 7, 8, 3])
  }

  @Test("The CIFAR-10 subset's channel means are near the published CIFAR-10 means")
  func cifarChannelMeans() throws {
    let statistics = try ChannelStatistics(of: Loaded.cifarTrain.get().images)
    let published = [0.49139968, 0.48215841, 0.44653091]
    for c in 0..<3 {
      #expect(
        abs(statistics.means[c] * DataSet.cifar10.unitScale - published[c]) < subsetMeanTolerance)
    }
  }

  @Test("The digits have the README's 1,797 images, label counts, first labels and first image")
  func digits() throws {
    let data = try Loaded.digits.get()
    #expect(data.count == 1_797)
    #expect(data.images.shape == DataSet.digits.imageShape)
    #expect(data.labelCounts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    #expect(Array(data.labels.prefix(12)) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    let firstRows: [Double] = [
      0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0,
    ]
    #expect(Array(data.images.image(0).prefix(24)) == firstRows)
    #expect(data.images.values.min() == 0)
    #expect(data.images.values.max() == 16)
    let scaled = try data.images.scaled(by: DataSet.digits.unitScale)
    #expect(scaled.values.max() == 1)
  }

  @Test("Each catalogue data set knows its splits and counts")
  func catalogue() throws {
    #expect(try DataSet(named: "cifar10") == .cifar10)
    #expect(try DataSet.cifar10.count(split: "train") == 5_000)
    #expect(try DataSet.digits.count(split: "all") == 1_797)
    #expect(throws: DataFileError.unknownDataSet(name: "mnist", known: ["cifar10", "digits"])) {
      try DataSet(named: "mnist")
    }
    #expect(throws: DataFileError.unknownSplit(dataSet: "digits", split: "train", known: ["all"])) {
      try DataSet.digits.load(split: "train")
    }
  }

  @Test("The fixture files match the SHA-256 digests in their READMEs")
  func checksums() throws {
    #expect(throws: Never.self) { try DataSet.digits.load(split: "all", verification: .checksums) }
    #expect(throws: Never.self) {
      try DataSet.cifar10.load(split: "test", verification: .checksums)
    }
  }

  @Test("The fixtures folder is found and holds every catalogue data set")
  func fixturesFolder() throws {
    let folder = try Fixtures.directory
    for dataSet in DataSet.allCases {
      var isDirectory: ObjCBool = false
      let path = folder.appendingPathComponent(dataSet.folderName).path
      #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory))
      #expect(isDirectory.boolValue)
    }
  }

  // MARK: - Damaged copies

  @Test("A truncated image file is not a whole number of images")
  func truncatedImages() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    try rewrite("all-images.u8", in: copy) { $0.removeLast(10) }
    let path = copy.appendingPathComponent("all-images.u8").path
    #expect(throws: DataFileError.sizeNotMultiple(path: path, bytes: 114_998, itemBytes: 64)) {
      try DataSet.digits.load(split: "all", from: copy)
    }
  }

  @Test("An image file one image short of its labels is a count mismatch")
  func missingImage() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    try rewrite("all-images.u8", in: copy) { $0.removeLast(64) }
    #expect(throws: DataFileError.labelCountMismatch(images: 1_796, labels: 1_797)) {
      try DataSet.digits.load(split: "all", from: copy)
    }
  }

  @Test("Consistently shortened files load by layout but fail the recorded sizes")
  func consistentlyShortened() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    try rewrite("all-images.u8", in: copy) { $0.removeLast(64) }
    try rewrite("all-labels.u8", in: copy) { $0.removeLast() }
    #expect(try DataSet.digits.load(split: "all", from: copy, verification: .layout).count == 1_796)
    let path = copy.appendingPathComponent("all-images.u8").path
    #expect(
      throws: DataFileError.unexpectedFileSize(
        path: path, expectedBytes: 115_008, actualBytes: 114_944)
    ) {
      try DataSet.digits.load(split: "all", from: copy)
    }
  }

  @Test("A label beyond classes.txt is out of range")
  func labelOutOfRange() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    try rewrite("all-labels.u8", in: copy) { $0[5] = 10 }
    #expect(throws: DataFileError.labelOutOfRange(index: 5, label: 10, classCount: 10)) {
      try DataSet.digits.load(split: "all", from: copy)
    }
  }

  @Test("A changed pixel fails the checksum but not the size check")
  func changedPixel() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    try rewrite("all-images.u8", in: copy) { $0[100] ^= 1 }
    #expect(throws: Never.self) { try DataSet.digits.load(split: "all", from: copy) }
    #expect {
      try DataSet.digits.load(split: "all", from: copy, verification: .checksums)
    } throws: { error in
      guard let error = error as? DataFileError, case .checksumMismatch = error else {
        return false
      }
      return true
    }
  }

  @Test("A missing labels file is reported as not found")
  func missingLabels() throws {
    let copy = try copyOfDigits()
    defer { try? FileManager.default.removeItem(at: copy) }
    let labels = copy.appendingPathComponent("all-labels.u8")
    try FileManager.default.removeItem(at: labels)
    #expect(throws: DataFileError.fileNotFound(path: labels.path)) {
      try DataSet.digits.load(split: "all", from: copy)
    }
  }

  // MARK: - Preprocessing

  @Test("Average pooling 32 -> 8 preserves every image's mean and equals two 2x poolings")
  func averagePooling() throws {
    let images = try Loaded.cifarTest.get().prefix(20).images.scaled(by: DataSet.cifar10.unitScale)
    let pooled = try images.averagePooled(by: 4)
    #expect(pooled.shape == (try ImageShape(height: 8, width: 8, channels: 3)))
    for i in 0..<images.count {
      #expect(abs(mean(pooled.image(i)) - mean(images.image(i))) < summationTolerance)
    }
    let twice = try images.averagePooled(by: 2).averagePooled(by: 2)
    #expect(zip(twice.values, pooled.values).allSatisfy { abs($0 - $1) < summationTolerance })
    #expect(throws: SymmetryError.patchDoesNotDivide(patch: 3, height: 32, width: 32)) {
      try images.averagePooled(by: 3)
    }
  }

  @Test("Per-channel standardisation gives every channel mean 0 and standard deviation 1")
  func standardisation() throws {
    let images = try Loaded.cifarTest.get().images.scaled(by: DataSet.cifar10.unitScale)
    let standardised = try images.standardisedPerChannel()
    let statistics = try ChannelStatistics(of: standardised)
    for c in 0..<3 {
      #expect(abs(statistics.means[c]) < summationTolerance)
      #expect(abs(statistics.standardDeviations[c] - 1) < summationTolerance)
    }
  }

  @Test("Training statistics applied to test images shift and scale each channel by them")
  func trainStatisticsOnTest() throws {
    let train = try Loaded.digits.get().prefix(1_000).images
    let test = try Loaded.digits.get().images.selecting(1_000..<1_797)
    let statistics = try ChannelStatistics(of: train)
    let standardised = try test.standardised(by: statistics)
    let expected = (test[3, 4, 2, 0] - statistics.means[0]) / statistics.standardDeviations[0]
    #expect(standardised[3, 4, 2, 0] == expected)
    let rgb = try ChannelStatistics(of: Loaded.cifarTest.get().prefix(2).images)
    #expect(throws: SymmetryError.self) { try test.standardised(by: rgb) }
  }

  @Test("Grayscale by channel mean averages the channels; luminance needs RGB")
  func grayscale() throws {
    let images = try Loaded.cifarTest.get().prefix(3).images
    let gray = try images.grayscale()
    #expect(gray.shape == (try ImageShape(height: 32, width: 32, channels: 1)))
    let expected = (images[2, 5, 7, 0] + images[2, 5, 7, 1] + images[2, 5, 7, 2]) / 3
    #expect(abs(gray[2, 5, 7, 0] - expected) < summationTolerance)
    let luma = try images.grayscale(.luminance)
    let weighted =
      0.299 * images[1, 0, 0, 0] + 0.587 * images[1, 0, 0, 1] + 0.114 * images[1, 0, 0, 2]
    #expect(abs(luma[1, 0, 0, 0] - weighted) < summationTolerance)
    #expect(throws: SymmetryError.self) { try Loaded.digits.get().images.grayscale(.luminance) }
  }

  @Test("Centred one-hot rows sum to 0 with 1 - 1/k at the label")
  func centredOneHot() throws {
    let data = try Loaded.digits.get().prefix(50)
    let targets = data.centredOneHotTargets
    #expect(targets.rows == 50 && targets.columns == 10)
    for i in 0..<50 {
      let row = targets.storage[(i * 10)..<(i * 10 + 10)]
      #expect(abs(row.reduce(0, +)) < summationTolerance)
      #expect(targets[i, data.labels[i]] == 1 - 0.1)
    }
    #expect(throws: SymmetryError.self) { try Matrix.centredOneHot(labels: [0, 3], classCount: 3) }
  }

  @Test("Seeded random subsets are reproducible, without repeats, and nested by prefix")
  func randomSubsets() throws {
    let data = try Loaded.digits.get()
    var a = SeededGenerator(seed: 5)
    var b = SeededGenerator(seed: 5)
    let first = try data.randomSubset(count: 100, using: &a)
    let second = try data.randomSubset(count: 100, using: &b)
    #expect(first == second)
    #expect(try first.prefix(10) == second.prefix(10))
    #expect(throws: SymmetryError.self) { try data.prefix(1_798) }
    #expect(throws: SymmetryError.self) { try data.randomSubset(count: -1, using: &a) }
  }

  @Test("A class-balanced subset holds the same number of every class")
  func balancedSubset() throws {
    let data = try Loaded.cifarTest.get()
    var generator = SeededGenerator(seed: 9)
    let subset = try data.classBalancedSubset(perClass: 8, using: &generator)
    #expect(subset.count == 80)
    #expect(subset.labelCounts == [Int](repeating: 8, count: 10))
    #expect(throws: SymmetryError.self) {
      try data.classBalancedSubset(perClass: 87, using: &generator)
    }
  }
}
