/// One workload's measurement: our time, rate and memory, and the project's straightforward
/// reference implementation measured in the same run.
public struct BenchmarkResult: Sendable, Codable {
  /// The workload's `--workload` name.
  public var workload: String
  /// Median wall-clock seconds of the fast path at the full size.
  public var seconds: Double
  /// Work per second of the fast path, in `rateUnit`.
  public var rate: Double
  /// `image pairs/s` or `GFLOP/s`.
  public var rateUnit: String
  /// Peak resident memory while the workload ran (Linux VmHWM after a reset), or nil where the
  /// platform cannot tell.
  @NullIfAbsent public var peakMemoryBytes: Int?
  /// The reference path's time at the full size, extrapolated from its rate on `referenceSize`
  /// (its cost per pair or per flop does not depend on n); nil for a workload without one.
  @NullIfAbsent public var referenceSeconds: Double?
  /// The size the reference was run at.
  @NullIfAbsent public var referenceSize: Int?
  /// rate / reference rate.
  @NullIfAbsent public var speedupVsReference: Double?
  /// The engine's arithmetic (its operations, square roots and divisions, counted from its
  /// source: `KernelEngine.arithmetic(images:shape:)`) at the rates measured on the machine in
  /// the same run (`peakGFLOPS`, the square-root and division rates): the time no
  /// implementation of the same arithmetic could beat. Nil for workloads it is not counted for.
  @NullIfAbsent public var arithmeticLimitSeconds: Double? = nil
  /// arithmeticLimitSeconds / seconds: 1 would be the arithmetic limit.
  @NullIfAbsent public var fractionOfArithmeticLimit: Double? = nil
  /// The measured multiply-add peak of the cores used, GFLOP/s (a fused multiply-add is two).
  @NullIfAbsent public var peakGFLOPS: Double? = nil
  /// For the CNN-GAP workloads: the time the CNN-GAP pool Grams of the claims' design
  /// (`ClaimsGapPool.large`: 8 Grams of 1,024 pool and 1,000 test images) would take at this
  /// workload's image size and rate, seconds; nil for other workloads.
  @NullIfAbsent public var claimsPoolSeconds: Double? = nil
  /// neural-tangents' time for the same workload (its faster machine's figure, fixed: see
  /// `Benchmark.neuralTangentsSeconds`), seconds; nil where it has no counterpart.
  @NullIfAbsent public var neuralTangentsSeconds: Double? = nil
  /// neuralTangentsSeconds / seconds: how many times faster than neural-tangents' figure.
  @NullIfAbsent public var speedupVsNeuralTangents: Double? = nil

  enum CodingKeys: String, CodingKey {
    case workload, seconds, rate
    case rateUnit = "rate_unit"
    case peakMemoryBytes = "peak_memory_bytes"
    case referenceSeconds = "reference_seconds"
    case referenceSize = "reference_size"
    case speedupVsReference = "speedup_vs_reference"
    case arithmeticLimitSeconds = "arithmetic_limit_seconds"
    case fractionOfArithmeticLimit = "fraction_of_arithmetic_limit"
    case peakGFLOPS = "peak_gflops"
    case claimsPoolSeconds = "claims_gap_pool_seconds"
    case neuralTangentsSeconds = "neural_tangents_seconds"
    case speedupVsNeuralTangents = "speedup_vs_neural_tangents"
  }
}
