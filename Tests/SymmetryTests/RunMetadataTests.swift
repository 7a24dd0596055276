import Foundation
import Testing

/// The "run" object of a JSON report printed by the tool.
private func runObject(_ output: String) throws -> [String: Any] {
  let start = try #require(output.firstIndex(of: "{"))
  let object = try #require(
    try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [String: Any])
  return try #require(object["run"] as? [String: Any])
}

@Suite("JSON reports carry the run's metadata")
struct RunMetadataTests {
  @Test(
    "The table's JSON names the command, version, seed, data set, image size and depth",
    .enabled(if: builtTool != nil))
  func tableMetadata() throws {
    let tool = try #require(builtTool)
    let (status, output) = try runTool(
      tool,
      [
        "table", "--architectures", "FCN", "--activations", "relu", "--actions", "translation",
        "--seed", "5", "--format", "json",
      ])
    #expect(status == 0, "\(output)")
    let run = try runObject(output)
    #expect((run["command"] as? String)?.hasSuffix("--seed 5 --format json") == true)
    #expect(run["seed"] as? Int == 5 && run["data_set"] as? String == "cifar10")
    #expect(run["image_size"] as? Int == 8 && run["depth"] as? [Int] == [2])
    #expect(run["version"] is String && run["date"] is String)
  }
}
