import Foundation
import Symmetries

/// The real image data sets shipped in `fixtures/`, each with its layout and the sizes and
/// SHA-256 digests recorded in its README.
public enum DataSet: String, CaseIterable, Sendable {
  /// CIFAR-10 subset: train 5,000 and test 1,000 RGB images of 32 x 32, values 0...255.
  case cifar10
  /// scikit-learn digits: split `all`, 1,797 grey images of 8 x 8, values 0...16.
  case digits

  /// How thoroughly `load` checks the files against the README.
  public enum Verification: Sendable {
    /// Whole images, one label per image, labels in range.
    case layout
    /// The layout checks, and each file's size equals the README's.
    case sizes
    /// The size checks, and each file's SHA-256 equals the README's.
    case checksums
  }

  /// The data set called `name` (its raw value, e.g. `cifar10`, `digits`).
  public init(named name: String) throws(DataFileError) {
    guard let dataSet = DataSet(rawValue: name) else {
      throw .unknownDataSet(name: name, known: DataSet.allCases.map(\.rawValue))
    }
    self = dataSet
  }

  /// The folder inside `fixtures/`.
  public var folderName: String {
    switch self {
    case .cifar10: return "cifar10"
    case .digits: return "sklearn-digits"
    }
  }

  /// The split names, e.g. `train` and `test`.
  public var splits: [String] {
    switch self {
    case .cifar10: return ["train", "test"]
    case .digits: return ["all"]
    }
  }

  /// The shape of one image.
  public var imageShape: ImageShape {
    // Constant positive dimensions: cannot throw.
    switch self {
    case .cifar10: return try! ImageShape(height: 32, width: 32, channels: 3)
    case .digits: return try! ImageShape(height: 8, width: 8, channels: 1)
    }
  }

  /// The largest possible pixel value: 255 for CIFAR-10, 16 for the digits (counts of "on"
  /// pixels in a 4 x 4 block).
  public var maximumPixelValue: Double {
    switch self {
    case .cifar10: return 255
    case .digits: return 16
    }
  }

  /// The factor 1 / maximumPixelValue that maps pixels into [0, 1].
  public var unitScale: Double { 1 / maximumPixelValue }

  /// The number of images in `split`, as the README records it.
  public func count(split: String) throws(DataFileError) -> Int {
    try recordedFiles(split: split).labels.bytes
  }

  /// Loads `split` from `folder` (by default `Fixtures.directory/<folderName>`), pixel values
  /// unscaled (see `unitScale`).
  ///
  /// - Throws: `DataFileError.unknownSplit`, every raw-layout error of
  ///   `LabelledImages(rawImagesAt:labelsAt:classNamesAt:shape:element:)`,
  ///   `.unexpectedFileSize` (with `.sizes` or `.checksums`) and `.checksumMismatch`
  ///   (with `.checksums`).
  /// - Complexity: O(N * H * W * C); checksums add a SHA-256 pass over each file (about
  ///   15 MB for the CIFAR-10 training split).
  public func load(
    split: String, from folder: URL? = nil, verification: Verification = .sizes
  ) throws(DataFileError) -> LabelledImages {
    let recorded = try recordedFiles(split: split)
    let directory: URL
    if let folder {
      directory = folder
    } else {
      directory = try Fixtures.directory.appendingPathComponent(folderName, isDirectory: true)
    }
    let imagesURL = directory.appendingPathComponent(recorded.images.name)
    let labelsURL = directory.appendingPathComponent(recorded.labels.name)
    let data = try LabelledImages(
      rawImagesAt: imagesURL, labelsAt: labelsURL,
      classNamesAt: directory.appendingPathComponent("classes.txt"), shape: imageShape,
      element: .uint8)
    guard verification != .layout else { return data }
    // The layout checks already tied the image file's size to the label count, so the label
    // count alone decides whether both sizes match the README.
    guard data.count == recorded.labels.bytes else {
      throw .unexpectedFileSize(
        path: imagesURL.path, expectedBytes: recorded.images.bytes,
        actualBytes: data.count * imageShape.dimension)
    }
    guard verification == .checksums else { return data }
    for (file, url) in [(recorded.images, imagesURL), (recorded.labels, labelsURL)] {
      let digest = try DataFile.read(url).withUnsafeBytes { SHA256.hexDigest(of: $0) }
      guard digest == file.sha256 else {
        throw .checksumMismatch(path: url.path, expected: file.sha256, actual: digest)
      }
    }
    return data
  }

  // MARK: - What the READMEs record

  /// A file's name, size in bytes and SHA-256, copied from the data set's README.
  struct RecordedFile: Sendable {
    let name: String
    let bytes: Int
    let sha256: String
  }

  /// The image and label files of `split`.
  func recordedFiles(split: String) throws(DataFileError) -> (
    images: RecordedFile, labels: RecordedFile
  ) {
    switch (self, split) {
    case (.cifar10, "train"):
      return (
        RecordedFile(
          name: "train-images.u8", bytes: 15_360_000,
          sha256: "c60be474cc3b1f259ec6533177319e08544ec7e5bae0fb92dff084d381b65826"),
        RecordedFile(
          name: "train-labels.u8", bytes: 5_000,
          sha256: "0cbafd4dfb25472c7c0d137ea8e7920f0afa3475882651ef6f8825cb39e748fb")
      )
    case (.cifar10, "test"):
      return (
        RecordedFile(
          name: "test-images.u8", bytes: 3_072_000,
          sha256: "da362006b99671213d1a5d856cab2bedf64d40bad4501630ee60f4ceb2d3ec7f"),
        RecordedFile(
          name: "test-labels.u8", bytes: 1_000,
          sha256: "636a087e604331a0b9dafc94b6e9ade0c9cec72c4400d12473ccdb3e264474c1")
      )
    case (.digits, "all"):
      return (
        RecordedFile(
          name: "all-images.u8", bytes: 115_008,
          sha256: "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"),
        RecordedFile(
          name: "all-labels.u8", bytes: 1_797,
          sha256: "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0")
      )
    default:
      throw .unknownSplit(dataSet: rawValue, split: split, known: splits)
    }
  }
}
