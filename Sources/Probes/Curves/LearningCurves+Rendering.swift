import Foundation
import Learners

extension LearningCurves {
  /// JSON: every point with keys `dataset`, `architecture`, `kernel`, `action`, `acted_on`,
  /// `train_size`, `accuracy`, `mse`, `repeats` (and the standard deviations), plus one
  /// `scaling` object per curve and the `ridge_sensitivity` rows (per repeat).
  public func json() throws -> String {
    struct Document: Encodable {
      var points: [CurvePoint]
      var scaling: [Scaling]
      var ridgeSensitivity: [RidgeSensitivity]
      enum CodingKeys: String, CodingKey {
        case points, scaling
        case ridgeSensitivity = "ridge_sensitivity"
      }
    }
    struct Scaling: Encodable {
      var architecture: String
      var kernel: CurveKernel
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
    return String(
      decoding: try encoder.encode(
        Document(points: points, scaling: scaling, ridgeSensitivity: ridgeSensitivity)),
      as: UTF8.self)
  }

  /// Mean natural-image accuracy at the largest size at each sensitivity ridge, per learner
  /// (empty when the experiment set no `sensitivityRidges`).
  public func ridgeTable(markdown: Bool) -> String {
    ridgeSensitivityTable(ridgeSensitivity, markdown: markdown)
  }

  /// A table: one row per curve, test accuracy (mean ± sd) at each size and the exponent alpha.
  public func table(markdown: Bool) -> String {
    var sizes: [Int] = []
    for m in points.map(\.trainSize).sorted() where !sizes.contains(m) { sizes.append(m) }
    var rows: [[String]] = [
      ["learner", "action", "on"] + sizes.map { "m=\($0)" } + ["alpha (95% CI)"]
    ]
    for key in curves {
      var row = [
        "\(key.architecture) \(key.kernel.label)", key.action, key.actedOn.rawValue,
      ]
      for m in sizes {
        if let p = point(key, trainSize: m) {
          row.append(String(format: "%.3f±%.3f", p.accuracy, p.accuracyStd))
        } else {
          row.append("")
        }
      }
      if let fit = scaling(key) {
        row.append(fit.summary)
      } else {
        row.append("")
      }
      rows.append(row)
    }
    let finite = curves.filter { $0.kernel == .finiteSGD }
    let learners =
      finite.isEmpty ? "kernel regression" : "kernel regression and finite networks trained by SGD"
    let caption =
      "Test accuracy (mean ± sd over repeats) of \(learners) on \(dataset) \(shape); "
      + "alpha: test MSE ~ m^(-alpha)."
    var sections = [render(rows, caption: caption, markdown: markdown)]
    if !finite.isEmpty {
      // The finite networks' training MSE shows whether they fitted their training sets.
      var fits: [[String]] = [["learner", "action", "on"] + sizes.map { "m=\($0)" }]
      for key in finite {
        fits.append(
          ["\(key.architecture) \(key.kernel.label)", key.action, key.actedOn.rawValue]
            + sizes.map { m in
              point(key, trainSize: m)?.trainMSE.map { String(format: "%.4f", $0) } ?? ""
            })
      }
      sections.append(
        render(
          fits,
          caption:
            "Training-set MSE of the finite networks after the last SGD step (mean over repeats).",
          markdown: markdown))
    }
    return sections.joined(separator: "\n\n")
  }

  /// Rows (the first a header) under a caption, as a markdown or an aligned text table.
  private func render(_ rows: [[String]], caption: String, markdown: Bool) -> String {
    if markdown {
      let header = "| " + rows[0].joined(separator: " | ") + " |"
      let rule = "|" + String(repeating: "---|", count: rows[0].count)
      let body = rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
      return ([caption, "", header, rule] + body).joined(separator: "\n")
    }
    return caption + "\n" + alignColumns(rows)
  }
}
