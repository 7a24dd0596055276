/// The JSON manifest of a kernel plan (`plan.json`), as written and read.
///
/// Everything a shard or the assembler needs is here; the architecture's layer list is its
/// complete setting (every filter size, padding and standard deviation is explicit in it), and
/// `settingsHash` digests every setting that changes a block's values or layout.
struct PlanManifest: Codable, Equatable {
  /// One input batch, copied into the plan folder as float64 `.npy`.
  struct Input: Codable, Equatable {
    /// The file's name inside the plan folder.
    var file: String
    /// The SHA-256 of the whole file.
    var sha256: String
    /// The number of images.
    var count: Int
  }

  /// One block: a row range against a column range, as half-open [lower, upper) pairs.
  struct Block: Codable, Equatable {
    var index: Int
    var rows: [Int]
    var columns: [Int]
    var file: String
  }

  /// Names the file type, so a stray JSON file is not mistaken for a plan.
  var format: String
  var formatVersion: Int
  /// The architecture in the layer-list syntax of `Architecture(parsing:)`.
  var architecture: String
  /// [H, W, C].
  var imageShape: [Int]
  var rowCount: Int
  var columnCount: Int
  /// Whether the plan is one batch against itself (upper-triangle blocks only).
  var symmetric: Bool
  var blockSize: Int
  var settingsHash: String
  /// The shard rule in words, for a person reading the file.
  var shardRule: String
  /// One entry (n x n) or two (n1 x n2).
  var inputs: [Input]
  var blocks: [Block]

  static let formatName = "symmetry-probes kernel plan"
  static let shardRuleText = "block b belongs to shard b % N of N"
}
