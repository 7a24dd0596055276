extension NamedArchitecture {
  /// The catalogue actions that lift to this architecture's finite parameters
  /// (`FiniteNetwork.transported(by:)`), so that gradient descent and SGD from i.i.d. Gaussian
  /// initialisation are algorithmically invariant to them exactly (DESIGN.md section 1):
  ///
  /// | architecture | lifts |
  /// |---|---|
  /// | FCN | every action (every orthogonal map enters the first dense layer) |
  /// | LCN | O(C)^P (so O(C), channel permutations), translations, flips, quarter turns |
  /// | CNN-VEC, CNN-GAP | O(C), channel permutations, translations, flips, quarter turns |
  ///
  /// CNN-VEC loses the per-pixel rotations its kernel keeps: weight sharing forbids a
  /// different filter rotation at every pixel. Zero (`same`) or `valid` padding loses the
  /// translations.
  public func expectedTransports(padding: Padding = .circular) -> Set<String> {
    let geometric: Set<String> = ["translation", "horizontal-flip", "vertical-flip", "quarter-turn"]
    let channel: Set<String> = ["channel-rotation", "channel-permutation"]
    var lifts: Set<String>
    switch self {
    case .fcn:
      return geometric.union(channel).union([
        "orthogonal", "pixel-permutation", "pixelwise-channel-rotation", "patch-shuffle",
      ])
    case .lcn:
      lifts = geometric.union(channel).union(["pixelwise-channel-rotation"])
    case .cnnVec, .cnnGap:
      lifts = geometric.union(channel)
    }
    if padding != .circular { lifts.remove("translation") }
    return lifts
  }
}
