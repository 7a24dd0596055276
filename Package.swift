// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Data flows one way: LinearAlgebra -> Symmetries -> Learners -> Probes -> symmetry-probe
// (and Probes -> SymmetryTesting, the test-support product).
// No package dependencies and no system libraries: every numeric routine is ours, in Swift.

/// Whether to compile for the building machine's AVX2 + FMA vector unit.
///
/// Swift compiles for baseline x86-64 (SSE2, sixteen 128-bit registers) unless told otherwise,
/// which halves the width of every SIMD loop and turns each fused multiply-add into a libm call.
/// Like `-march=native` in C, we target Haswell (AVX2, FMA) when the building machine has both,
/// and define SYMMETRY_PROBES_AVX2 so the matrix product picks its 256-bit, fused microkernel.
/// A binary built this way needs an AVX2 + FMA CPU: set SYMMETRY_PROBES_PORTABLE=1 to build
/// for baseline x86-64 instead (e.g. to ship a binary to other machines). Elsewhere (other
/// architectures, no /proc/cpuinfo, or this package checked out as another's dependency) the
/// build stays portable.
let buildsForAVX2: Bool = {
  #if arch(x86_64)
    if ProcessInfo.processInfo.environment["SYMMETRY_PROBES_PORTABLE"] == "1" { return false }
    // SwiftPM refuses unsafe flags in a package resolved by version, which it checks out under
    // `checkouts/` (`.build/checkouts`, Xcode's `SourcePackages/checkouts`): there we build
    // portably, so other packages can depend on this one.
    if Context.packageDirectory.contains("/checkouts/") { return false }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return false
    }
    guard let flagLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    let flags = Set(flagLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }))
    return flags.contains("avx2") && flags.contains("fma")
  #else
    return false
  #endif
}()

let vectorSettings: [SwiftSetting] =
  buildsForAVX2
  ? [.unsafeFlags(["-target-cpu", "haswell"]), .define("SYMMETRY_PROBES_AVX2")] : []

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
