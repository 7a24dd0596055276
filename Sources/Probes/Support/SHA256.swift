/// The SHA-256 digest (FIPS 180-4), used to check data-set files against their READMEs and the
/// inputs and blocks of a sharded kernel plan.
///
/// Message schedule W_t = sigma1(W_{t-2}) + W_{t-7} + sigma0(W_{t-15}) + W_{t-16}; 64 rounds per
/// 64-byte block with the standard constants K_t (fractional parts of the cube roots of the
/// first 64 primes). Reference: NIST FIPS 180-4, "Secure Hash Standard", 2015.
enum SHA256 {
  static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1,
    0x923f_82a4, 0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3,
    0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786,
    0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147,
    0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13,
    0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a,
    0x5b9c_ca4f, 0x682e_6ff3, 0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208,
    0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  static let initialState: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c,
    0x1f83_d9ab, 0x5be0_cd19,
  ]

  /// The digest of `bytes` as 64 lowercase hexadecimal digits.
  ///
  /// - Complexity: O(bytes.count).
  static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String {
    var hasher = Hasher()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// An incremental digest: feed the message in pieces of any size, then finalize once.
  ///
  /// Holds one partial block, so hashing a file chunk by chunk needs O(chunk) memory whatever
  /// the file's size; the digest equals `hexDigest(of:)` of the concatenated pieces.
  struct Hasher {
    private var state = SHA256.initialState
    private var schedule = [UInt32](repeating: 0, count: 64)
    /// Bytes not yet compressed: always fewer than 64.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    /// Appends `bytes` to the message.
    /// - Complexity: O(bytes.count).
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
      length &+= UInt64(bytes.count)
      var start = 0
      if !pending.isEmpty {
        let taken = min(64 - pending.count, bytes.count)
        pending.append(contentsOf: bytes[0..<taken])
        start = taken
        guard pending.count == 64 else { return }
        let block = pending
        block.withUnsafeBytes { compressBlock($0) }
        pending.removeAll(keepingCapacity: true)
      }
      let wholeBlocks = (bytes.count - start) / 64
      for block in 0..<wholeBlocks {
        let offset = start + block * 64
        compressBlock(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 64)]))
      }
      pending.append(contentsOf: bytes[(start + wholeBlocks * 64)...])
    }

    /// The digest of everything appended, as 64 lowercase hexadecimal digits.
    /// - Complexity: O(1).
    func finalize() -> String {
      var copy = self
      // Padding: a 1 bit, zeros, then the message length in bits, big-endian, filling one or
      // two final blocks.
      var tail = pending
      tail.append(0x80)
      while tail.count % 64 != 56 { tail.append(0) }
      let bitLength = length &* 8
      for k in (0..<8).reversed() {
        tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(k))))
      }
      tail.withUnsafeBytes { padded in
        for block in 0..<(padded.count / 64) {
          copy.compressBlock(
            UnsafeRawBufferPointer(rebasing: padded[(block * 64)..<(block * 64 + 64)]))
        }
      }
      return copy.state.map { word in
        let digits = String(word, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
      }.joined()
    }

    private mutating func compressBlock(_ block: UnsafeRawBufferPointer) {
      state.withUnsafeMutableBufferPointer { h in
        schedule.withUnsafeMutableBufferPointer { w in SHA256.compress(block, h, w) }
      }
    }
  }

  /// One application of the compression function to a 64-byte block.
  @inline(__always)
  static func compress(
    _ block: UnsafeRawBufferPointer, _ h: UnsafeMutableBufferPointer<UInt32>,
    _ w: UnsafeMutableBufferPointer<UInt32>
  ) {
    for t in 0..<16 {
      w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
    }
    for t in 16..<64 {
      let s0 = rotate(w[t - 15], 7) ^ rotate(w[t - 15], 18) ^ (w[t - 15] >> 3)
      let s1 = rotate(w[t - 2], 17) ^ rotate(w[t - 2], 19) ^ (w[t - 2] >> 10)
      w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
    }
    var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
    roundConstants.withUnsafeBufferPointer { k in
      for t in 0..<64 {
        let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
        let choice = (e & f) ^ (~e & g)
        let temp1 = hh &+ sum1 &+ choice &+ k[t] &+ w[t]
        let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let temp2 = sum0 &+ majority
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
      }
    }
    h[0] &+= a
    h[1] &+= b
    h[2] &+= c
    h[3] &+= d
    h[4] &+= e
    h[5] &+= f
    h[6] &+= g
    h[7] &+= hh
  }

  @inline(__always)
  static func rotate(_ x: UInt32, _ k: UInt32) -> UInt32 {
    (x >> k) | (x << (32 - k))
  }
}
