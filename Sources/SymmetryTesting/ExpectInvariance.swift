import Testing

// MARK: - One action family

/// Records an issue at the caller unless `subject` is invariant (`kind`) under the element of
/// `family` drawn from `seed` for `images`: for a kernel, every deviation at float64 round-off.
///
/// The message gives each deviation, the threshold, what the layers predict and why, and a
/// `symmetry-probe` command line. An element that is the identity on `images` passes trivially.
/// - Returns: the readings, for a caller that reports or checks more.
/// - Throws: what measuring throws (a bad architecture, an action that cannot act on the
///   images, a learner that fails); the issue is then Swift Testing's record of the error.
@discardableResult
public func expectInvariant(
  _ subject: some InvarianceSubject, _ kind: InvarianceKind, under family: any ActionFamily,
  on images: ProbeImages = .standard, seed: UInt64 = 0,
  parameters: ActionParameters = ActionParameters(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [InvarianceReading] {
  let check = try InvarianceCheck(
    subject, family: family, parameters: parameters, seed: seed, images: images)
  check.expect(kind, .invariant, why: "", sourceLocation: sourceLocation)
  return check.readings
}

/// Records an issue at the caller unless `subject` is not invariant (`kind`) under the
/// element of `family` drawn from `seed`: every deviation above the effect floor, so a probe
/// that always said "invariant", or an inconclusive near-symmetry, fails. This is the negative
/// control of a spurious symmetry: "my architecture breaks pixel permutations".
@discardableResult
public func expectNotInvariant(
  _ subject: some InvarianceSubject, _ kind: InvarianceKind, under family: any ActionFamily,
  on images: ProbeImages = .standard, seed: UInt64 = 0,
  parameters: ActionParameters = ActionParameters(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [InvarianceReading] {
  let check = try InvarianceCheck(
    subject, family: family, parameters: parameters, seed: seed, images: images)
  check.expect(kind, .notInvariant, why: "", sourceLocation: sourceLocation)
  return check.readings
}

// MARK: - One element

/// `expectInvariant` for one given element (named `name` in messages).
@discardableResult
public func expectInvariant(
  _ subject: some InvarianceSubject, _ kind: InvarianceKind, under element: any GroupAction,
  named name: String? = nil, on images: ProbeImages = .standard,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [InvarianceReading] {
  let check = try InvarianceCheck(
    subject, actionName: name ?? element.description, element: element, seed: nil, images: images)
  check.expect(kind, .invariant, why: "", sourceLocation: sourceLocation)
  return check.readings
}

/// `expectNotInvariant` for one given element (named `name` in messages).
@discardableResult
public func expectNotInvariant(
  _ subject: some InvarianceSubject, _ kind: InvarianceKind, under element: any GroupAction,
  named name: String? = nil, on images: ProbeImages = .standard,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> [InvarianceReading] {
  let check = try InvarianceCheck(
    subject, actionName: name ?? element.description, element: element, seed: nil, images: images)
  check.expect(kind, .notInvariant, why: "", sourceLocation: sourceLocation)
  return check.readings
}
