import Foundation
import Learners

extension LearningCurves {
  /// JSON: every point with keys `dataset`, `architecture`, `kernel`, `action`, `acted_on`,
  /// `train_size`, `accuracy`, `mse`, `repeats` (and the standard deviations), plus one
  /// `scaling` object per curve.
  public func json() throws -> String {
    struct Document: Encodable {
      var points: [CurvePoint]
      var scaling: [Scaling]
    }
    struct Scaling: Encodable {
      var architecture: String
      var kernel: KernelKind
      var action: String
      var actedOn: ActedOn
      var alpha: Double
      var alphaLower: Double
      var alphaUpper: Double
      enum CodingKeys: String, CodingKey {
        case architecture, kernel, action, alpha
        case actedOn = "acted_on"
        case alphaLower = "alpha_lower"
        case alphaUpper = "alpha_upper"
      }
    }
    let scaling = curves.compactMap { key -> Scaling? in
      guard let fit = self.scaling(key) else { return nil }
      return Scaling(
        architecture: key.architecture, kernel: key.kernel, action: key.action,
        actedOn: key.actedOn, alpha: fit.alpha, alphaLower: fit.lower, alphaUpper: fit.upper)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(Document(points: points, scaling: scaling)), as: UTF8.self)
  }

  /// A table: one row per curve, test accuracy (mean ± sd) at each size and the exponent alpha.
  public func table(markdown: Bool) -> String {
    var sizes: [Int] = []
    for m in points.map(\.trainSize).sorted() where !sizes.contains(m) { sizes.append(m) }
    var rows: [[String]] = [["learner", "action", "on"] + sizes.map { "m=\($0)" } + ["alpha (95% CI)"]]
    for key in curves {
      var row = [
        "\(key.architecture) \(key.kernel.rawValue.uppercased())", key.action, key.actedOn.rawValue,
      ]
      for m in sizes {
        if let p = point(key, trainSize: m) {
          row.append(String(format: "%.3f±%.3f", p.accuracy, p.accuracyStd))
        } else {
          row.append("")
        }
      }
      if let fit = scaling(key) {
        row.append(String(format: "%.3f [%.3f, %.3f]", fit.alpha, fit.lower, fit.upper))
      } else {
        row.append("")
      }
      rows.append(row)
    }
    let caption =
      "Test accuracy (mean ± sd over repeats) of kernel regression on \(dataset) \(shape); "
      + "alpha: test MSE ~ m^(-alpha)."
    if markdown {
      let header = "| " + rows[0].joined(separator: " | ") + " |"
      let rule = "|" + String(repeating: "---|", count: rows[0].count)
      let body = rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
      return ([caption, "", header, rule] + body).joined(separator: "\n")
    }
    return caption + "\n" + alignColumns(rows)
  }
}
