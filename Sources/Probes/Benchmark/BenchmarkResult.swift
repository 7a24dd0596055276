/// One workload's measurement: our time, rate and memory, and the project's straightforward
/// reference implementation measured in the same run.
public struct BenchmarkResult: Sendable, Codable {
  public var workload: String
  /// Median wall-clock seconds of the fast path at the full size.
  public var seconds: Double
  public var rate: Double
  /// `image pairs/s` or `GFLOP/s`.
  public var rateUnit: String
  /// Peak resident memory while the workload ran (Linux VmHWM after a reset), or nil where the
  /// platform cannot tell.
  public var peakMemoryBytes: Int?
  /// The reference path's time at the full size, extrapolated from its rate on `referenceSize`
  /// (its cost per pair or per flop does not depend on n); nil for a workload without one.
  public var referenceSeconds: Double?
  /// The size the reference was run at.
  public var referenceSize: Int?
  /// rate / reference rate.
  public var speedupVsReference: Double?

  enum CodingKeys: String, CodingKey {
    case workload, seconds, rate
    case rateUnit = "rate_unit"
    case peakMemoryBytes = "peak_memory_bytes"
    case referenceSeconds = "reference_seconds"
    case referenceSize = "reference_size"
    case speedupVsReference = "speedup_vs_reference"
  }

  /// Encodes every key, writing null where a workload has no reference.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(workload, forKey: .workload)
    try container.encode(seconds, forKey: .seconds)
    try container.encode(rate, forKey: .rate)
    try container.encode(rateUnit, forKey: .rateUnit)
    try container.encode(peakMemoryBytes, forKey: .peakMemoryBytes)
    try container.encode(referenceSeconds, forKey: .referenceSeconds)
    try container.encode(referenceSize, forKey: .referenceSize)
    try container.encode(speedupVsReference, forKey: .speedupVsReference)
  }
}
