import Symmetries

/// Which images of a data set an experiment trains and tests on.
///
/// `first` takes the first images of each split, as every experiment did while its rules were
/// being chosen; those images are the *tuning* images. `heldOut(seed:)` draws the training and
/// test images uniformly without replacement, by `seed`, from the images after the tuning pool
/// (`ExperimentData.tuningTrainPool`, `tuningTestPool`), so a confirmation never sees an image
/// the rule was chosen on.
public enum ImageSelection: Sendable, Hashable {
  /// The first images of each split (the tuning images).
  case first
  /// Images drawn by `seed` from after the tuning pools, never seen while tuning.
  case heldOut(seed: UInt64)

  /// Whether the images come from after the tuning pools.
  public var isHeldOut: Bool {
    if case .heldOut = self { return true }
    return false
  }

  /// The indices of `count` images of a split of `total`: the first `count` for `.first`; for
  /// `.heldOut(seed:)`, `count` distinct indices in `pool ..< total` drawn uniformly without
  /// replacement from the seed's `stream`.
  /// - Throws: `ProbeError.tooFewImages` when the split (after the pool) has fewer than `count`.
  public func indices(
    _ count: Int, of total: Int, after pool: Int, stream: SeedStream
  ) throws(ProbeError) -> [Int] {
    switch self {
    case .first:
      guard count <= total else {
        throw .tooFewImages("the split has \(total) images, fewer than the \(count) asked for")
      }
      return Array(0..<count)
    case .heldOut(let seed):
      let rest = total - pool
      guard count <= rest else {
        throw .tooFewImages(
          "held-out images come after the first \(pool) tuning images; \(max(0, rest)) remain, fewer than the \(count) asked for"
        )
      }
      var generator = SeededGenerator(seed: derivedSeed(seed, stream: stream, index: 0))
      return generator.permutation(uncheckedCount: rest).prefix(count).map { pool + $0 }
    }
  }
}
