import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// A job at the smallest scale that still trains every architecture: 4 x 4 CIFAR-10 images,
/// 16 for training and 20 for testing, width 4, 5 steps, one look at 3 pairs.
private func tinyJob(_ architecture: NamedArchitecture, _ action: any ActionFamily) -> FiniteInvarianceJob {
  var job = FiniteInvarianceJob()
  job.architecture = architecture
  job.action = action
  job.size = 4
  job.trainCount = 16
  job.testCount = 20
  job.width = 4
  job.steps = 5
  job.seeds = 3
  job.maxSeeds = 3
  return job
}

@Suite("symmetry-probe train: the report")
struct FiniteInvarianceJobTests {
  @Test("The JSON report has every key the issue names, with null deviation when g does not lift")
  func jsonKeys() throws {
    let lifted = try tinyJob(.fcn, OrthogonalFamily()).run()
    let broken = try tinyJob(.cnnVec, PixelwiseChannelRotationFamily()).run()
    for (report, lifts) in [(lifted, true), (broken, false)] {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
      for key in [
        "architecture", "action", "optimizer", "lifts", "transport_deviation", "ensemble_verdict",
        "ensemble_effect", "ensemble_interval", "ensemble_margin", "ensemble_seeds",
        "ensemble_difference_detected", "centred", "ensemble_loss_change",
      ] {
        #expect(object[key] != nil, "missing \(key)")
      }
      #expect(object["lifts"] as? Bool == lifts)
      #expect((object["transport_deviation"] is NSNull) == !lifts)
      #expect(Verdict(rawValue: object["ensemble_verdict"] as? String ?? "") != nil)
      #expect((object["ensemble_interval"] as? [Double])?.count == 2)
      #expect(object["centred"] as? Bool == true)
    }
  }

  @Test("The Markdown table has one row per cell under its header")
  func markdownRows() throws {
    let grid = FiniteInvarianceGrid(
      template: tinyJob(.fcn, OrthogonalFamily()), architectures: [.fcn, .cnnGap],
      actions: [TranslationFamily()], optimizers: [.gradientDescent(learningRate: 1)])
    let lines = FiniteInvarianceGrid.markdown(try grid.run()).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[2].hasPrefix("| FCN | translation | gd |") && lines[3].hasPrefix("| CNN-GAP | translation | gd |"))
  }

  @Test("The forest plot draws one dot and one interval bar per cell, coloured by verdict, and the margin")
  func forestPlot() throws {
    var reports = try [tinyJob(.fcn, OrthogonalFamily()).run(), tinyJob(.cnnGap, TranslationFamily()).run()]
    reports[0].ensembleVerdict = .notInvariant
    reports[1].ensembleVerdict = .invariant
    let svg = FiniteInvarianceGrid.svg(reports)
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
    #expect(svg.components(separatedBy: "<circle cx=").count - 1 == reports.count + Verdict.allCases.count)
    #expect(svg.contains("fill=\"#c53030\"><title>FCN / orthogonal / gd: not invariant"))
    #expect(svg.contains("fill=\"#2b6cb0\"><title>CNN-GAP / translation / gd: invariant"))
    #expect(svg.contains("stroke-dasharray") && svg.contains("margin \(reports[0].ensembleMargin)"))
    #expect(svg.contains("lifts, runs part by"))
  }

  @Test("Asking for more training images than the fixture holds is a SymmetryError")
  func tooManyImagesThrows() {
    var job = tinyJob(.fcn, OrthogonalFamily())
    job.trainCount = 1_000_000
    #expect(throws: SymmetryError.self) { try job.run() }
  }
}
