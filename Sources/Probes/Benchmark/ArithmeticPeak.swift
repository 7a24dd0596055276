import Dispatch

/// The machine's arithmetic rates on `threads` threads, measured: multiply-adds on the widest
/// vectors the build targets (`PeakVector`: 512-bit with AVX-512, else 256-bit; 10 independent
/// accumulators, enough to fill both pipelines past their latency), and square roots and
/// divisions on 4 independent chains of such vectors each. Measured in the same run as a
/// workload, so other load on the machine slows both alike.
///
/// A Zen 3 core (this project's machine until session 8) retires two 4-lane fused multiply-adds
/// per cycle, 16 operations: 48.8 GFLOP/s per core measured at its 3.05 GHz; a 4-lane square
/// root every 9 cycles and a division every 4.5. The session-9 machine is an Intel Xeon with
/// AVX-512 (family 6 model 207), whose 8-lane multiply-adds double that per cycle.
struct ArithmeticPeak: Sendable {
  /// Floating-point operations per second on all threads (a fused multiply-add is two).
  let operationsPerSecond: Double
  let squareRootsPerSecond: Double
  let divisionsPerSecond: Double

  /// The time `arithmetic` takes at these rates: the multiply-add pipelines and the
  /// divide-and-square-root unit work in parallel, so the slower of the two.
  func seconds(_ operations: Double, squareRoots: Double, divisions: Double) -> Double {
    max(
      operations / operationsPerSecond,
      squareRoots / squareRootsPerSecond + divisions / divisionsPerSecond)
  }

  static func measure(threads: Int) -> ArithmeticPeak {
    let fmaIterations = 20_000_000
    let rootIterations = 2_000_000
    let operations = rate(
      threads: threads, count: Double(fmaIterations * 10 * 2 * PeakVector.scalarCount)
    ) {
      multiplyAdds(fmaIterations)
    }
    let roots = rate(threads: threads, count: Double(rootIterations * 4 * PeakVector.scalarCount)) {
      squareRoots(rootIterations)
    }
    let divisions = rate(
      threads: threads, count: Double(rootIterations * 4 * PeakVector.scalarCount)
    ) {
      divisionChains(rootIterations)
    }
    return ArithmeticPeak(
      operationsPerSecond: operations, squareRootsPerSecond: roots, divisionsPerSecond: divisions)
  }

  /// `count` per thread over the wall time of `body` run once on each of `threads` threads.
  private static func rate(threads: Int, count: Double, _ body: @escaping @Sendable () -> Double)
    -> Double
  {
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      // A result that depends on every iteration, compared so it cannot be discarded.
      if body() == -1 { print("") }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return count * Double(threads) / seconds
  }

  @inline(never)
  private static func multiplyAdds(_ iterations: Int) -> Double {
    typealias V = PeakVector
    var a0 = V(repeating: 1)
    var a1 = a0
    var a2 = a0
    var a3 = a0
    var a4 = a0
    var a5 = a0
    var a6 = a0
    var a7 = a0
    var a8 = a0
    var a9 = a0
    let m = V(repeating: 0.999_999)
    let b = V(repeating: 1e-7)
    for _ in 0..<iterations {
      a0 = fused(a0, m, b)
      a1 = fused(a1, m, b)
      a2 = fused(a2, m, b)
      a3 = fused(a3, m, b)
      a4 = fused(a4, m, b)
      a5 = fused(a5, m, b)
      a6 = fused(a6, m, b)
      a7 = fused(a7, m, b)
      a8 = fused(a8, m, b)
      a9 = fused(a9, m, b)
    }
    return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).sum()
  }

  /// a m + b: one instruction where the build targets FMA; otherwise a multiply and an add
  /// (still two operations, so the rate stays comparable).
  @inline(__always)
  private static func fused(_ a: PeakVector, _ m: PeakVector, _ b: PeakVector) -> PeakVector {
    #if SYMMETRY_PROBES_AVX2
      return b.addingProduct(a, m)
    #else
      return a * m + b
    #endif
  }

  @inline(never)
  private static func squareRoots(_ iterations: Int) -> Double {
    typealias V = PeakVector
    var a0 = V(repeating: 2)
    var a1 = V(repeating: 3)
    var a2 = V(repeating: 5)
    var a3 = V(repeating: 7)
    let one = V(repeating: 1)
    for _ in 0..<iterations {
      a0 = root(a0) + one
      a1 = root(a1) + one
      a2 = root(a2) + one
      a3 = root(a3) + one
    }
    return (a0 + a1 + a2 + a3).sum()
  }

  /// sqrt lane-wise as the engine writes it (the root of a magnitude compiles to `vsqrtpd`).
  @inline(__always)
  private static func root(_ x: PeakVector) -> PeakVector {
    var result = PeakVector()
    for lane in 0..<PeakVector.scalarCount { result[lane] = x[lane].magnitude.squareRoot() }
    return result
  }

  @inline(never)
  private static func divisionChains(_ iterations: Int) -> Double {
    typealias V = PeakVector
    var a0 = V(repeating: 2)
    var a1 = V(repeating: 3)
    var a2 = V(repeating: 5)
    var a3 = V(repeating: 7)
    let one = V(repeating: 1)
    for _ in 0..<iterations {
      a0 = one / a0 + one
      a1 = one / a1 + one
      a2 = one / a2 + one
      a3 = one / a3 + one
    }
    return (a0 + a1 + a2 + a3).sum()
  }
}

/// The widest vector the build targets: 512 bits with AVX-512, 256 otherwise (the engine's
/// 8-lane vectors fill one register, or two), so the peak is the one the engine can reach.
#if SYMMETRY_PROBES_AVX512
  private typealias PeakVector = SIMD8<Double>
#else
  private typealias PeakVector = SIMD4<Double>
#endif
