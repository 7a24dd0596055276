import Foundation
import Symmetries

/// Images with one class label each, and the names of the classes.
///
/// Invariants, checked on construction: one label per image, every label in
/// 0..<classNames.count.
public struct LabelledImages: Sendable, Equatable {
  /// The images, NHWC float64.
  public let images: ImageBatch
  /// The class of image i, in 0..<classNames.count.
  public let labels: [Int]
  /// Class names; label i names class `classNames[i]`.
  public let classNames: [String]

  /// Labelled images; throws on a count mismatch or a label out of range.
  public init(images: ImageBatch, labels: [Int], classNames: [String]) throws(DataFileError) {
    guard images.count == labels.count else {
      throw .labelCountMismatch(images: images.count, labels: labels.count)
    }
    if let index = labels.firstIndex(where: { !(0..<classNames.count).contains($0) }) {
      throw .labelOutOfRange(index: index, label: labels[index], classCount: classNames.count)
    }
    self.images = images
    self.labels = labels
    self.classNames = classNames
  }

  /// The number of labelled images.
  public var count: Int { labels.count }

  /// The number of classes k.
  public var classCount: Int { classNames.count }

  /// How many images carry each label, indexed by label.
  public var labelCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// The same labels with other images (e.g. preprocessed ones) of the same count.
  public func replacingImages(_ newImages: ImageBatch) throws(DataFileError) -> LabelledImages {
    try LabelledImages(images: newImages, labels: labels, classNames: classNames)
  }
}

// MARK: - Raw files

extension LabelledImages {
  /// How the elements of a raw image file are stored.
  public enum RawElement: Sendable {
    /// One unsigned byte per value (`.u8` files).
    case uint8
    /// IEEE 754 binary32, little-endian (`.f32` files).
    case float32

    /// Bytes per value.
    public var byteCount: Int { self == .uint8 ? 1 : 4 }
  }

  /// Reads the fixture layout: a headerless N x H x W x C image file, a file of one uint8
  /// label per image, and a `classes.txt` with one class name per line (line i = label i).
  ///
  /// N is the image file's size divided by H * W * C * elementSize.
  ///
  /// - Throws: `DataFileError.sizeNotMultiple` for a file that is not a whole number of images,
  ///   `.labelCountMismatch`, `.labelOutOfRange`, `.nonFiniteValue`, and file errors.
  /// - Complexity: O(N * H * W * C).
  public init(
    rawImagesAt imagesURL: URL, labelsAt labelsURL: URL, classNamesAt classesURL: URL,
    shape: ImageShape, element: RawElement
  ) throws(DataFileError) {
    let classNames = try LabelledImages.readClassNames(classesURL)
    let imageData = try DataFile.read(imagesURL)
    let itemBytes = shape.dimension * element.byteCount
    guard imageData.count % itemBytes == 0 else {
      throw .sizeNotMultiple(path: imagesURL.path, bytes: imageData.count, itemBytes: itemBytes)
    }
    let labels = try DataFile.read(labelsURL).map(Int.init)
    guard imageData.count / itemBytes == labels.count else {
      throw .labelCountMismatch(images: imageData.count / itemBytes, labels: labels.count)
    }
    let images: ImageBatch
    do {
      images = try ImageBatch(
        shape: shape, values: LabelledImages.decode(imageData, element: element))
    } catch .nonFiniteValue(let index, let value) {
      throw .nonFiniteValue(index: index, value: value)
    } catch {
      // The size check above makes the values fill whole images.
      throw .wrongShape(
        expected: "whole \(shape) images", actual: [imageData.count / element.byteCount])
    }
    try self.init(images: images, labels: labels, classNames: classNames)
  }

  /// The non-empty lines of a class-names file, without line terminators.
  static func readClassNames(_ url: URL) throws(DataFileError) -> [String] {
    let text = String(decoding: try DataFile.read(url), as: UTF8.self)
    var names = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.hasSuffix("\r") ? $0.dropLast() : $0)
    }
    while names.last?.isEmpty == true { names.removeLast() }
    return names
  }

  /// The values of a raw image file as float64.
  ///
  /// - Complexity: O(data.count).
  static func decode(_ data: Data, element: RawElement) -> [Double] {
    let count = data.count / element.byteCount
    return data.withUnsafeBytes { bytes in
      [Double](unsafeUninitializedCapacity: count) { output, initialized in
        switch element {
        case .uint8:
          for i in 0..<count { output[i] = Double(bytes[i]) }
        case .float32:
          for i in 0..<count {
            let raw = bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
            output[i] = Double(Float(bitPattern: UInt32(littleEndian: raw)))
          }
        }
        initialized = count
      }
    }
  }
}
