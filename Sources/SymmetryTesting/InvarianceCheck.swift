import Testing

/// One invariance question put to a subject: the drawn element, what was measured, what the
/// layers predict, and the words a failure needs.
struct InvarianceCheck {
  let subject: any InvarianceSubject
  let actionName: String
  let element: any GroupAction
  let images: ProbeImages
  let seed: UInt64?
  let trivial: Bool
  let readings: [InvarianceReading]
  let prediction: InvariancePrediction?

  /// Draws the element of `family` from `seed` for `images`, measures and predicts.
  init(
    _ subject: some InvarianceSubject, family: any ActionFamily, parameters: ActionParameters,
    seed: UInt64, images: ProbeImages
  ) throws {
    let element = try family.element(for: images.train.shape, parameters: parameters, seed: seed)
    try self.init(subject, actionName: family.name, element: element, seed: seed, images: images)
  }

  init(
    _ subject: some InvarianceSubject, actionName: String, element: any GroupAction, seed: UInt64?,
    images: ProbeImages
  ) throws {
    self.subject = subject
    self.actionName = actionName
    self.element = element
    self.images = images
    self.seed = seed
    trivial = try element.isIdentity(on: images.train.shape)
    readings = trivial ? [] : try subject.measureInvariance(under: element, on: images)
    prediction = try subject.predictedVerdicts(under: element, on: images.train.shape)
  }

  /// The predicted verdict and its reason for one kind, nil without layers.
  func predicted(_ kind: InvarianceKind) -> PredictedVerdict? {
    prediction.map { kind == .algorithmic ? $0.algorithmic : $0.functional }
  }

  /// Records an issue at `sourceLocation` unless every reading of `kind` has `expected`.
  func expect(
    _ kind: InvarianceKind, _ expected: Verdict, why: String, sourceLocation: SourceLocation
  ) {
    if trivial {
      if expected != .invariant {
        Issue.record(
          Comment(
            rawValue:
              "\(element) is the identity on images of \(images.train.shape), so \(subject.subjectName) "
              + "cannot fail to be invariant under it: use images on which \(actionName) acts (e.g. 2 or more "
              + "channels for a channel action) or another element\n" + reproduceLine),
          sourceLocation: sourceLocation)
      }
      return
    }
    let failing = readings.filter { $0[kind].verdict != expected }
    guard !failing.isEmpty else { return }
    Issue.record(
      Comment(rawValue: message(kind, expected: expected, why: why)), sourceLocation: sourceLocation
    )
  }

  /// The failure message: what was expected, each reading's deviation and verdict, the
  /// threshold rule, the predicted verdict with its reason, the images and a command line.
  func message(_ kind: InvarianceKind, expected: Verdict, why: String) -> String {
    let measured = readings.map {
      "\($0.quantity) deviation \(short($0[kind].deviation)) (\($0[kind].verdict))"
    }.joined(separator: ", ")
    var lines = [
      "\(subject.subjectName) should be \(kind.adverb) \(expected) under \(actionName) (\(element)\(seed.map { ", seed \($0)" } ?? ""))\(why), but measured otherwise",
      "  measured: \(measured)",
      "  threshold: \(readings.first?.rule ?? "")",
    ]
    if let predicted = predicted(kind) {
      lines.append("  predicted by the layers: \(predicted)")
    }
    for note in Set(readings.map(\.note)) where !note.isEmpty { lines.append("  note: \(note)") }
    lines.append("  images: \(images.description)")
    lines.append(reproduceLine)
    return lines.joined(separator: "\n")
  }

  /// "  reproduce: <command>", or why the tool cannot.
  var reproduceLine: String {
    guard ActionCatalogue.names.contains(actionName) else {
      return
        "  reproduce: rerun this test; the tool's catalogue has no action \"\(actionName)\" (it is yours)"
    }
    guard var command = subject.reproduceCommand(action: actionName, images: images) else {
      return "  reproduce: rerun this test; the tool cannot build \(subject.subjectName)"
    }
    if let seed { command += " --seed \(seed)" }
    return "  reproduce: \(command) (the tool draws its own element and images of a data set)"
  }
}
