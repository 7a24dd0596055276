extension NamedArchitecture {
  /// The invariances of this architecture's NNGP and NTK, from DESIGN.md section 1.
  ///
  /// | architecture | algorithmic | functional |
  /// |---|---|---|
  /// | FCN | O(d), hence every action in the catalogue | none |
  /// | LCN, CNN-VEC | O(C)^P (so O(C), channel permutations), translations, flips, quarter turns | none |
  /// | CNN-GAP | O(C), channel permutations, translations, flips, quarter turns | translations |
  ///
  /// Why: FCN sees only <x, x'>. The local layers see per-pixel channel inner products and mix
  /// them over a filter window that circular padding makes equivariant to translations, and
  /// whose square k x k shape makes it equivariant to flips and quarter turns; a flatten readout
  /// sums the pixel diagonal, which is invariant to all of these. Pooling sums all pixel pairs,
  /// which loses the per-pixel rotations but gains functional invariance to translations.
  /// With `same` or `valid` padding the border breaks translations (flips and turns map the
  /// zero border to itself and survive).
  ///
  /// A new action joins the table by adding its name to the sets of the architectures that
  /// should be invariant to it.
  public func expectedKernelInvariances(padding: Padding = .circular) -> ExpectedInvariances {
    let geometric: Set<String> = ["translation", "horizontal-flip", "vertical-flip", "quarter-turn"]
    let channel: Set<String> = ["channel-rotation", "channel-permutation"]
    var expected: ExpectedInvariances
    switch self {
    case .fcn:
      return ExpectedInvariances(
        algorithmic: geometric.union(channel).union([
          "orthogonal", "pixel-permutation", "pixelwise-channel-rotation", "patch-shuffle",
        ]),
        functional: [])
    case .lcn, .cnnVec:
      expected = ExpectedInvariances(
        algorithmic: geometric.union(channel).union(["pixelwise-channel-rotation"]), functional: [])
    case .cnnGap:
      expected = ExpectedInvariances(algorithmic: geometric.union(channel), functional: ["translation"])
    }
    if padding != .circular {
      expected.algorithmic.remove("translation")
      expected.functional.remove("translation")
    }
    return expected
  }
}
