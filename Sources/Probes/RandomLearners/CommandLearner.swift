import Foundation
import Learners
import Symmetries
import Synchronization

/// A learner from outside Swift: a shell command that trains on `.npy` files and writes its
/// predictions to one, run once per probe run.
///
/// The template holds the placeholders `{train_x}` (an (n, H, W, C) float64 `.npy` of training
/// images), `{train_y}` (an (n, k) float64 `.npy` of targets), `{test_x}` (an (m, H, W, C) float64
/// `.npy` of the images to predict), `{predictions}` (where the command writes an (m, k) float64
/// `.npy`) and `{seed}` (a non-negative integer below 2^31, the run's seed), e.g.
///
///     python3 fit.py --train-x {train_x} --train-y {train_y} --test-x {test_x} --out {predictions} --seed {seed}
///
/// Paths are substituted shell-quoted; the command runs under `/bin/sh -c` in the current folder.
///
/// **Cache.** Every run lives in `cache/runs/KEY/`, KEY the SHA-256 of the template and the
/// digests of the three input files and the seed: its predictions (`predictions.npy`, written
/// only after they were checked), standard output and standard error. A run whose predictions
/// are there is not run again, so a probe that was interrupted, or failed in one run, resumes
/// where it stopped. Input files are stored once by their digest in `cache/inputs/`.
///
/// **Timeout.** A run longer than `timeout` seconds is stopped (SIGTERM, SIGKILL two seconds
/// later) and reported.
public struct CommandLearner: RandomLearner {
  /// The placeholders a template may hold.
  public static let placeholders = ["train_x", "train_y", "test_x", "predictions", "seed"]

  /// The command line, with `{placeholder}`s for the files and the seed.
  public let template: String
  /// The folder of the resumable run cache.
  public let cache: URL
  /// Seconds a run may take before it is stopped.
  public let timeout: Double
  public var name: String { template }

  /// - Throws: `ExternalLearnerError.unknownPlaceholder` for `{name}` with another name,
  ///   `.missingPlaceholder` when `{train_x}`, `{train_y}`, `{test_x}` or `{predictions}` is
  ///   missing (`{seed}` may be left out by a deterministic learner), `ProbeError.invalidOption`
  ///   for a timeout that is not positive.
  public init(template: String, cache: URL, timeout: Double = 600) throws {
    for name in Self.placeholderNames(in: template) where !Self.placeholders.contains(name) {
      throw ExternalLearnerError.unknownPlaceholder(name, template: template)
    }
    for name in Self.placeholders.dropLast() where !template.contains("{\(name)}") {
      throw ExternalLearnerError.missingPlaceholder(name, template: template)
    }
    guard timeout > 0, timeout.isFinite else {
      throw ProbeError.invalidOption(
        "the timeout must be a positive number of seconds, got \(timeout)")
    }
    self.template = template
    self.cache = cache
    self.timeout = timeout
  }

  /// The names inside braces, `{name}` with a name of letters, digits and underscores.
  static func placeholderNames(in template: String) -> [String] {
    var names: [String] = []
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      let name = after[..<close]
      if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
        names.append(String(name))
      }
      rest = after[after.index(after: close)...]
    }
    return names
  }

  /// The folder of the run with these inputs, whether or not it has run.
  public func runFolder(train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64) throws
    -> URL
  {
    try prepare(train: train, targets: targets, test: test, seed: seed).folder
  }

  /// Whether the run with these inputs has finished (its checked predictions are in the cache).
  public func isCached(train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64) throws
    -> Bool
  {
    let folder = try prepare(train: train, targets: targets, test: test, seed: seed).folder
    return FileManager.default.fileExists(
      atPath: folder.appendingPathComponent("predictions.npy").path)
  }

  public func predictions(
    train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64, run: LearnerRun
  )
    throws -> Matrix
  {
    let inputs = try prepare(train: train, targets: targets, test: test, seed: seed)
    let expected = [test.count, targets.columns]
    let final = inputs.folder.appendingPathComponent("predictions.npy")
    if FileManager.default.fileExists(atPath: final.path),
      let cached = try? NumPyArray(npyAt: final),
      let matrix = try? Self.check(cached, expected: expected)
    {
      return matrix
    }
    try OutputPath.createFolder(inputs.folder)
    let output = inputs.folder.appendingPathComponent("output.npy")
    let errorFile = inputs.folder.appendingPathComponent("stderr.txt")
    try? FileManager.default.removeItem(at: output)
    let command =
      template
      .replacingOccurrences(of: "{train_x}", with: Self.quoted(inputs.train.path))
      .replacingOccurrences(of: "{train_y}", with: Self.quoted(inputs.targets.path))
      .replacingOccurrences(of: "{test_x}", with: Self.quoted(inputs.test.path))
      .replacingOccurrences(of: "{predictions}", with: Self.quoted(output.path))
      .replacingOccurrences(of: "{seed}", with: "\(seed)")
    func failure(_ reason: ExternalLearnerError.RunFailure) -> ExternalLearnerError {
      .runFailed(
        run: run, reason: reason, standardError: Self.lastLines(of: errorFile), runsKept: 0,
        cache: nil)
    }
    let status = try Self.execute(
      command, standardOutput: inputs.folder.appendingPathComponent("stdout.txt"),
      standardError: errorFile,
      timeout: timeout)
    switch status {
    case .exited(0): break
    case .exited(let code): throw failure(.exitStatus(code))
    case .signalled(let signal): throw failure(.signal(signal))
    case .timedOut: throw failure(.timedOut(timeout))
    case .notStarted(let reason):
      throw failure(.failed("the command could not be started: \(reason)"))
    }
    guard FileManager.default.fileExists(atPath: output.path) else {
      throw failure(.noPredictions(path: output.path))
    }
    let array: NumPyArray
    do { array = try NumPyArray(npyAt: output) } catch {
      throw failure(.unreadable(error.description))
    }
    let matrix: Matrix
    do { matrix = try Self.check(array, expected: expected) } catch let reason {
      throw failure(reason)
    }
    try DataFile.write(try matrix.npyData(for: final), to: final)
    try? FileManager.default.removeItem(at: output)
    return matrix
  }

  /// The predictions as a matrix, if their shape is `expected` and every value is finite.
  private static func check(_ array: NumPyArray, expected: [Int]) throws(ExternalLearnerError
    .RunFailure) -> Matrix
  {
    guard array.shape == expected else {
      throw .wrongShape(expected: expected, actual: array.shape)
    }
    if let index = array.values.firstIndex(where: { !$0.isFinite }) {
      throw .nonFinite(
        row: index / expected[1], column: index % expected[1], value: array.values[index])
    }
    do { return try Matrix(rows: expected[0], columns: expected[1], storage: array.values) } catch {
      throw .unreadable("\(error)")
    }
  }

  /// The input files (stored by digest) and the run's folder.
  private func prepare(train: ImageBatch, targets: Matrix, test: ImageBatch, seed: UInt64) throws
    -> (train: URL, targets: URL, test: URL, folder: URL)
  {
    let inputsFolder = cache.appendingPathComponent("inputs", isDirectory: true)
    try OutputPath.createFolder(inputsFolder)
    func store(_ data: Data) throws -> (URL, String) {
      let digest = data.withUnsafeBytes { SHA256.hexDigest(of: $0) }
      let url = inputsFolder.appendingPathComponent("\(digest).npy")
      // Runs in parallel share inputs: one writer at a time, so two never stage the same file.
      try Self.inputLock.withLock { _ in
        if !FileManager.default.fileExists(atPath: url.path) { try DataFile.write(data, to: url) }
      }
      return (url, digest)
    }
    let placeholder = inputsFolder.appendingPathComponent("input.npy")
    let (trainURL, trainDigest) = try store(train.npyData(for: placeholder))
    let (targetsURL, targetsDigest) = try store(targets.npyData(for: placeholder))
    let (testURL, testDigest) = try store(test.npyData(for: placeholder))
    let key = Array("\(template)\n\(trainDigest)\n\(targetsDigest)\n\(testDigest)\n\(seed)".utf8)
      .withUnsafeBytes { SHA256.hexDigest(of: $0) }
    let folder = cache.appendingPathComponent("runs", isDirectory: true).appendingPathComponent(
      key, isDirectory: true)
    return (trainURL, targetsURL, testURL, folder)
  }

  private static let inputLock = Mutex<Void>(())

  /// `text` single-quoted for `/bin/sh`.
  static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The last `count` non-empty lines of a text file (empty if unreadable).
  static func lastLines(of url: URL, count: Int = 8) -> [String] {
    guard let data = try? DataFile.read(url) else { return [] }
    return Array(
      String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).suffix(count).map(
        String.init))
  }

  /// How a command ended.
  enum Termination: Equatable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
    case notStarted(String)
  }

  /// Runs `command` under `/bin/sh -c`, its output streams into files (a pipe a grandchild
  /// keeps open would never reach end of file), stopping it after `timeout` seconds.
  static func execute(_ command: String, standardOutput: URL, standardError: URL, timeout: Double)
    throws
    -> Termination
  {
    for url in [standardOutput, standardError] {
      guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw DataFileError.unwritable(
          path: url.path, reason: FileSystemReason.current(writing: true))
      }
    }
    let output = try FileHandle(forWritingTo: standardOutput)
    let error = try FileHandle(forWritingTo: standardError)
    defer {
      try? output.close()
      try? error.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do { try process.run() } catch { return .notStarted("\(error)") }
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      let pid = process.processIdentifier
      // The shell's children share its process group when it leads one; stop them too.
      let group = getpgid(pid) == pid
      kill(group ? -pid : pid, SIGTERM)
      if finished.wait(timeout: .now() + 2) == .timedOut {
        kill(group ? -pid : pid, SIGKILL)
        finished.wait()
      }
      return .timedOut
    }
    switch process.terminationReason {
    case .exit: return .exited(process.terminationStatus)
    case .uncaughtSignal: return .signalled(process.terminationStatus)
    @unknown default: return .exited(process.terminationStatus)
    }
  }
}
