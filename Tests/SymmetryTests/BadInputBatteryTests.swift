import Foundation
import Symmetries
import Testing

/// One bad command line: what it must say, how it must exit, and the files it must not touch.
struct BadInput: CustomTestStringConvertible, Sendable {
  let name: String
  /// Arguments with `F` standing for the scratch folder.
  let arguments: [String]
  /// 2 for a command-line mistake, 1 for a failure while running.
  let status: Int32
  /// A phrase the error message must contain.
  let says: String
  /// Files (relative to the folder) that must be byte-identical afterwards.
  var keeps: [String] = ["x.npy", "k.npy"]

  var testDescription: String { name }
}

/// The scratch folder every case runs in: `x.npy` (two 4x4x3 images), `k.npy`, `depth.json`,
/// a link to `k.npy`, a dangling link and a plan of `x.npy` in `plan/`.
private func battleground(_ tool: URL) throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("symmetry-probes-battery-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/npy")
  try FileManager.default.copyItem(
    at: fixtures.appendingPathComponent("float64-images-2x4x4x3.npy"),
    to: folder.appendingPathComponent("x.npy"))
  try FileManager.default.copyItem(
    at: fixtures.appendingPathComponent("float64-2x3.npy"),
    to: folder.appendingPathComponent("k.npy"))
  try Data("{}".utf8).write(to: folder.appendingPathComponent("depth.json"))
  try FileManager.default.createDirectory(
    at: folder.appendingPathComponent("badplan"), withIntermediateDirectories: false)
  try Data("{\"format\": ".utf8).write(to: folder.appendingPathComponent("badplan/plan.json"))
  try FileManager.default.copyItem(
    at: fixtures.appendingPathComponent("float64-images-3x2x2.npy"),
    to: folder.appendingPathComponent("rank3.npy"))
  try NumPyArray(shape: [1, 2, 2, 1], values: [1.7e308, 1.7e308, -1.7e308, 1.7e308])
    .write(npyTo: folder.appendingPathComponent("huge.npy"))
  try FileManager.default.createSymbolicLink(
    at: folder.appendingPathComponent("link.npy"),
    withDestinationURL: folder.appendingPathComponent("k.npy"))
  try FileManager.default.createSymbolicLink(
    at: folder.appendingPathComponent("dangling.npy"),
    withDestinationURL: folder.appendingPathComponent("nowhere/y.npy"))
  let plan = try runTool(
    tool,
    [
      "kernel", "--architecture", "FCN", "--input", folder.path + "/x.npy", "--plan",
      folder.path + "/plan", "--block-size", "1",
    ])
  #expect(plan.status == 0, "\(plan.output)")
  return folder
}

private let device = FileManager.default.fileExists(atPath: "/dev/full") ? "/dev/full" : "/dev/null"

@Suite("Bad input to the tool: a typed sentence, the right exit code, every file kept")
struct BadInputBatteryTests {
  static let cases: [BadInput] = [
    BadInput(
      name: "transform onto its own input",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/x.npy", "--output", "F/x.npy",
      ],
      status: 1, says: "also an input"),
    BadInput(
      name: "kernel with the NNGP and NTK at one path",
      arguments: [
        "kernel", "--architecture", "FCN", "--input", "F/x.npy", "--nngp", "F/k.npy", "--ntk",
        "F/k.npy",
      ],
      status: 1, says: "another output"),
    BadInput(
      name: "kernel writing its NNGP over its input",
      arguments: [
        "kernel", "--architecture", "FCN", "--input", "F/x.npy", "--nngp", "F/x.npy", "--ntk",
        "F/t.npy",
      ],
      status: 1, says: "also an input"),
    BadInput(
      name: "kernel writing through a link onto its other output",
      arguments: [
        "kernel", "--architecture", "FCN", "--input", "F/x.npy", "--nngp", "F/link.npy", "--ntk",
        "F/k.npy",
      ],
      status: 1, says: "another output"),
    BadInput(
      name: "assemble over the plan's manifest",
      arguments: [
        "assemble", "--plan", "F/plan", "--nngp", "F/plan/plan.json", "--ntk", "F/t.npy",
      ],
      status: 1, says: "also an input", keeps: ["x.npy", "k.npy", "plan/plan.json"]),
    BadInput(
      name: "transform onto a device",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/x.npy", "--output", device,
      ],
      status: 1, says: "not a regular file"),
    BadInput(
      name: "transform onto a dangling link",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/x.npy", "--output", "F/dangling.npy",
      ],
      status: 1, says: "does not exist"),
    BadInput(
      name: "transform onto a folder",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/x.npy", "--output", "F",
      ],
      status: 1, says: "it is a folder"),
    BadInput(
      name: "a missing input file",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/missing.npy", "--output", "F/y.npy",
      ],
      status: 1, says: "no file at"),
    BadInput(
      name: "an input that is a folder",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F", "--output", "F/y.npy",
      ],
      status: 1, says: "it is a folder"),
    BadInput(
      name: "an output in a missing folder",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/x.npy", "--output", "F/no/y.npy",
      ],
      status: 1, says: "folder does not exist"),
    BadInput(
      name: "table output that is a file",
      arguments: [
        "table", "--architectures", "FCN", "--activations", "relu", "--actions", "translation",
        "--output", "F/k.npy",
      ],
      status: 1, says: "not a folder"),
    BadInput(
      name: "depth redrawn over the JSON it reads",
      arguments: [
        "depth", "--from-json", "F/depth.json", "--output", "F",
      ],
      status: 1, says: "also an input", keeps: ["x.npy", "k.npy", "depth.json"]),
    BadInput(
      name: "depth redrawn from JSON that is not a depth report",
      arguments: [
        "depth", "--from-json", "F/depth.json",
      ],
      status: 1, says: "is missing"),
    BadInput(
      name: "depth redrawn from a file that is not JSON",
      arguments: [
        "depth", "--from-json", "F/k.npy",
      ],
      status: 1, says: "not valid JSON"),
    BadInput(
      name: "assemble a plan whose manifest is cut short",
      arguments: [
        "assemble", "--plan", "F/badplan", "--nngp", "F/a.npy", "--ntk", "F/b.npy",
      ],
      status: 1, says: "not valid JSON"),
    BadInput(
      name: "depth with W^2 = 0", arguments: ["depth", "--weight-variances", "0"],
      status: 2, says: "positive numbers"),
    BadInput(
      name: "kernel deeper than 1,000 layers",
      arguments: [
        "kernel", "--architecture", "FCN", "--depth", "100000000", "--input", "F/x.npy", "--nngp",
        "F/a.npy", "--ntk", "F/b.npy",
      ],
      status: 2, says: "from 1 to 1000"),
    BadInput(
      name: "a shift with a flip",
      arguments: [
        "transform", "--action", "horizontal-flip", "--shift", "1,2", "--input", "F/x.npy",
        "--output", "F/y.npy",
      ],
      status: 2, says: "does not apply to horizontal-flip"),
    BadInput(
      name: "a patch size in the table without patch-shuffle",
      arguments: [
        "table", "--actions", "translation", "--patch", "2",
      ],
      status: 2, says: "does not apply to translation"),
    BadInput(
      name: "a rank-3 array as images",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/rank3.npy", "--output", "F/y.npy",
      ],
      status: 1, says: "ambiguous"),
    BadInput(
      name: "a rotation that overflows to infinity",
      arguments: [
        "transform", "--action", "orthogonal", "--input", "F/huge.npy", "--output", "F/y.npy",
      ],
      status: 1, says: "not finite"),
    BadInput(
      name: "an unknown command 100,000 characters long",
      arguments: [
        String(repeating: "x", count: 100_000)
      ],
      status: 2, says: "(100000 characters)"),
    BadInput(
      name: "an unknown option 100,000 characters long",
      arguments: [
        "table", "--" + String(repeating: "y", count: 100_000),
      ],
      status: 2, says: "(100002 characters)"),
    BadInput(
      name: "kernel --layers with --depth, which only a named architecture uses",
      arguments: [
        "kernel", "--layers", "conv(3) relu gap readout", "--depth", "5", "--input", "F/x.npy",
        "--nngp", "F/a.npy", "--ntk", "F/b.npy",
      ],
      status: 2, says: "--depth does not apply here"),
    BadInput(
      name: "kernel --shard with a kernel option it would ignore",
      arguments: [
        "kernel", "--plan", "F/plan", "--shard", "0", "--of", "1", "--depth", "3",
      ],
      status: 2, says: "--depth does not apply here", keeps: ["x.npy", "k.npy", "plan/plan.json"]),
    BadInput(
      name: "a negative weight standard deviation",
      arguments: [
        "kernel", "--architecture", "FCN", "--weight-std", "-1", "--input", "F/x.npy", "--nngp",
        "F/a.npy", "--ntk", "F/b.npy",
      ],
      status: 2, says: "finite non-negative number"),
    BadInput(
      name: "an option transform does not have",
      arguments: [
        "transform", "--action", "orthogonal", "--depth", "2", "--input", "F/x.npy", "--output",
        "F/y.npy",
      ],
      status: 2, says: "transform has no option '--depth'"),
    BadInput(
      name: "a shift of three numbers",
      arguments: [
        "transform", "--action", "translation", "--shift", "1,x,2", "--input", "F/x.npy",
        "--output", "F/y.npy",
      ],
      status: 2, says: "two integers DY,DX"),
    BadInput(
      name: "curves --finite-width without --finite",
      arguments: [
        "curves", "--finite-width", "8", "--output", "F/c",
      ],
      status: 2, says: "--finite-width does not apply here"),
    BadInput(
      name: "curves --gap-max-train without CNN-GAP",
      arguments: [
        "curves", "--architectures", "FCN", "--gap-max-train", "64", "--output", "F/c",
      ],
      status: 2, says: "--gap-max-train does not apply here"),
    BadInput(
      name: "curves --max-train below the first size",
      arguments: [
        "curves", "--max-train", "8", "--output", "F/c",
      ],
      status: 2, says: "an integer of at least 16"),
    BadInput(
      name: "curves --repeats 3 with --subsets first, which has one training set per size",
      arguments: [
        "curves", "--subsets", "first", "--repeats", "3", "--output", "F/c",
      ],
      status: 2, says: "1 with --subsets first"),
    BadInput(
      name: "depth --from-json with an option that would compute",
      arguments: [
        "depth", "--from-json", "F/depth.json", "--depths", "1,2",
      ],
      status: 2, says: "--depths does not apply here", keeps: ["x.npy", "k.npy", "depth.json"]),
    BadInput(
      name: "depth --gap-train without CNN-GAP",
      arguments: [
        "depth", "--architectures", "FCN", "--gap-train", "8",
      ],
      status: 2, says: "--gap-train does not apply here"),
    BadInput(
      name: "claims with an option it does not have",
      arguments: [
        "claims", "--scale", "small", "--depth", "2", "--output", "F/c",
      ],
      status: 2, says: "claims has no option '--depth'"),
    BadInput(
      name: "claims at an unknown scale",
      arguments: ["claims", "--scale", "huge", "--output", "F/c"],
      status: 2, says: "small, medium, large"),
    BadInput(
      name: "bench with an output folder it does not write", arguments: ["bench", "--output", "F"],
      status: 2, says: "bench has no option '--output'"),
    BadInput(
      name: "verdict in a format it does not print",
      arguments: [
        "verdict", "--reference", "F/k.npy", "--transformed", "F/k.npy", "--format", "markdown",
      ],
      status: 2, says: "--format 'markdown' is not valid: expected text, json"),
    BadInput(
      name: "bench with an unknown workload", arguments: ["bench", "--workload", "everything"],
      status: 2, says: "--workload 'everything' is not valid"),
    BadInput(
      name: "train --batch with gd only",
      arguments: [
        "train", "--architecture", "FCN", "--action", "orthogonal", "--optimizer", "gd", "--batch",
        "8",
      ],
      status: 2, says: "--batch does not apply here"),
    BadInput(
      name: "train --null-arm without --samples",
      arguments: [
        "train", "--architecture", "FCN", "--action", "orthogonal", "--optimizer", "sgd",
        "--null-arm",
      ],
      status: 2, says: "--null-arm does not apply here"),
    BadInput(
      name: "train at an image size the data set does not offer",
      arguments: [
        "train", "--architecture", "FCN", "--action", "orthogonal", "--optimizer", "sgd", "--size",
        "5",
      ],
      status: 2, says: "4, 8, 16 or 32"),
    BadInput(
      name: "train with an ensemble of two",
      arguments: [
        "train", "--architecture", "FCN", "--action", "orthogonal", "--optimizer", "sgd", "--seeds",
        "2",
      ],
      status: 2, says: "an integer of at least 3"),
    BadInput(
      name: "train --shift of one number",
      arguments: [
        "train", "--architecture", "CNN-GAP", "--action", "translation", "--optimizer", "sgd",
        "--shift", "1",
      ],
      status: 2, says: "two integers DY,DX"),
    BadInput(
      name: "train with an option it does not have, before its missing required ones",
      arguments: [
        "train", "--filter", "3",
      ],
      status: 2, says: "train has no option '--filter'"),
    BadInput(
      name: "probe with your own arrays and a fixture size",
      arguments: [
        "probe", "--learner", "true", "--action", "orthogonal", "--train-x", "F/x.npy", "--train-y",
        "F/k.npy",
        "--test-x", "F/x.npy", "--size", "4",
      ],
      status: 2, says: "--size does not apply here"),
    BadInput(
      name: "probe with the old spelling --data-set",
      arguments: [
        "probe", "--learner", "true", "--action", "orthogonal", "--data-set", "digits",
      ],
      status: 2, says: "probe has no option '--data-set'"),
    BadInput(
      name: "verdict with an option it does not have",
      arguments: [
        "verdict", "--reference", "F/k.npy", "--transformed", "F/k.npy", "--seeds", "3",
      ],
      status: 2, says: "verdict has no option '--seeds'"),
    BadInput(
      name: "an unknown action",
      arguments: [
        "transform", "--action", "rotate", "--input", "F/x.npy", "--output", "F/y.npy",
      ],
      status: 1, says: "orthogonal"),
  ]

  @Test(
    "Names are case-insensitive: --action Orthogonal, --architecture fcn, --padding SAME",
    .enabled(if: builtTool != nil))
  func caseInsensitiveNames() throws {
    let tool = try #require(builtTool)
    let folder = try battleground(tool)
    defer { try? FileManager.default.removeItem(at: folder) }
    let transform = try runTool(
      tool,
      [
        "transform", "--action", "Orthogonal", "--input", folder.path + "/x.npy", "--output",
        folder.path + "/y.npy",
      ])
    #expect(transform.status == 0, "\(transform.output)")
    let again = try runTool(
      tool,
      [
        "kernel", "--architecture", "cnn-gap", "--activation", "ReLU", "--padding", "SAME",
        "--input", folder.path + "/x.npy", "--nngp", folder.path + "/a.npy", "--ntk",
        folder.path + "/b.npy",
      ])
    #expect(again.status == 0, "\(again.output)")
  }

  @Test(
    "A 1,000-layer kernel says what it computes in one short line", .enabled(if: builtTool != nil))
  func deepKernelShortEcho() throws {
    let tool = try #require(builtTool)
    let folder = try battleground(tool)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, output) = try runTool(
      tool,
      [
        "kernel", "--architecture", "FCN", "--depth", "1000", "--input", folder.path + "/x.npy",
        "--nngp", folder.path + "/a.npy", "--ntk", folder.path + "/b.npy",
      ])
    #expect(status == 0, "\(output.prefix(500))")
    #expect(output.utf8.count < 1_000 && output.contains("(2002 layers)"), "\(output.prefix(500))")
  }

  @Test(
    "Untrained networks (train --steps 0) give 'no signal', not 'invariant'",
    .enabled(if: builtTool != nil))
  func noSignalWithoutTraining() throws {
    let tool = try #require(builtTool)
    let (status, output) = try runTool(
      tool,
      [
        "train", "--architecture", "FCN", "--action", "orthogonal", "--optimizer", "gd", "--steps",
        "0", "--train", "16", "--test", "20", "--width", "4", "--size", "4", "--format", "json",
      ])
    #expect(status == 0, "\(output)")
    #expect(output.contains("\"verdict\" : \"no signal\""), "\(output)")
    #expect(!output.contains("\"verdict\" : \"invariant\""), "\(output)")
  }

  @Test(
    "Each bad command line is refused with a sentence and leaves every file as it was",
    .enabled(if: builtTool != nil), arguments: cases)
  func refused(_ input: BadInput) throws {
    let tool = try #require(builtTool)
    let folder = try battleground(tool)
    defer { try? FileManager.default.removeItem(at: folder) }
    let kept = try input.keeps.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let arguments = input.arguments.map {
      $0.replacingOccurrences(of: "F/", with: folder.path + "/")
    }
    .map { $0 == "F" ? folder.path : $0 }
    let (status, output) = try runTool(tool, arguments)
    #expect(status == input.status, "\(output)")
    #expect(output.contains(input.says), "\(output)")
    #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("Error Domain"), "\(output)")
    #expect(output.utf8.count < 1_000, "\(output.utf8.count) bytes")
    for (name, bytes) in zip(input.keeps, kept) {
      #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == bytes, "\(name)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == names)
    var info = stat()
    #expect(stat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
  }

  @Test(
    "An output that is a link to a file is written through: the target changes, the link stays",
    .enabled(if: builtTool != nil))
  func writesThroughLink() throws {
    let tool = try #require(builtTool)
    let folder = try battleground(tool)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, output) = try runTool(
      tool,
      [
        "transform", "--action", "translation", "--shift", "1,0", "--input", folder.path + "/x.npy",
        "--output", folder.path + "/link.npy",
      ])
    #expect(status == 0, "\(output)")
    let link = try FileManager.default.attributesOfItem(atPath: folder.path + "/link.npy")
    #expect(link[.type] as? FileAttributeType == .typeSymbolicLink)
    #expect(
      try Data(contentsOf: folder.appendingPathComponent("k.npy")).count
        == Data(contentsOf: folder.appendingPathComponent("x.npy")).count)
  }
}
