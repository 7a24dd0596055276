import Foundation
import Learners
import Probes
import Symmetries
import Testing

/// A job at the smallest scale that still trains every architecture: 4 x 4 CIFAR-10 images,
/// 16 for training and 20 for testing, width 4, 5 steps, one look at 3 pairs.
private func tinyJob(_ architecture: NamedArchitecture, _ action: any ActionFamily)
  -> FiniteInvarianceJob
{
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
        "architecture", "action", "optimizer", "lifts", "transport_deviation", "verdict", "exact",
        "distributional", "ensemble_effect", "ensemble_interval", "ensemble_element_effects",
        "ensemble_element_intervals", "ensemble_confidence", "ensemble_p_equal",
        "ensemble_p_differ",
        "family_size", "alpha", "multiplicity", "seed", "held_out", "elements", "ensemble_margin",
        "ensemble_seeds", "ensemble_difference_detected", "centred", "ensemble_loss_change",
        "parameterisation", "probes",
      ] {
        #expect(object[key] != nil, "missing \(key)")
      }
      #expect(object["lifts"] as? Bool == lifts)
      #expect((object["transport_deviation"] is NSNull) == !lifts)
      #expect(FiniteVerdict(rawValue: object["verdict"] as? String ?? "") != nil)
      #expect(
        ExactVerdict(rawValue: object["exact"] as? String ?? "") == (lifts ? .invariant : .unknown))
      #expect(DistributionalVerdict(rawValue: object["distributional"] as? String ?? "") != nil)
      #expect((object["ensemble_interval"] as? [Double])?.count == 2)
      #expect((object["ensemble_element_effects"] as? [Double])?.count == 3)
      #expect(
        (object["multiplicity"] as? String)?.hasPrefix("Holm over the 2 one-sided tests of 1 cell")
          == true)
      #expect(object["centred"] as? Bool == true)
      #expect(object["parameterisation"] as? String == "ntk")
      #expect(object["probes"] as? String == "natural")
      #expect(object["ensemble_test_loss"] is Double && object["zero_predictor_loss"] is Double)
    }
  }

  @Test(
    "An Adam cell compares the ensembles at coordinate probes, which carry no labels: its test losses are null"
  )
  func adamCoordinateProbes() throws {
    var job = tinyJob(.fcn, OrthogonalFamily())
    job.optimizer = .adam(learningRate: 0.03)
    let report = try job.run()
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    #expect(object["probes"] as? String == "coordinates")
    for key in ["ensemble_test_loss", "zero_predictor_loss", "ensemble_loss_change"] {
      #expect(object[key] is NSNull, "\(key) should be null on coordinate probes")
    }
    #expect(
      report.text().contains("coordinate probes") && report.text().contains("test loss: none"))
    let row = FiniteInvarianceGrid.markdown([report]).split(separator: "\n")[2]
    #expect(row.hasSuffix("| coordinates | - |"), "\(row)")
    job.probeInputs = .natural
    #expect(try job.run().ensembleTestLoss != nil)
  }

  @Test("The Markdown table has one row per cell under its header")
  func markdownRows() throws {
    let grid = FiniteInvarianceGrid(
      template: tinyJob(.fcn, OrthogonalFamily()), architectures: [.fcn, .cnnGap],
      actions: [TranslationFamily()], optimizers: [.gradientDescent(learningRate: 1)])
    let reports = try grid.run()
    #expect(
      reports.allSatisfy {
        $0.familySize == 2
          && $0.multiplicity.hasPrefix("Holm over the 4 one-sided tests of 2 cells")
      })
    let lines = FiniteInvarianceGrid.markdown(reports).split(
      separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 6)
    #expect(
      lines[2].hasPrefix("| FCN | translation | gd |")
        && lines[3].hasPrefix("| CNN-GAP | translation | gd |"))
    #expect(lines[5].contains("multiplicity: Holm"))
  }

  @Test(
    "The forest plot draws one dot and bar per cell and one open circle per other element, coloured by the summary verdict, and the margin"
  )
  func forestPlot() throws {
    var reports = try [
      tinyJob(.fcn, OrthogonalFamily()).run(), tinyJob(.cnnGap, TranslationFamily()).run(),
    ]
    reports[0].exact = .notInvariant
    reports[0].distributional = .equal
    reports[1].exact = .invariant
    reports[1].distributional = .equal
    let svg = FiniteInvarianceGrid.svg(reports)
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
    let others = reports.reduce(0) { $0 + $1.ensembleElementEffects.count - 1 }
    #expect(
      svg.components(separatedBy: "<circle cx=").count - 1 == reports.count + others
        + FiniteVerdict.allCases.count)
    #expect(
      svg.contains(
        "fill=\"#dd6b20\"><title>FCN / orthogonal / gd: not exactly invariant; distributions equal within margin"
      ))
    #expect(svg.contains("fill=\"#2b6cb0\"><title>CNN-GAP / translation / gd: invariant"))
    #expect(svg.contains("stroke-dasharray") && svg.contains("margin \(reports[0].ensembleMargin)"))
    #expect(svg.contains("exactly invariant, runs part by"))
  }

  @Test(
    "The summary never says plain invariant when transport shows a break, and says invariant only with exact or distributional support"
  )
  func summaryKeepsTheEvidenceApart() {
    for exact in ExactVerdict.allCases {
      for distributional in DistributionalVerdict.allCases {
        let summary = FiniteVerdict(exact: exact, distributional: distributional)
        if exact == .notInvariant { #expect(summary != .invariant, "\(exact), \(distributional)") }
        if summary == .invariant { #expect(exact == .invariant || distributional == .equal) }
        if summary == .notInvariant { #expect(distributional == .notEqual && exact != .invariant) }
      }
    }
    #expect(FiniteVerdict(exact: .notInvariant, distributional: .equal) == .brokenButClose)
    #expect(FiniteVerdict(exact: .invariant, distributional: .notEqual) == .conflicting)
    #expect(FiniteVerdict(exact: .unknown, distributional: .notEqual) == .notInvariant)
    // Zero outputs make transport exact trivially: no signal overrides it.
    #expect(FiniteVerdict(exact: .invariant, distributional: .noSignal) == .noSignal)
  }

  @Test(
    "Weight transport's verdict: round-off is exact, a deviation above the floor is a break, no lift is unknown"
  )
  func exactVerdictFromDeviations() {
    #expect(ExactVerdict(deviations: [2e-15, 1e-15, 4e-15]) == .invariant)
    #expect(ExactVerdict(deviations: [2e-15, 0.15, 1e-15]) == .notInvariant)
    #expect(ExactVerdict(deviations: [nil, nil, nil]) == .unknown)
    #expect(ExactVerdict(deviations: [1e-15, nil]) == .unknown)
    #expect(ExactVerdict(deviations: [1e-8]) == .unknown)
  }

  @Test(
    "A fixed shift is one element; --elements 0 and too many held-out test images are typed errors")
  func elementsAndHeldOutInput() throws {
    var job = tinyJob(.cnnGap, TranslationFamily())
    job.parameters.shift = PixelShift(dy: 1, dx: 1)
    #expect(try job.run().elements == 1)
    job.elements = 0
    #expect(throws: ProbeError.self) { try job.run() }
    var heldOut = tinyJob(.fcn, OrthogonalFamily())
    heldOut.heldOut = true
    heldOut.testCount = 501
    #expect(throws: ProbeError.self) { try heldOut.run() }
    heldOut.testCount = 20
    let report = try heldOut.run()
    #expect(report.heldOut && report.elements == 3)
  }

  @Test("Asking for more training images than the fixture holds is a SymmetryError")
  func tooManyImagesThrows() {
    var job = tinyJob(.fcn, OrthogonalFamily())
    job.trainCount = 1_000_000
    #expect(throws: SymmetryError.self) { try job.run() }
  }
}
