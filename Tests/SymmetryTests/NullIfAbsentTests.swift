import Foundation
import Probes
import Testing

@Suite("Report JSON keeps every key")
struct NullIfAbsentTests {
  @Test("A benchmark row without a reference encodes its reference keys as null, not absent")
  func benchmarkNulls() throws {
    let row = Data(
      #"{"workload": "train", "seconds": 2.5, "rate": 400, "rate_unit": "images/s"}"#.utf8)
    let decoded = try JSONDecoder().decode(BenchmarkResult.self, from: row)
    #expect(decoded.referenceSeconds == nil && decoded.peakMemoryBytes == nil)
    let encoded = try JSONEncoder().encode(decoded)
    let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "workload", "seconds", "rate", "rate_unit", "peak_memory_bytes", "reference_seconds",
        "reference_size", "speedup_vs_reference", "arithmetic_limit_seconds",
        "fraction_of_arithmetic_limit", "peak_gflops", "claims_gap_pool_seconds",
        "neural_tangents_seconds", "speedup_vs_neural_tangents",
      ])
    for key in [
      "peak_memory_bytes", "reference_seconds", "reference_size", "speedup_vs_reference",
      "arithmetic_limit_seconds", "fraction_of_arithmetic_limit", "peak_gflops",
      "claims_gap_pool_seconds", "neural_tangents_seconds", "speedup_vs_neural_tangents",
    ] {
      #expect(object[key] is NSNull, "\(key)")
    }
  }

  @Test("A present value encodes as itself and survives a round trip; null decodes as nil")
  func roundTrip() throws {
    let row = Data(
      #"{"workload": "gemm", "seconds": 1, "rate": 20, "rate_unit": "GFLOP/s", "peak_memory_bytes": null, "reference_seconds": 30, "reference_size": 512, "speedup_vs_reference": 30}"#
        .utf8)
    let decoded = try JSONDecoder().decode(BenchmarkResult.self, from: row)
    #expect(
      decoded.referenceSeconds == 30 && decoded.referenceSize == 512
        && decoded.peakMemoryBytes == nil)
    let again = try JSONDecoder().decode(
      BenchmarkResult.self, from: try JSONEncoder().encode(decoded))
    #expect(again.speedupVsReference == 30 && again.peakMemoryBytes == nil)
  }
}
