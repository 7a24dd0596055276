import Learners

/// docs/design.md's empirical claims, each a fixed hypothesis (see `EmpiricalClaim`).
///
/// Accuracy effects are taken at the largest training-set size every learner of the comparison
/// reached (CNN-GAP's cap where it takes part); exponents over every size that learner reached.
/// LCN and CNN-VEC share one kernel, so claims about "LCN and CNN-VEC" are measured once, on
/// CNN-VEC. The identity LCN = CNN-VEC itself is not an empirical claim (it holds by
/// construction) and is checked on the kernels, not here.
public enum ClaimCatalogue {
  /// Every kernel claim for each of `kinds`, then the finite-network claims (which need
  /// `curves --finite` data and are skipped by `evaluate` when it is absent).
  public static func claims(kinds: [KernelKind]) -> [EmpiricalClaim] {
    kinds.flatMap(kernelClaims) + finiteClaims
  }

  /// Measures every claim that `curves` has the learners for.
  public static func evaluate(_ curves: LearningCurves, scale: ClaimScale, kinds: [KernelKind])
    throws
    -> [ClaimResult]
  {
    try claims(kinds: kinds).compactMap { try $0.evaluate(curves, scale: scale) }
  }

  // MARK: - Kernel regression

  /// The kernel-regression claims (1a-4a, 6a, 6b) for one kernel, NNGP or NTK.
  public static func kernelClaims(_ kind: KernelKind) -> [EmpiricalClaim] {
    let k = CurveKernel(kind)
    let tag = kind.rawValue
    let label = k.label
    func key(_ architecture: NamedArchitecture, _ action: String = "none", on: ActedOn = .data)
      -> CurveKey
    {
      CurveKey(architecture: architecture.rawValue, kernel: k, action: action, actedOn: on)
    }
    func difference(
      _ id: String, _ statement: String, _ a: CurveKey, _ b: CurveKey, _ hypothesis: ClaimHypothesis
    ) -> EmpiricalClaim {
      EmpiricalClaim(
        id: "\(id)-\(tag)", statement: "\(statement) (\(label))",
        effectDescription: "accuracy(\(a)) - accuracy(\(b)) at the largest shared m",
        hypothesis: hypothesis,
        effect: { curves in curves.pairedAccuracyDifference(a, b) }, isExact: false)
    }
    let equal = ClaimHypothesis.equivalent(fixedMargin: EmpiricalClaim.accuracyMargin)
    return [
      difference(
        "1a", "On natural images kernel regression ranks CNN-GAP above CNN-VEC", key(.cnnGap),
        key(.cnnVec),
        .positive),
      difference(
        "1b", "On natural images kernel regression ranks CNN-VEC (= LCN) above FCN", key(.cnnVec),
        key(.fcn),
        .positive),
      EmpiricalClaim(
        id: "2a-\(tag)",
        statement:
          "FCN learns exactly the same from data under a random orthogonal map or pixel permutation (\(label))",
        effectDescription:
          "largest relative change of FCN's test MSE over actions, repeats and sizes",
        hypothesis: .equivalent(fixedMargin: EmpiricalClaim.exactMargin),
        effect: {
          [fcn = key(.fcn), moved = [key(.fcn, "orthogonal"), key(.fcn, "pixel-permutation")]]
          curves in
          curves.largestRelativeMSEChange(fcn, moved)
        }, isExact: true),
      difference(
        "2b", "A random orthogonal map of the data costs CNN-GAP accuracy", key(.cnnGap),
        key(.cnnGap, "orthogonal"),
        .positive),
      difference(
        "2c", "A random orthogonal map of the data costs LCN and CNN-VEC accuracy", key(.cnnVec),
        key(.cnnVec, "orthogonal"), .positive),
      difference(
        "2d", "A random pixel permutation of the data costs CNN-GAP accuracy", key(.cnnGap),
        key(.cnnGap, "pixel-permutation"), .positive),
      difference(
        "2e", "A random pixel permutation of the data costs LCN and CNN-VEC accuracy", key(.cnnVec),
        key(.cnnVec, "pixel-permutation"), .positive),
      difference(
        "2f", "Under a random orthogonal map CNN-GAP performs about as FCN does (within 0.01)",
        key(.cnnGap, "orthogonal"), key(.fcn), equal),
      difference(
        "2g",
        "Under a random orthogonal map LCN and CNN-VEC perform about as FCN does (within 0.01)",
        key(.cnnVec, "orthogonal"), key(.fcn), equal),
      difference(
        "3a", "Shuffling 2 x 2 patches costs CNN-GAP less than shuffling pixels",
        key(.cnnGap, "patch-shuffle-2x2"),
        key(.cnnGap, "pixel-permutation"), .positive),
      difference(
        "3b", "Shuffling 2 x 2 patches costs LCN and CNN-VEC less than shuffling pixels",
        key(.cnnVec, "patch-shuffle-2x2"), key(.cnnVec, "pixel-permutation"), .positive),
      difference(
        "4a",
        "Degrading the data and the model agree: CNN-GAP on O(d)-rotated data performs as CNN-GAP symmetrised over O(d) (within 0.01)",
        key(.cnnGap, "orthogonal"), key(.cnnGap, "orthogonal", on: .model), equal),
      exponent(
        "6a", "The better-matched learner has the larger learning-curve exponent: CNN-GAP over FCN",
        key(.cnnGap), key(.fcn), tag: tag, label: label),
      exponent(
        "6b", "The better-matched learner has the larger learning-curve exponent: CNN-VEC over FCN",
        key(.cnnVec), key(.fcn), tag: tag, label: label),
    ]
  }

  static func exponent(
    _ id: String, _ statement: String, _ a: CurveKey, _ b: CurveKey, tag: String, label: String
  )
    -> EmpiricalClaim
  {
    EmpiricalClaim(
      id: "\(id)-\(tag)", statement: "\(statement) (\(label))",
      effectDescription:
        "alpha(\(a)) - alpha(\(b)), test MSE ~ m^(-alpha) fitted per repeat over the shared sizes",
      hypothesis: .positive, effect: { curves in curves.pairedExponentDifference(a, b) },
      isExact: false)
  }

  // MARK: - Finite networks

  /// Claims 5a-5c and 4b for networks in NTK parameterisation (`ClaimScale.finiteExperiment`).
  public static let finiteClaims = finiteClaims(idSuffix: "", label: "")

  /// The same claims, ids ending "-std", for networks in standard parameterisation trained until
  /// they fit their training set (`ClaimScale.standardFiniteExperiment`): issue 15 item 6's
  /// "real chance" for claim 5, with the same hypotheses and margin.
  public static let standardFiniteClaims = finiteClaims(
    idSuffix: "-std", label: " (standard parameterisation, trained to fit)")

  static func finiteClaims(idSuffix: String, label: String) -> [EmpiricalClaim] {
    let rotation = "pixelwise-channel-rotation"
    func key(_ architecture: NamedArchitecture, _ kernel: CurveKernel, _ action: String = "none")
      -> CurveKey
    {
      CurveKey(architecture: architecture.rawValue, kernel: kernel, action: action, actedOn: .data)
    }
    let finite = key(.cnnVec, .finiteSGD)
    let ntk = key(.cnnVec, .ntk)
    let finiteRotated = key(.cnnVec, .finiteSGD, rotation)
    let ntkRotated = key(.cnnVec, .ntk, rotation)
    let lcn = key(.lcn, .ntk)
    return [
      EmpiricalClaim(
        id: "5a" + idSuffix,
        statement: "Finite SGD CNN-VEC beats its infinite-width NTK on natural images" + label,
        effectDescription:
          "accuracy(\(finite)) - accuracy(\(ntk)) at the finite networks' largest m",
        hypothesis: .positive, effect: { $0.pairedAccuracyDifference(finite, ntk) }, isExact: false),
      EmpiricalClaim(
        id: "5b" + idSuffix,
        statement:
          "The finite network's advantage over its kernel is larger on natural than on O(C)^P-rotated data"
          + label,
        effectDescription:
          "(finite - NTK on natural) - (finite - NTK on per-pixel channel-rotated data)",
        hypothesis: .positive,
        effect: { curves in
          guard let natural = curves.pairedAccuracyDifference(finite, ntk),
            let rotated = curves.pairedAccuracyDifference(finiteRotated, ntkRotated),
            natural.count == rotated.count
          else { return nil }
          return zip(natural, rotated).map { $0 - $1 }
        }, isExact: false),
      EmpiricalClaim(
        id: "5c" + idSuffix,
        statement: "On O(C)^P-rotated data finite SGD CNN-VEC performs as its NTK (within 0.01)"
          + label,
        effectDescription: "accuracy(\(finiteRotated)) - accuracy(\(ntkRotated))",
        hypothesis: .equivalent(fixedMargin: EmpiricalClaim.accuracyMargin),
        effect: { $0.pairedAccuracyDifference(finiteRotated, ntkRotated) }, isExact: false),
      EmpiricalClaim(
        id: "4b" + idSuffix,
        statement:
          "Degrading the data and the model agree: finite CNN-VEC on per-pixel channel-rotated data performs as LCN's NTK (within 0.01)"
          + label,
        effectDescription: "accuracy(\(finiteRotated)) - accuracy(\(lcn))",
        hypothesis: .equivalent(fixedMargin: EmpiricalClaim.accuracyMargin),
        effect: { $0.pairedAccuracyDifference(finiteRotated, lcn) }, isExact: false),
    ]
  }
}

extension LearningCurves {
  /// The largest training-set size at which every curve in `keys` was measured.
  func largestSharedSize(_ keys: [CurveKey]) -> Int? {
    let sets = keys.map { key in Set(measurements.filter { $0.key == key }.map(\.trainSize)) }
    guard var shared = sets.first else { return nil }
    for set in sets.dropFirst() { shared.formIntersection(set) }
    return shared.max()
  }

  /// accuracy(a) - accuracy(b) per repeat at the largest shared size; nil if either is missing.
  func pairedAccuracyDifference(_ a: CurveKey, _ b: CurveKey) -> [Double]? {
    guard let m = largestSharedSize([a, b]) else { return nil }
    let x = repeats(a, trainSize: m).map(\.accuracy)
    let y = repeats(b, trainSize: m).map(\.accuracy)
    guard x.count == y.count, !x.isEmpty else { return nil }
    return zip(x, y).map { $0 - $1 }
  }

  /// alpha(a) - alpha(b) per repeat, each fitted over the sizes both reached.
  func pairedExponentDifference(_ a: CurveKey, _ b: CurveKey) -> [Double]? {
    guard let m = largestSharedSize([a, b]) else { return nil }
    let sizes = Set(measurements.filter { $0.key == a && $0.trainSize <= m }.map(\.trainSize))
      .intersection(measurements.filter { $0.key == b }.map(\.trainSize)).sorted()
    guard sizes.count >= 2 else { return nil }
    func exponents(_ key: CurveKey) -> [Double] {
      let losses = sizes.map { repeats(key, trainSize: $0).map(\.mse) }
      let byRepeat = (0..<(losses.first?.count ?? 0)).map { r in losses.map { $0[r] } }
      // One loss per shared size in every row, by construction.
      return try! ScalingFit.exponents(sizes: sizes, losses: byRepeat)
    }
    let x = exponents(a)
    let y = exponents(b)
    guard x.count == y.count, !x.isEmpty else { return nil }
    return zip(x, y).map { $0 - $1 }
  }

  /// The largest |MSE(moved) - MSE(base)| / MSE(base) over every repeat and size, one value per
  /// repeat (its largest over actions and sizes); nil if any curve is missing.
  func largestRelativeMSEChange(_ base: CurveKey, _ moved: [CurveKey]) -> [Double]? {
    let sizes = Set(measurements.filter { $0.key == base }.map(\.trainSize)).sorted()
    guard !sizes.isEmpty else { return nil }
    var largest: [Double] = []
    for m in sizes {
      let reference = repeats(base, trainSize: m).map(\.mse)
      if largest.isEmpty { largest = Array(repeating: 0, count: reference.count) }
      for key in moved {
        let values = repeats(key, trainSize: m).map(\.mse)
        guard values.count == reference.count else { return nil }
        for r in values.indices {
          largest[r] = max(largest[r], abs(values[r] - reference[r]) / reference[r])
        }
      }
    }
    return largest
  }
}
