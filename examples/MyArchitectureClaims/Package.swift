// swift-tools-version: 6.0
import PackageDescription

// A researcher's own package: an architecture and an action of its own, and claims about them
// stated with symmetry-probes' SymmetryTesting product. It depends on this repository by path;
// another package would write .package(url: "...", from: "...") instead.
let package = Package(
  name: "MyArchitectureClaims",
  dependencies: [.package(name: "symmetry-probes", path: "../..")],
  targets: [
    .target(
      name: "MyArchitecture",
      dependencies: [
        .product(name: "Learners", package: "symmetry-probes"),
        .product(name: "Symmetries", package: "symmetry-probes"),
      ]),
    .testTarget(
      name: "MyArchitectureClaimsTests",
      dependencies: [
        "MyArchitecture", .product(name: "SymmetryTesting", package: "symmetry-probes"),
      ]),
  ]
)
