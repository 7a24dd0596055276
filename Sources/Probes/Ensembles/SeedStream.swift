/// The independent random streams of one finite-invariance experiment, each a tag mixed into
/// the seeds derived from the experiment's seed (`derivedSeed`).
///
/// Why hashed streams and not `seed + 1 + s`: with consecutive seeds, run s of seed 0 and run
/// s - 1 of seed 1 start from the same parameters, so a "second seed" repeats almost every
/// initialisation of the first, and a confirmation at another seed is not independent of the
/// run it confirms.
public enum SeedStream: UInt64, Sendable, CaseIterable {
  /// Run s of the ensemble probe's pairs: the initial parameters theta_s and batch order that
  /// the S arm and every g.S arm of pair s share.
  case pair = 1
  /// Run s of the null arm: S from parameters no pair uses.
  case null = 2
  /// The weight-transport probe's network and batch order, one per group element.
  case transport = 3
  /// The group elements a cell is probed with.
  case element = 4
  /// The held-out training and test images of a confirmation.
  case heldOutTrainImages = 5
  /// The held-out test images of a confirmation.
  case heldOutTestImages = 6
  /// The root of a confirmation run (held-out images): mixed into its seed first, so seed n
  /// held out shares no stream with seed n on the tuning images.
  case confirmation = 7
}

/// The seed of item `index` of `stream` under the experiment seed `seed`: the SplitMix64
/// finaliser applied to (seed, stream, index) in turn.
///
/// Distinct triples give distinct, statistically independent seeds (the finaliser is a
/// bijection of 64-bit words with full avalanche; two triples collide only if the three-step
/// hash does, a chance of about 2^-64 per pair), so no run of one seed shares its
/// initialisation with a run of another seed or another stream.
public func derivedSeed(_ seed: UInt64, stream: SeedStream, index: Int) -> UInt64 {
  var state = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
  state = mix(state ^ (stream.rawValue &* 0xD1B5_4A32_D192_ED03))
  return mix(
    state ^ (UInt64(truncatingIfNeeded: index) &* 0x8CB9_2BA7_2F3D_8DD7 &+ 0x632B_E59B_D9B4_E019))
}

/// The SplitMix64 output function (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", 2014): a bijection of UInt64 with strong avalanche.
private func mix(_ value: UInt64) -> UInt64 {
  var z = value
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
