import Foundation
import Learners
import Probes
import Testing

/// The command-line side of the claims and the curves protocol options: bad input is a message
/// and exit status 2, never a crash, and no file is written.
@Suite(
  "claims and curves options on the command line",
  .enabled(if: builtTool != nil, "needs the built symmetry-probe next to the test bundle"))
struct ClaimsCommandTests {
  @Test(
    "An unknown scale, subset rule or standardisation, or a negative ridge, is refused with the accepted values",
    arguments: [
      (["claims", "--scale", "huge"], "small, medium, large"),
      (["curves", "--subsets", "last"], "random, first"),
      (["curves", "--standardise-by", "test"], "pool, train"),
      (["curves", "--ridge", "-1"], "non-negative"),
      (["curves", "--pool", "0"], "positive"),
    ])
  func badOptions(_ arguments: [String], _ expected: String) throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(
      "claims-bad-\(UUID().uuidString)")
    let (status, text) = try runTool(builtTool!, arguments + ["--output", output.path])
    #expect(status == 2, "\(text)")
    #expect(text.contains(expected), "\(text)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test(
    "curves --subsets first --ridge 1e-4 --test 512 --max-train 512 --standardise-by train is neural-tangents' tutorial protocol at 8 x 8"
  )
  func tutorialProtocol() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(
      "claims-tutorial-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    // The protocol line, restricted to one learner so that an unoptimised build runs it.
    let (status, text) = try runTool(
      builtTool!,
      [
        "curves", "--subsets", "first", "--ridge", "1e-4", "--test", "512", "--max-train", "512",
        "--standardise-by", "train",
        "--architectures", "FCN", "--kernels", "nngp", "--actions", "none", "--model-actions",
        "none", "--cache", "none",
        "--output", output.path,
      ])
    try #require(status == 0, "\(text)")
    let document =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: output.appendingPathComponent("curves.json"))) as! [String: Any]
    let points = try #require(document["points"] as? [[String: Any]])
    #expect(points.map { $0["train_size"] as? Int } == [16, 32, 64, 128, 256, 512])
    #expect(points.allSatisfy { $0["repeats"] as? Int == 1 }, "one training set per size")
    let reported = try #require(points.last?["accuracy"] as? Double)

    // By hand: the first 512 training and the first 512 test images at 8 x 8, standardised by
    // the statistics of the 512 training images, ridge 1e-4 of the mean diagonal.
    let data = try ExperimentData.load(
      .cifar10, size: 8, trainCount: 512, testCount: 512, statisticsFrom: Array(0..<512))
    let kernel = try NamedArchitecture.fcn.architecture(depth: 2, activation: .relu)
    let prediction = try KernelRegression.posteriorMean(
      trainTrain: kernel.kernels(data.train.images, nil).nngp,
      testTrain: kernel.kernels(data.test.images, data.train.images).nngp,
      targets: data.train.centredOneHotTargets, diagReg: 1e-4)
    var correct = 0
    for i in 0..<512 {
      let row = (0..<10).map { prediction[i, $0] }
      if row.firstIndex(of: row.max()!) == data.test.labels[i] { correct += 1 }
    }
    #expect(reported == Double(correct) / 512, "the tool's m = 512 accuracy against the tutorial's")
  }

  @Test("claims --help names every scale and the report's files")
  func help() throws {
    let (status, text) = try runTool(builtTool!, ["claims", "--help"])
    #expect(status == 0)
    for word in ["small", "medium", "large", "claims.json", "claims.md", "--cache"] {
      #expect(text.contains(word), "\(word) missing from the help")
    }
  }

  @Test(
    "claims --help gives each scale's finite recipe as the code runs it (steps, width, m)",
    arguments: [ClaimScale.small, .medium])
  func finiteRecipeInHelp(_ scale: ClaimScale) throws {
    let finite = try #require(scale.finiteExperiment.finite)
    let m = try #require(finite.trainSizes?.first)
    let (status, text) = try runTool(builtTool!, ["claims", "--help"])
    #expect(status == 0)
    let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      line.contains("width \(finite.width), rate ")
        && line.contains("\(finite.steps(trainSize: m)) steps, m = \(m)"),
      "\(text)")
  }
}
