import Foundation
import Learners

extension InvarianceTable {
  /// The distinct (architecture, activation) rows in measurement order.
  var rowKeys: [(architecture: String, activation: String)] {
    var seen = Set<String>()
    var keys: [(String, String)] = []
    for cell in cells where seen.insert(cell.architecture + "\u{0}" + cell.activation).inserted {
      keys.append((cell.architecture, cell.activation))
    }
    return keys
  }

  func cell(_ architecture: String, _ activation: String, _ action: String, _ kernel: KernelKind)
    -> InvarianceCell?
  {
    cells.first {
      $0.architecture == architecture && $0.activation == activation && $0.action == action
        && $0.kernel == kernel
    }
  }

  /// JSON: an array with one object per (architecture, activation, action, kernel).
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(cells), as: UTF8.self)
  }

  /// Markdown: one table per (kind of invariance, kernel); each cell the verdict and the
  /// measured deviation, with `(!)` where it contradicts the prediction and `(trivial)` where
  /// the action is the identity on these images; then the contradictions with their reasons.
  public func markdown() -> String {
    var lines: [String] = []
    lines.append(
      "Verdicts: `=` invariant (deviation <= \(format(VerdictThresholds.kernel.roundOff))), "
        + "`x` not invariant (> \(format(VerdictThresholds.kernel.effectFloor))), "
        + "`?` inconclusive; `(!)` contradicts the verdict the layers predict. Images: \(shape).")
    for invariance in ["algorithmic", "functional"] {
      for kind in KernelKind.allCases {
        lines.append("")
        lines.append("**\(invariance.capitalized) invariance, \(kind.rawValue.uppercased())**")
        lines.append("")
        lines.append("| architecture | " + actions.joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---|", count: actions.count))
        for (architecture, activation) in rowKeys {
          var entries: [String] = []
          for action in actions {
            guard let cell = cell(architecture, activation, action, kind) else {
              entries.append("")
              continue
            }
            let (verdict, expected, _, value) = cell.reading(
              algorithmic: invariance == "algorithmic")
            var entry = "\(symbol(verdict)) \(format(value))"
            if cell.trivial { entry += " (trivial)" }
            if let expected, expected != verdict { entry += " (!)" }
            entries.append(entry)
          }
          lines.append(
            "| \(architecture) \(activation) | " + entries.joined(separator: " | ") + " |")
        }
      }
    }
    lines.append("")
    lines.append(summary)
    lines += contradictionLines.map { "- " + $0 }
    return lines.joined(separator: "\n")
  }

  /// Plain text for a terminal: the markdown tables' content in aligned columns.
  public func text() -> String {
    var out: [String] = []
    let header = ["architecture"] + actions.map(abbreviate)
    for invariance in ["algorithmic", "functional"] {
      for kind in KernelKind.allCases {
        var rows: [[String]] = [header]
        for (architecture, activation) in rowKeys {
          var row = ["\(architecture) \(activation)"]
          for action in actions {
            guard let cell = cell(architecture, activation, action, kind) else {
              row.append("")
              continue
            }
            let (verdict, expected, _, value) = cell.reading(
              algorithmic: invariance == "algorithmic")
            row.append(
              symbol(verdict) + " " + format(value)
                + ((expected.map { $0 != verdict } ?? false) ? "!" : ""))
          }
          rows.append(row)
        }
        out.append("\(invariance) invariance, \(kind.rawValue.uppercased()) kernel:")
        out.append(alignColumns(rows))
        out.append("")
      }
    }
    out.append(
      "= invariant (deviation <= \(format(VerdictThresholds.kernel.roundOff)))   "
        + "x not invariant (> \(format(VerdictThresholds.kernel.effectFloor)))   ? inconclusive   "
        + "! contradicts the verdict the layers predict")
    out.append(summary)
    out += contradictionLines.map { "  " + $0 }
    return out.joined(separator: "\n")
  }

  /// Every predicted verdict with its reason, row by row and action by action (the NNGP's
  /// cells: the NTK's predictions are the same).
  public func explanation() -> String {
    var lines = ["Predicted verdicts and their reasons (the NNGP and NTK share them):"]
    for (architecture, activation) in rowKeys {
      lines.append("\(architecture) \(activation):")
      for action in actions {
        guard let cell = cell(architecture, activation, action, .nngp),
          cell.expectedAlgorithmic != nil
        else { continue }
        lines.append("  \(action):")
        lines.append(
          "    algorithmic \(cell.expectedAlgorithmic!.rawValue): \(cell.algorithmicReason ?? "")")
        lines.append(
          "    functional \(cell.expectedFunctional!.rawValue): \(cell.functionalReason ?? "")")
      }
    }
    return lines.joined(separator: "\n")
  }

  /// One line counting the predicted cells and the contradictions.
  var summary: String {
    let predicted = cells.filter { $0.expectedAlgorithmic != nil }.count
    let contradictions = self.contradictions.count
    if predicted == 0 { return "No row is an architecture, so no cell has a predicted verdict." }
    return contradictions == 0
      ? "Every one of the \(predicted) predicted cells matches the verdict its layers predict."
      : "\(contradictions) of \(predicted) predicted cells contradict the verdict their layers predict:"
  }

  /// Each contradicted verdict: the cell, what was measured, what was predicted and why.
  var contradictionLines: [String] {
    contradictions.flatMap { cell in
      [true, false].compactMap { isAlgorithmic -> String? in
        let (verdict, expected, reason, value) = cell.reading(algorithmic: isAlgorithmic)
        guard let expected, expected != verdict else { return nil }
        return "! \(cell.architecture) \(cell.activation) \(cell.kernel.rawValue.uppercased()) "
          + "\(cell.action), \(isAlgorithmic ? "algorithmic" : "functional"): measured "
          + "\(verdict.rawValue) (\(format(value))), predicted \(expected.rawValue): \(reason ?? "")"
      }
    }
  }
}

/// The verdict's one-character symbol.
func symbol(_ verdict: Verdict) -> String {
  switch verdict {
  case .invariant: return "="
  case .notInvariant: return "x"
  case .inconclusive: return "?"
  case .noSignal: return "-"
  }
}

/// A deviation in compact scientific notation (0 stays 0).
func format(_ value: Double) -> String {
  if value == 0 { return "0" }
  if !value.isFinite { return "\(value)" }
  return String(format: "%.0e", value)
}

/// Short column headings for the terminal.
func abbreviate(_ action: String) -> String {
  let known = [
    "orthogonal": "O(d)", "pixel-permutation": "pix-perm",
    "pixelwise-channel-rotation": "O(C)^P", "channel-rotation": "O(C)",
    "channel-permutation": "ch-perm", "translation": "transl",
    "horizontal-flip": "h-flip", "vertical-flip": "v-flip", "quarter-turn": "rot90",
    "patch-shuffle": "patches",
  ]
  return known[action] ?? action
}

/// Rows of cells padded to aligned columns.
func alignColumns(_ rows: [[String]]) -> String {
  let columns = rows.map(\.count).max() ?? 0
  var widths = [Int](repeating: 0, count: columns)
  for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
  return rows.map { row in
    row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
    }
    .joined(separator: "  ")
  }.joined(separator: "\n")
}
