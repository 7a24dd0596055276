import Foundation
import Learners
import Symmetries
import Testing

/// Random token sequences, built from the grammars' own words and their near misses, never trap
/// a parser: each either parses or throws a typed error.
@Suite("Parser robustness")
struct ParserFuzzTests {
  /// Words of the layer grammar, numbers at and past every limit, and stray punctuation.
  static let layerTokens = [
    "conv", "local", "dense", "readout", "relu", "erf", "flatten", "gap", "CONV", "Relu", "pool",
    "(", ")", "((", ",", " ", "=", "k=", "w=", "b=", "padding=", "circular", "same", "valid",
    "0", "1", "3", "-1", "-3", "1e308", "-1e308", "nan", "inf", "9223372036854775807",
    "99999999999999999999", "0.5", "1.4", "", "x", "\u{0}", "é", "#", "k=k", "w=w=1",
    "abrelu", "leakyrelu", "abs", "gelu", "sign", "sin", "rbf", "identity", "a=", "c=", "gamma=",
    "alpha=", "-0.3", "1e-300",
    "avgpool", "sumpool", "AvgPool", "stride=", "stride=0", "stride=2", "stride=-1", "2",
    "layernorm", "all", "residual(", "residual(relu conv(3))", "residual()",
    "residual(residual(conv)",
    "layernorm(all)", "attention", "heads=", "heads=0", "attention(heads=2)",
  ]

  @Test("Random layer lists parse or throw ArchitectureError; a parsed one prints and reparses")
  func layerListFuzz() throws {
    var generator = SeededGenerator(seed: 17)
    for _ in 0..<5_000 {
      let count = Int(try! generator.bounded(12))
      let text = (0..<count).map { _ in
        Self.layerTokens[Int(try! generator.bounded(UInt64(Self.layerTokens.count)))]
      }.joined(separator: try! generator.bounded(2) == 0 ? "" : " ")
      do {
        let architecture = try Architecture(parsing: text)
        #expect(
          try Architecture(parsing: architecture.description).description
            == architecture.description, "\(text)")
      } catch {
        #expect(!"\(error)".isEmpty)
      }
    }
  }

  /// Words of the command line: commands, options of every command, values and near misses.
  static let argumentTokens = [
    "table", "actions", "transform", "kernel", "assemble", "curves", "train", "depth", "bench",
    "claims", "probe", "verdict", "--scale", "--finite", "--from-json", "--gap-train", "--batch",
    "--null-arm", "--samples", "--train-x", "--dataset", "--data-set", "--reference", "--paired",
    "--no-such-option", "small", "gd", "sgd",
    "--architectures", "--architecture", "--actions", "--action", "--activations", "--depth",
    "--layers", "--shift", "--patch", "--turns", "--seed", "--format", "--output", "--input",
    "--nngp", "--ntk", "--plan", "--shard", "--of", "--block-size", "--steps", "--repeats",
    "--max-train", "--weight-variances", "--size", "--padding", "--workload", "--help", "-h",
    "--", "-", "--=", "--depth=", "--seed=-1", "FCN", "fcn", "CNN-GAP", "orthogonal", "json",
    "0", "-1", "1,2", "1,", ",", "1e308", "nan", "18446744073709551616", "", " ", "conv(3",
  ]

  @Test(
    "Random command lines never crash the tool: exit 0, 1 or 2 with a message",
    .enabled(if: builtTool != nil))
  func argumentFuzz() throws {
    let tool = try #require(builtTool)
    var generator = SeededGenerator(seed: 23)
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("symmetry-probes-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for _ in 0..<60 {
      let count = 1 + Int(try! generator.bounded(6))
      var arguments = (0..<count).map { _ in
        Self.argumentTokens[Int(try! generator.bounded(UInt64(Self.argumentTokens.count)))]
      }
      // Long-running commands would make this a benchmark. Each reads --format before it
      // finishes parsing, so an invalid format last (or, after a valid one, left over) stops it
      // on the command line after every other option it reads has been parsed: what is
      // exercised is the whole parser, never the work.
      if arguments.first.map({
        ["table", "curves", "train", "depth", "bench", "claims", "probe"].contains($0)
      }) ?? false {
        arguments.append("--format=xml")
      }
      arguments = arguments.map { $0 == "--output" ? "--output=\(folder.path)/out" : $0 }
      let (status, output) = try runTool(tool, arguments)
      #expect([0, 1, 2].contains(status), "\(arguments): \(output)")
      if status != 0 { #expect(output.contains("error: "), "\(arguments): \(output)") }
    }
  }
}
