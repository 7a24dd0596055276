import Foundation

/// A seeded pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The integer stream is a pure function of the seed, identical on every platform and for
/// every thread count (there is no global generator; each computation owns its own).
/// Uniform doubles use the top 53 bits: u = (next() >> 11) * 2^-53, in [0, 1).
/// Gaussian draws use the Box–Muller transform on two uniforms, z = sqrt(-2 log u1) cos(2 pi u2),
/// keeping the spare sine draw so that two Gaussians cost one pair of uniforms.
///
/// Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2021).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)
  private var spareGaussian: Double?

  /// A generator whose stream is determined by `seed` alone.
  public init(seed: UInt64) {
    var splitMix = SplitMix64(state: seed)
    state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  /// A uniform draw from [0, 1) with 53 random bits.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal draw (mean 0, variance 1).
  public mutating func gaussian() -> Double {
    if let spare = spareGaussian {
      spareGaussian = nil
      return spare
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let radius = (-2 * log(1 - uniform())).squareRoot()
    let angle = 2 * Double.pi * uniform()
    spareGaussian = radius * sin(angle)
    return radius * cos(angle)
  }

  /// `count` independent standard normal draws.
  ///
  /// Throws when `count` is negative, without advancing the stream.
  public mutating func gaussians(_ count: Int) throws(LinearAlgebraError) -> [Double] {
    guard count >= 0 else {
      throw .invalidArgument("\(count) Gaussian draws cannot be made; pass a count of at least 0")
    }
    return gaussians(uncheckedCount: count)
  }

  /// `gaussians(_:)` for the package's own callers, whose count is a validated size.
  package mutating func gaussians(uncheckedCount count: Int) -> [Double] {
    precondition(count >= 0, "internal: gaussians(uncheckedCount:) needs a count of at least 0")
    return (0..<count).map { _ in gaussian() }
  }

  /// An independent generator for a sub-task, derived from this one's stream.
  ///
  /// Used to give each parallel work item its own stream, so results do not depend on how
  /// items are scheduled over threads.
  public mutating func split() -> SeededGenerator {
    SeededGenerator(seed: next())
  }

  /// A uniformly random permutation of 0..<count (Fisher–Yates with unbiased bounded draws).
  ///
  /// Throws when `count` is negative (there is no permutation of a negative number of
  /// items), without advancing the stream.
  public mutating func permutation(_ count: Int) throws(LinearAlgebraError) -> [Int] {
    guard count >= 0 else {
      throw .invalidArgument("0..<\(count) is not a range to permute; pass a count of at least 0")
    }
    return permutation(uncheckedCount: count)
  }

  /// `permutation(_:)` for the package's own callers, whose count is a validated size.
  package mutating func permutation(uncheckedCount count: Int) -> [Int] {
    precondition(count >= 0, "internal: permutation(uncheckedCount:) needs a count of at least 0")
    var result = Array(0..<count)
    if count < 2 { return result }
    for i in stride(from: count - 1, to: 0, by: -1) {
      let j = Int(bounded(uncheckedBound: UInt64(i + 1)))
      result.swapAt(i, j)
    }
    return result
  }

  /// A uniform integer in 0..<bound (Lemire's nearly-divisionless method), platform-independent.
  ///
  /// Throws when `bound` is 0 (0..<0 holds no integer), without advancing the stream.
  public mutating func bounded(_ bound: UInt64) throws(LinearAlgebraError) -> UInt64 {
    guard bound > 0 else {
      throw .invalidArgument("0..<0 holds no integer to draw; pass a bound of at least 1")
    }
    return bounded(uncheckedBound: bound)
  }

  /// `bounded(_:)` for the package's own callers, whose bound is positive by construction
  /// (a draw inside a shuffle's loop, where a check per draw would be wasted).
  package mutating func bounded(uncheckedBound bound: UInt64) -> UInt64 {
    precondition(bound > 0, "internal: bounded(uncheckedBound:) needs a positive bound")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }
}

/// SplitMix64, used only to expand a 64-bit seed into xoshiro's 256-bit state.
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
