import Symmetries

/// Everything that determines a pool Gram entry, and the name of its file.
///
/// The key is the learner's kernel (its layer list, which carries every kernel parameter) and
/// the condition it is run under (a data action and its group element, or a model action with
/// its draws and seed), plus the SHA-256 digest of the exact input images: the pool and the test
/// set after preprocessing (data set, image size, standardisation) and after the data action.
/// Two entries that agree on all of it are the same numbers; anything that changes an input bit
/// changes the digest, so a stale entry can never be found under a new key.
public struct KernelCacheKey: Sendable, Hashable {
  /// The kernel and condition in words, stored in the entry and shown in reports.
  public var description: String
  /// SHA-256 of the shapes and float64 bytes of the pool and the test images.
  public var inputDigest: String

  /// The key of the kernel and condition `description` on the images `pool` and `test`.
  public init(description: String, pool: ImageBatch, test: ImageBatch) {
    self.description = description
    var hasher = SHA256.Hasher()
    for batch in [pool, test] {
      let header = [batch.count, batch.shape.height, batch.shape.width, batch.shape.channels].map {
        UInt64($0).littleEndian
      }
      header.withUnsafeBytes { hasher.update($0) }
      batch.values.withUnsafeBytes { hasher.update($0) }
    }
    inputDigest = hasher.finalize()
  }

  /// The text stored at the head of the entry and compared on every read.
  var text: String { "kernel: \(description)\ninputs: \(inputDigest)" }

  /// The entry's file name: the first 128 bits of SHA-256 of `text`, in hexadecimal.
  var fileName: String {
    let bytes = Array(text.utf8)
    let digest = bytes.withUnsafeBytes { SHA256.hexDigest(of: $0) }
    return String(digest.prefix(32)) + ".gram"
  }
}
