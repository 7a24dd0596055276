import Testing

/// Records an issue at the caller for every measured verdict of `subject` under `family` that
/// differs from what its layers predict (both kinds of invariance, every reading), and one when
/// the subject has no layers to predict from.
///
/// The element is drawn from `seed` for `images`. Parameterise over the catalogue to check a
/// whole row: `@Test(arguments: ActionCatalogue.families(adding: [MyFamily()]))`. A disagreement
/// is a finding: the action's declared structure, a layer's rule or the kernel is wrong.
@discardableResult
public func expectPredictedVerdicts(
  _ subject: some InvarianceSubject, under family: any ActionFamily,
  on images: ProbeImages = .standard,
  seed: UInt64 = 0, parameters: ActionParameters = ActionParameters(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [InvarianceReading] {
  let check = try InvarianceCheck(
    subject, family: family, parameters: parameters, seed: seed, images: images)
  guard check.prediction != nil else {
    Issue.record(
      "\(subject.subjectName) has no layers, so nothing predicts its verdicts; state expectInvariant or expectNotInvariant instead",
      sourceLocation: sourceLocation)
    return check.readings
  }
  for kind in InvarianceKind.allCases {
    let predicted = check.predicted(kind)!
    check.expect(
      kind, predicted.invariant ? .invariant : .notInvariant, why: " as its layers predict",
      sourceLocation: sourceLocation)
  }
  return check.readings
}

/// `expectPredictedVerdicts` for each family in turn, the element of family i drawn from
/// `seed + i` as `symmetry-probe table` draws its columns: the measured row against the
/// predicted row.
public func expectPredictedRow(
  _ subject: some InvarianceSubject, under families: [any ActionFamily] = ActionCatalogue.families,
  on images: ProbeImages = .standard, seed: UInt64 = 0,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  for (index, family) in families.enumerated() {
    try expectPredictedVerdicts(
      subject, under: family, on: images, seed: seed &+ UInt64(index),
      sourceLocation: sourceLocation)
  }
}
