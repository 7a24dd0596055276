import Symmetries

/// The mean and standard deviation of each channel over every pixel of every image of a batch.
///
/// mu_c = (1 / nP) sum_{i, p} x_{i p c};  sigma_c = sqrt((1 / nP) sum_{i, p} (x_{i p c} - mu_c)^2)
/// (the population standard deviation, as in the published CIFAR-10 normalisation constants),
/// computed in two passes for accuracy.
public struct ChannelStatistics: Sendable, Equatable {
  /// mu_c for each channel c.
  public let means: [Double]
  /// sigma_c for each channel c.
  public let standardDeviations: [Double]

  /// The statistics of `batch` (typically a training split, then applied to its test split).
  ///
  /// - Throws: `SymmetryError.invalidShape` for an empty batch.
  /// - Complexity: O(n * d).
  public init(of batch: ImageBatch) throws(SymmetryError) {
    guard batch.count > 0 else {
      throw .invalidShape("channel statistics need at least one image; the batch is empty")
    }
    let channels = batch.shape.channels
    var sums = [Double](repeating: 0, count: channels)
    var squares = [Double](repeating: 0, count: channels)
    let pixels = batch.values.count / channels
    batch.values.withUnsafeBufferPointer { x in
      sums.withUnsafeMutableBufferPointer { mu in
        squares.withUnsafeMutableBufferPointer { s in
          for p in 0..<pixels {
            for c in 0..<channels { mu[c] += x[p * channels + c] }
          }
          for c in 0..<channels { mu[c] /= Double(pixels) }
          for p in 0..<pixels {
            for c in 0..<channels {
              let deviation = x[p * channels + c] - mu[c]
              s[c] += deviation * deviation
            }
          }
        }
      }
    }
    means = sums
    standardDeviations = squares.map { ($0 / Double(pixels)).squareRoot() }
  }
}

extension ImageBatch {
  /// Each channel shifted and scaled by the given statistics: x_{ipc} -> (x_{ipc} - mu_c) / sigma_c.
  ///
  /// A channel with sigma_c = 0 is constant and is only centred (divided by 1), as
  /// scikit-learn's `StandardScaler` does.
  ///
  /// - Throws: `SymmetryError.invalidParameter` when the statistics have another channel count.
  /// - Complexity: O(n * d).
  public func standardised(by statistics: ChannelStatistics) throws(SymmetryError) -> ImageBatch {
    let channels = shape.channels
    guard statistics.means.count == channels, statistics.standardDeviations.count == channels else {
      throw .invalidParameter(
        "the statistics have \(statistics.means.count) channels but the images have \(channels); "
          + "compute them on images of the same shape")
    }
    let means = statistics.means
    let divisors = statistics.standardDeviations.map { $0 > 0 ? $0 : 1 }
    let result = values.withUnsafeBufferPointer { x in
      [Double](unsafeUninitializedCapacity: x.count) { output, initialized in
        for i in x.indices { output[i] = (x[i] - means[i % channels]) / divisors[i % channels] }
        initialized = x.count
      }
    }
    return try ImageBatch(shape: shape, values: result)
  }

  /// The batch standardised by its own channel statistics: mean 0 and standard deviation 1 in
  /// every non-constant channel.
  ///
  /// - Complexity: O(n * d).
  public func standardisedPerChannel() throws(SymmetryError) -> ImageBatch {
    try standardised(by: ChannelStatistics(of: self))
  }
}
