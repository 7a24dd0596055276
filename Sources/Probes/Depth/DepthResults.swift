import Foundation
import Learners

/// The outcome of a `DepthExperiment`: one record per (run, W^2, depth, time) and the depth
/// scales per (architecture, W^2).
public struct DepthResults: Sendable, Codable {
  /// One phase diagram: an architecture on a number of images.
  public struct Panel: Sendable, Hashable, CustomStringConvertible {
    /// The architecture's catalogue name.
    public let architecture: String
    /// Training images.
    public let trainCount: Int
    /// Test images.
    public let testCount: Int

    /// The panel of `architecture` on `trainCount` + `testCount` images.
    public init(architecture: String, trainCount: Int, testCount: Int) {
      self.architecture = architecture
      self.trainCount = trainCount
      self.testCount = testCount
    }

    public var description: String { "\(architecture) (n = \(trainCount))" }
  }

  /// The activation of every hidden layer, by name.
  public let activation: String
  /// b^2 of every layer.
  public let biasVariance: Double
  /// The data set's name.
  public let dataSet: String
  /// The image side.
  public let size: Int
  /// The phase-diagram points.
  public let records: [DepthRecord]
  /// The fixed points and depth scales.
  public let scales: [DepthScaleRecord]

  enum CodingKeys: String, CodingKey {
    case activation, size, records
    case biasVariance = "bias_variance"
    case dataSet = "data_set"
    case scales = "depth_scales"
  }

  /// The phase diagrams in the order they were run.
  public var panels: [Panel] {
    var seen: [Panel] = []
    for record in records {
      let panel = Self.panel(of: record)
      if !seen.contains(panel) { seen.append(panel) }
    }
    return seen
  }

  /// The W^2 values, ascending.
  public var weightVariances: [Double] { Array(Set(records.map(\.weightVariance))).sorted() }
  /// The training times, ascending.
  public var times: [Double] { Array(Set(records.map(\.time))).sorted() }

  /// The depths of one panel, ascending.
  public func depths(_ panel: Panel) -> [Int] {
    Array(Set(records.filter { Self.panel(of: $0) == panel }.map(\.depth))).sorted()
  }

  /// The record at one grid point, if it was run.
  public func record(_ panel: Panel, weightVariance: Double, depth: Int, time: Double)
    -> DepthRecord?
  {
    records.first {
      Self.panel(of: $0) == panel && $0.weightVariance == weightVariance && $0.depth == depth
        && $0.time == time
    }
  }

  /// The depth scales at W^2 (the same for every architecture).
  public func scale(weightVariance: Double) -> DepthScaleRecord? {
    scales.first { $0.weightVariance == weightVariance }
  }

  static func panel(of record: DepthRecord) -> Panel {
    Panel(
      architecture: record.architecture, trainCount: record.trainCount, testCount: record.testCount)
  }

  // MARK: - Output

  init(
    activation: String, biasVariance: Double, dataSet: String, size: Int, records: [DepthRecord],
    scales: [DepthScaleRecord]
  ) {
    self.activation = activation
    self.biasVariance = biasVariance
    self.dataSet = dataSet
    self.size = size
    self.records = records
    self.scales = scales
  }

  /// Results read back from `json()`, e.g. to redraw the figures without recomputing.
  public init(json: String) throws {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    self = try decoder.decode(DepthResults.self, from: Data(json.utf8))
  }

  /// Pretty-printed JSON with sorted keys; infinities as the strings "inf" and "-inf".
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// A plain-text report: the depth scales, then one table per panel with a row per
  /// (W^2, depth) and the train/test accuracies at every time.
  public func text() -> String {
    var lines: [String] = []
    lines.append(
      "Depth scales (\(activation), b^2 = \(biasVariance)); q* '-' where no finite fixed point")
    lines.append("  W^2      phase      q*         c*        chi_1     chi_c*    xi_1      xi_*")
    for weightVariance in weightVariances {
      guard let s = scale(weightVariance: weightVariance) else { continue }
      lines.append(
        "  "
          + [
            pad(number(s.weightVariance), 8), pad(s.phase.rawValue, 10),
            pad(s.qStar.map(number) ?? "-", 10),
            pad(number(s.cStar), 9), pad(number(s.chi1), 9), pad(number(s.chiCStar), 9),
            pad(number(s.xi1), 9), number(s.xiStar),
          ].joined(separator: " "))
    }
    for panel in panels {
      lines.append("")
      lines.append(
        "\(panel.architecture): \(panel.trainCount) train, \(panel.testCount) test images "
          + "(\(dataSet) \(size)x\(size)); accuracies train/test at t = "
          + times.map(number).joined(separator: ", "))
      lines.append(
        "  W^2      depth  cond       lambda_max  lambda_min  "
          + times.map { pad("t=\(number($0))", 12) }.joined(separator: " "))
      for weightVariance in weightVariances {
        for depth in depths(panel) {
          let row = times.compactMap {
            record(panel, weightVariance: weightVariance, depth: depth, time: $0)
          }
          guard let first = row.first else { continue }
          lines.append(
            "  "
              + [
                pad(number(weightVariance), 8), pad(String(depth), 6),
                pad(number(first.conditionNumber), 10),
                pad(number(first.lambdaMax), 11), pad(number(first.lambdaMin), 11),
              ].joined(separator: " ") + " "
              + row.map { pad(String(format: "%.3f/%.3f", $0.trainAccuracy, $0.testAccuracy), 12) }
              .joined(separator: " "))
        }
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// A number in 4 significant digits ("inf" for infinity).
func number(_ value: Double) -> String {
  value.isInfinite ? (value > 0 ? "inf" : "-inf") : String(format: "%.4g", value)
}

/// Left-aligned in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
