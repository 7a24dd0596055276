import CheckerSupport
import Foundation
import Learners
import Symmetries
import SymmetryTesting
import Testing

/// Wall-clock medians of the issue-6 workloads, printed, never asserted. Runs only with
/// SYMMETRY_PROBES_BENCH=1 (repeats from SYMMETRY_PROBES_BENCH_REPEATS, default 3):
/// `SYMMETRY_PROBES_BENCH=1 swift test -c release --filter KernelEngineBench`.
@Suite(
  "KernelEngineBench: issue-6 workloads",
  .enabled(if: ProcessInfo.processInfo.environment["SYMMETRY_PROBES_BENCH"] == "1"))
struct KernelEngineBench {
  private static let repeats =
    Int(ProcessInfo.processInfo.environment["SYMMETRY_PROBES_BENCH_REPEATS"] ?? "") ?? 3
  private static let only = ProcessInfo.processInfo.environment["SYMMETRY_PROBES_BENCH_ONLY"]

  private static let workloads:
    [(name: String, program: KernelProgram, shape: ImageShape, count: Int)] = {
      let gap = engineProgram(.cnnGap, depth: 3, activation: .relu)
      let vec = engineProgram(.cnnVec, depth: 3, activation: .relu)
      let fcn = engineProgram(.fcn, depth: 3, activation: .relu)
      return [
        ("gap8", gap, shape(8, 8, 1), 256), ("gap16", gap, shape(16, 16, 3), 128),
        ("vec8", vec, shape(8, 8, 1), 256), ("vec16", vec, shape(16, 16, 3), 128),
        ("fcn", fcn, shape(28, 28, 1), 2048),
      ]
    }()

  @Test("Print the median NNGP + NTK train-train time of each workload on 1 and 2 threads")
  func timeWorkloads() throws {
    for (name, program, shape, count) in Self.workloads where Self.only == nil || Self.only == name
    {
      var generator = SeededGenerator(seed: 2024)
      let batch = try ImageBatch(
        shape: shape, values: (0..<(count * shape.dimension)).map { _ in generator.gaussian() })
      var line = "\(name) (n = \(count), \(shape)):"
      for threads in [1, 2] {
        let engine = try KernelEngine(program: program, threads: threads)
        var seconds: [Double] = []
        var processorSeconds: [Double] = []
        for _ in 0..<Self.repeats {
          let startProcessor = Self.processorTime()
          let start = ContinuousClock.now
          let result = try engine.kernels(batch)
          let elapsed = ContinuousClock.now - start
          processorSeconds.append(Self.processorTime() - startProcessor)
          #expect(result.nngp.storage.allSatisfy { $0.isFinite })
          seconds.append(
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        seconds.sort()
        processorSeconds.sort()
        // CPU time is reported too: on a shared machine it moves less than wall time.
        line += String(
          format: "  %d thread(s) wall median %.3f s (min %.3f, max %.3f), CPU median %.3f s",
          threads,
          seconds[seconds.count / 2], seconds.first!, seconds.last!,
          processorSeconds[processorSeconds.count / 2])
      }
      print(line)
    }
  }

  /// CPU seconds used by this process so far (all threads).
  private static func processorTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }

  @Test("Print the largest deviations from the neural-tangents reference")
  func printReferenceDeviations() throws {
    var worst = (nngp: 0.0, ntk: 0.0, diagonal: 0.0)
    for reference in KernelEngineReference.all {
      let deviations = reference.deviations(
        of: try KernelEngine(program: reference.program).kernels(reference.batch))
      worst = (
        max(worst.nngp, deviations.nngp), max(worst.ntk, deviations.ntk),
        max(worst.diagonal, deviations.reluNTKDiagonal)
      )
    }
    print(
      "reference: max NNGP deviation \(worst.nngp), max NTK deviation (off ReLU diagonals) \(worst.ntk), max ReLU NTK diagonal \(worst.diagonal)"
    )
  }
}
