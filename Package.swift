// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Data flows one way: LinearAlgebra -> Symmetries -> Learners -> Probes -> symmetry-probe
// (and Probes -> SymmetryTesting, the test-support product).
// No package dependencies and no system libraries: every numeric routine is ours, in Swift.

/// Which vector unit to compile for: the building machine's, like `-march=native` in C.
///
/// Swift compiles for baseline x86-64 (SSE2, sixteen 128-bit registers) unless told otherwise,
/// which halves the width of every SIMD loop and turns each fused multiply-add into a libm call.
/// When the building machine has AVX2 and FMA we target Haswell and define SYMMETRY_PROBES_AVX2,
/// so the matrix product picks its 256-bit, fused microkernel; when it also has AVX-512 (F, CD,
/// BW, DQ, VL: the Skylake-server set) we target `skylake-avx512` and define
/// SYMMETRY_PROBES_AVX512 as well, so the product picks its 512-bit microkernel and the
/// engine's 8-lane vectors fill one register. A binary built this way needs such a CPU: set
/// SYMMETRY_PROBES_PORTABLE=1 to build for baseline x86-64 instead (e.g. to ship a binary to
/// other machines), or SYMMETRY_PROBES_NO_AVX512=1 to stop at AVX2. Elsewhere (other
/// architectures, no /proc/cpuinfo, or this package checked out as another's dependency) the
/// build stays portable.
enum VectorUnit { case baseline, avx2, avx512 }

let vectorUnit: VectorUnit = {
  #if arch(x86_64)
    let environment = ProcessInfo.processInfo.environment
    if environment["SYMMETRY_PROBES_PORTABLE"] == "1" { return .baseline }
    // SwiftPM refuses unsafe flags in a package resolved by version, which it checks out under
    // `checkouts/` (`.build/checkouts`, Xcode's `SourcePackages/checkouts`): there we build
    // portably, so other packages can depend on this one.
    if Context.packageDirectory.contains("/checkouts/") { return .baseline }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return .baseline
    }
    guard let flagLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return .baseline }
    let flags = Set(
      flagLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
    guard flags.isSuperset(of: ["avx2", "fma"]) else { return .baseline }
    let skylakeServer: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    if flags.isSuperset(of: skylakeServer) && environment["SYMMETRY_PROBES_NO_AVX512"] != "1" {
      return .avx512
    }
    return .avx2
  #else
    return .baseline
  #endif
}()

let vectorSettings: [SwiftSetting] = {
  switch vectorUnit {
  case .baseline:
    return []
  case .avx2:
    return [.unsafeFlags(["-target-cpu", "haswell"]), .define("SYMMETRY_PROBES_AVX2")]
  case .avx512:
    return [
      .unsafeFlags(["-target-cpu", "skylake-avx512"]), .define("SYMMETRY_PROBES_AVX2"),
      .define("SYMMETRY_PROBES_AVX512"),
    ]
  }
}()

let package = Package(
  name: "symmetry-probes",
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Symmetries", targets: ["Symmetries"]),
    .library(name: "Learners", targets: ["Learners"]),
    .library(name: "Probes", targets: ["Probes"]),
    .library(name: "SymmetryTesting", targets: ["SymmetryTesting"]),
    .executable(name: "symmetry-probe", targets: ["symmetry-probe"]),
  ],
  targets: [
    .target(name: "LinearAlgebra", swiftSettings: vectorSettings),
    .target(name: "Symmetries", dependencies: ["LinearAlgebra"], swiftSettings: vectorSettings),
    .target(name: "Learners", dependencies: ["Symmetries"], swiftSettings: vectorSettings),
    .target(name: "Probes", dependencies: ["Learners"], swiftSettings: vectorSettings),
    .executableTarget(
      name: "symmetry-probe", dependencies: ["Probes"], swiftSettings: vectorSettings),
    // Swift Testing expectations about symmetries, for test targets (ours and other packages').
    .target(name: "SymmetryTesting", dependencies: ["Probes"], swiftSettings: vectorSettings),
    .target(
      name: "CheckerSupport", dependencies: ["Probes"], path: "Tests/CheckerSupport",
      swiftSettings: vectorSettings),
    .testTarget(
      name: "SymmetryTests", dependencies: ["Probes", "CheckerSupport", "SymmetryTesting"],
      swiftSettings: vectorSettings),
    .testTarget(
      name: "PerformanceTests", dependencies: ["Probes", "CheckerSupport", "SymmetryTesting"],
      swiftSettings: vectorSettings),
  ]
)
