// swift-tools-version: 6.0
import PackageDescription

// Data flows one way: LinearAlgebra -> Symmetries -> Learners -> Probes -> symmetry-probe.
// No package dependencies and no system libraries: every numeric routine is ours, in Swift.
let package = Package(
  name: "symmetry-probes",
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Symmetries", targets: ["Symmetries"]),
    .library(name: "Learners", targets: ["Learners"]),
    .library(name: "Probes", targets: ["Probes"]),
    .executable(name: "symmetry-probe", targets: ["symmetry-probe"]),
  ],
  targets: [
    .target(name: "LinearAlgebra"),
    .target(name: "Symmetries", dependencies: ["LinearAlgebra"]),
    .target(name: "Learners", dependencies: ["Symmetries"]),
    .target(name: "Probes", dependencies: ["Learners"]),
    .executableTarget(name: "symmetry-probe", dependencies: ["Probes"]),
    .target(name: "CheckerSupport", dependencies: ["Probes"], path: "Tests/CheckerSupport"),
    .testTarget(
      name: "SymmetryTests", dependencies: ["Probes", "CheckerSupport"]),
    .testTarget(name: "PerformanceTests", dependencies: ["Probes", "CheckerSupport"]),
  ]
)
