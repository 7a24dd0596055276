import Foundation
import Learners
import Probes
import Symmetries
import Testing

// MARK: - Fixtures of these tests

/// A fresh folder for one test's cache and files.
private func scratchFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "external-learner-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// 6 training and 3 test images of 2 x 2 x 2 with 2 target columns: data for shell learners
/// that never look at them.
private let tinyTrain = try! ImageBatch(
  count: 6, height: 2, width: 2, channels: 2, values: (0..<48).map { Double($0 % 7) - 3 })
private let tinyTest = try! ImageBatch(
  count: 3, height: 2, width: 2, channels: 2, values: (0..<24).map { Double($0 % 5) - 2 })
private let tinyTargets = try! Matrix(
  rows: 6, columns: 2, storage: (0..<12).map { $0 % 2 == 0 ? 0.5 : -0.5 })

/// Writes a (rows, columns) float64 `.npy` of `value`s (or a seeded sequence) named `name`.
@discardableResult
private func predictionFile(_ folder: URL, _ name: String, shape: [Int], value: Double? = nil)
  throws -> URL
{
  let count = shape.reduce(1, *)
  let url = folder.appendingPathComponent(name)
  try NumPyArray(shape: shape, values: (0..<count).map { value ?? sin(Double($0) * 1.7) }).write(
    npyTo: url)
  return url
}

/// The command-line placeholders a shell learner must mention even if it ignores them.
private let ignoredInputs = "# {train_x} {train_y} {test_x} {seed}"

private let run = LearnerRun(arm: "g2.S", pair: 5, seed: 1234)

/// Runs `command` once on the tiny data and returns the error it throws.
private func failure(of command: String, timeout: Double = 30) throws -> ExternalLearnerError {
  let folder = try scratchFolder()
  let learner = try CommandLearner(template: command, cache: folder, timeout: timeout)
  do {
    _ = try learner.predictions(
      train: tinyTrain, targets: tinyTargets, test: tinyTest, seed: 1234, run: run)
  } catch let error as ExternalLearnerError {
    return error
  }
  Issue.record("the command '\(command)' did not fail")
  throw ExternalLearnerError.missingPlaceholder("none", template: command)
}

/// The reason of a failed run, and whether the message names the run, its seed and its arm.
private func reason(_ error: ExternalLearnerError) -> ExternalLearnerError.RunFailure? {
  guard case .runFailed(let failed, let reason, _, _, _) = error, failed == run else { return nil }
  let message = error.description
  return message.contains("run 5 of arm g2.S (seed 1234)") ? reason : nil
}

// MARK: - Bad input

@Suite(
  "External learners: every bad run is a typed error naming the run, its seed, its arm and its standard error"
)
struct ExternalLearnerErrorTests {
  @Test("A template with an unknown placeholder is refused before anything runs")
  func unknownPlaceholder() throws {
    #expect(
      throws: ExternalLearnerError.unknownPlaceholder(
        "tran_x", template: "fit {tran_x} {train_y} {test_x} {predictions}")
    ) {
      try CommandLearner(
        template: "fit {tran_x} {train_y} {test_x} {predictions}", cache: try scratchFolder())
    }
    #expect(
      throws: ExternalLearnerError.missingPlaceholder(
        "predictions", template: "fit {train_x} {train_y} {test_x}")
    ) {
      try CommandLearner(template: "fit {train_x} {train_y} {test_x}", cache: try scratchFolder())
    }
    let message = ExternalLearnerError.unknownPlaceholder("tran_x", template: "t").description
    #expect(message.contains("{tran_x}") && message.contains("{train_x}"))
  }

  @Test("A command that exits non-zero: its status and the last lines of its standard error")
  func nonZeroExit() throws {
    let error = try failure(
      of:
        "echo first line >&2; echo 'Traceback: out of memory' >&2; exit 3 \(ignoredInputs) {predictions}"
    )
    #expect(reason(error) == .exitStatus(3))
    guard case .runFailed(_, _, let standardError, _, _) = error else { return }
    #expect(standardError == ["first line", "Traceback: out of memory"])
    #expect(error.description.contains("Traceback: out of memory"))
  }

  @Test("A command that runs past its timeout is stopped and reported")
  func timeout() throws {
    let start = Date()
    let error = try failure(of: "sleep 30 \(ignoredInputs) {predictions}", timeout: 0.5)
    #expect(reason(error) == .timedOut(0.5))
    #expect(Date().timeIntervalSince(start) < 20)
  }

  @Test("A timed-out command's own children are stopped with it (its whole process group)")
  func timeoutStopsChildren() throws {
    let folder = try scratchFolder()
    let pidFile = folder.appendingPathComponent("child.pid")
    // The shell starts a background child, records its pid, then waits: after the timeout
    // neither may be left running (a learner's worker processes must not outlive its run). The
    // child's output goes elsewhere, so it cannot hold the run's pipes open: stopping only the
    // shell would return at the timeout and leave the child running, which this test catches.
    let error = try failure(
      of:
        "sh -c 'sleep 300 >/dev/null 2>&1 & echo $! > \(pidFile.path); wait' \(ignoredInputs) {predictions}",
      timeout: 0.5)
    #expect(reason(error) == .timedOut(0.5))
    let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let child = try #require(Int32(text))
    // Give the SIGKILL that follows SIGTERM time to land (the run waits two seconds for it).
    var alive = true
    for _ in 0..<50 where alive {
      // A killed child nobody has reaped yet is a zombie: it exists but no longer runs.
      let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?
        .split(separator: ")").last?.split(separator: " ").first
      alive = kill(child, 0) == 0 && state != "Z"
      if alive { usleep(100_000) }
    }
    #expect(!alive, "the learner's child \(child) outlived the run's timeout")
  }

  @Test("A command that exits 0 without writing predictions")
  func writesNothing() throws {
    let error = try failure(of: "true \(ignoredInputs) {predictions}")
    guard case .noPredictions = reason(error) else {
      Issue.record("expected no predictions, got \(error)")
      return
    }
  }

  @Test("Predictions of the wrong shape")
  func wrongShape() throws {
    let folder = try scratchFolder()
    let file = try predictionFile(folder, "wrong.npy", shape: [3, 5])
    let error = try failure(of: "cp '\(file.path)' {predictions} \(ignoredInputs)")
    #expect(reason(error) == .wrongShape(expected: [3, 2], actual: [3, 5]))
  }

  @Test("NaN or infinite predictions", arguments: [Double.nan, .infinity])
  func nonFinite(value: Double) throws {
    let folder = try scratchFolder()
    let file = try predictionFile(folder, "bad.npy", shape: [3, 2], value: value)
    let error = try failure(of: "cp '\(file.path)' {predictions} \(ignoredInputs)")
    guard case .nonFinite(0, 0, let found) = reason(error) else {
      Issue.record("expected a non-finite prediction, got \(error)")
      return
    }
    #expect(found.isNaN == value.isNaN)
  }

  @Test("A file that is not a .npy file")
  func unreadable() throws {
    let error = try failure(of: "echo hello > {predictions} \(ignoredInputs)")
    guard case .unreadable = reason(error) else {
      Issue.record("expected an unreadable file, got \(error)")
      return
    }
  }

  @Test(
    "A NumPy learner on a machine without NumPy fails as a typed error carrying Python's ImportError"
  )
  func missingNumPy() throws {
    let folder = try scratchFolder()
    // A package named numpy that refuses to import hides an installed NumPy, so the no-NumPy
    // path runs on every machine, with or without NumPy.
    let fake = folder.appendingPathComponent("numpy")
    try FileManager.default.createDirectory(at: fake, withIntermediateDirectories: true)
    try Data("raise ImportError(\"No module named 'numpy' (hidden by the test)\")\n".utf8)
      .write(to: fake.appendingPathComponent("__init__.py"))
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("examples/random_features.py")
    let error = try failure(
      of:
        "PYTHONPATH='\(folder.path)' python3 '\(script.path)' {train_x} {train_y} {test_x} {predictions} {seed}"
    )
    guard case .exitStatus(let status)? = reason(error), status != 0 else {
      Issue.record("expected a non-zero exit naming the run, got \(error)")
      return
    }
    guard case .runFailed(_, _, let standardError, _, _) = error else { return }
    // Python names the missing module; a machine without python3 at all says that instead.
    #expect(standardError.contains { $0.contains("numpy") || $0.contains("python3") }, "\(error)")
  }

  @Test(
    "A probe that fails in one run keeps the runs before it, and resumes from them without running them again"
  )
  func failedProbeResumes() throws {
    let folder = try scratchFolder()
    // S runs predict the test images and one moved copy (6 rows), g.S runs 3 rows: the shell
    // tells them apart by the size of {test_x}.
    let stacked = try ImageBatch(shape: tinyTest.shape, values: tinyTest.values + tinyTest.values)
    for batch in [tinyTest, stacked] {
      let bytes = try batch.npyData(for: folder.appendingPathComponent("x.npy")).count
      try predictionFile(folder, "p\(bytes).npy", shape: [batch.count, 2])
    }
    let probe = LearnerInvarianceProbe(seeds: 3, maxSeeds: 3, seed: 11, jobs: 1)
    let bad = LearnerInvarianceProbe.runSeed(11, pair: 2)
    let log = folder.appendingPathComponent("log").path
    let toggle = folder.appendingPathComponent("fail").path
    let template =
      "echo ran >> '\(log)'; if [ -e '\(toggle)' ] && [ {seed} = \(bad) ]; then echo 'bad seed' >&2; exit 4; fi; "
      + "cp '\(folder.path)'/p$(wc -c < {test_x} | tr -d ' ').npy {predictions} # {train_x} {train_y}"
    let learner = try CommandLearner(
      template: template, cache: folder.appendingPathComponent("cache"))
    #expect(FileManager.default.createFile(atPath: toggle, contents: nil))
    let element = Translation(dy: 1, dx: 0)
    do {
      _ = try probe.measure(
        learner, under: [element], train: tinyTrain, targets: tinyTargets, test: tinyTest)
      Issue.record("the probe did not fail")
    } catch let error as ExternalLearnerError {
      guard case .runFailed(let failed, .exitStatus(4), let standardError, let kept, _) = error
      else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(failed.pair == 2 && failed.arm == "S" && failed.seed == bad)
      #expect(standardError == ["bad seed"])
      // Pairs 0 and 1 (an S and a g1.S run each) finished before pair 2's S run failed.
      #expect(kept == 4)
    }
    func executions() throws -> Int {
      String(decoding: try DataFile.read(URL(fileURLWithPath: log)), as: UTF8.self).split(
        separator: "\n"
      ).count
    }
    #expect(try executions() == 5)
    try FileManager.default.removeItem(atPath: toggle)
    let measurement = try probe.measure(
      learner, under: [element], train: tinyTrain, targets: tinyTargets, test: tinyTest)
    #expect(measurement.runs == 6)
    // Only the two runs of pair 2 ran again.
    #expect(try executions() == 7)
    // A third probe runs nothing.
    _ = try probe.measure(
      learner, under: [element], train: tinyTrain, targets: tinyTargets, test: tinyTest)
    #expect(try executions() == 7)
  }

  @Test("Runs in parallel give the same measurement as one at a time")
  func jobsDoNotChangeResults() throws {
    let folder = try scratchFolder()
    // Each run's predictions depend on its seed and arm, so a mix-up between runs would show.
    let stacked = try ImageBatch(shape: tinyTest.shape, values: tinyTest.values + tinyTest.values)
    for batch in [tinyTest, stacked] {
      let bytes = try batch.npyData(for: folder.appendingPathComponent("x.npy")).count
      for variant in 0..<4 {
        let values = (0..<(batch.count * 2)).map {
          sin(Double($0) * (batch.count == 3 ? 1 : 1.3) + Double(10 * variant))
        }
        try NumPyArray(shape: [batch.count, 2], values: values).write(
          npyTo: folder.appendingPathComponent("p\(bytes)_\(variant).npy"))
      }
    }
    let template =
      "cp '\(folder.path)'/p$(wc -c < {test_x} | tr -d ' ')_$(({seed} % 4)).npy {predictions} # {train_x} {train_y}"
    func measure(jobs: Int) throws -> LearnerInvarianceMeasurement {
      let learner = try CommandLearner(
        template: template, cache: folder.appendingPathComponent("cache\(jobs)"))
      return try LearnerInvarianceProbe(seeds: 4, maxSeeds: 4, seed: 3, jobs: jobs).measure(
        learner, under: [Translation(dy: 0, dx: 1)], train: tinyTrain, targets: tinyTargets,
        test: tinyTest)
    }
    let serial = try measure(jobs: 1)
    #expect(serial.algorithmicDeviation > 0)
    #expect(try serial == measure(jobs: 3))
  }
}
