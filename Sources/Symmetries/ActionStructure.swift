/// What one group element does to an image, in the terms the layers' symmetry rules use.
///
/// Every catalogue action is one of two kinds:
/// - `flattenedOrthogonal`: an orthogonal map Q of the flattened image that mixes pixels
///   (g x = Q x, the group O(d)); only inner products <x, x'> survive it;
/// - `pixelMap(motion, channels)`: (g x)(p) = R_p x(source[p]), every output pixel reading one
///   input pixel, its channel vector mapped by R_p as `channels` says (the identity, one
///   permutation or rotation for every pixel, or an independent rotation per pixel).
///
/// The rules of `Learners` (`Architecture.predictedInvariance`) turn this into a predicted
/// verdict for any architecture, so a new action that declares its structure gets its column of
/// predictions with no other edit. The law suite checks every declaration against the action's
/// matrix (`GroupAction.matrix(for:)`), so a structure cannot claim more than the action does.
public enum ActionStructure: Sendable, Hashable, CustomStringConvertible {
  /// An orthogonal map of the flattened image that mixes pixels.
  case flattenedOrthogonal
  /// Output pixel p holds input pixel `motion.source[p]`, its channels mapped by `channels`.
  case pixelMap(motion: PixelMotion, channels: ChannelMap)

  /// Whether the element is the identity (no pixel moves, no channel changes).
  public var isIdentity: Bool {
    if case .pixelMap(let motion, .none) = self { return motion.isIdentity }
    return false
  }

  /// The structure of "this, then `next`": x -> next(this(x)).
  ///
  /// Pixel maps compose by their sources, source[p] = this.source[next.source[p]], and their
  /// channel maps by the coarser kind (`ChannelMap` is ordered from finest to coarsest);
  /// anything composed with a pixel-mixing map mixes pixels.
  public func then(_ next: ActionStructure) -> ActionStructure {
    guard case .pixelMap(let first, let firstChannels) = self,
      case .pixelMap(let second, let secondChannels) = next
    else { return .flattenedOrthogonal }
    return .pixelMap(motion: first.then(second), channels: max(firstChannels, secondChannels))
  }

  public var description: String {
    switch self {
    case .flattenedOrthogonal: return "an orthogonal map of the flattened image"
    case .pixelMap(let motion, .none): return motion.description
    case .pixelMap(let motion, let channels) where motion.isIdentity: return channels.description
    case .pixelMap(let motion, let channels): return "\(motion) with \(channels)"
    }
  }
}

/// How a pixel map moves pixels: which kind of motion it is, and the motion itself.
public struct PixelMotion: Sendable, Hashable, CustomStringConvertible {
  /// The kinds the catalogue names; the rules use `source`, the kind names the motion in
  /// reasons.
  public enum Kind: Sendable, Hashable {
    /// No pixel moves.
    case none
    /// A circular translation by (dy, dx).
    case translation(dy: Int, dx: Int)
    /// A left-right mirror.
    case horizontalFlip
    /// A top-bottom mirror.
    case verticalFlip
    /// Counter-clockwise quarter turns of a square image.
    case quarterTurn(turns: Int)
    /// A permutation of the non-overlapping k x k patches, each kept intact.
    case patchShuffle(patch: Int)
    /// Any other permutation of the pixels.
    case permutation
  }

  /// What kind of motion this is.
  public let kind: Kind
  /// source[p]: the input pixel (row-major, y W + x) that output pixel p reads.
  public let source: [Int]

  /// A motion of `kind` reading `source`; the kind is `none` when no pixel moves.
  public init(kind: Kind, source: [Int]) {
    self.kind = source.enumerated().allSatisfy { $0.offset == $0.element } ? .none : kind
    self.source = source
  }

  /// No pixel moves on a grid of `pixels` pixels.
  public static func none(pixels: Int) -> PixelMotion {
    PixelMotion(kind: .none, source: Array(0..<pixels))
  }

  /// Whether every pixel stays in place.
  public var isIdentity: Bool { source.enumerated().allSatisfy { $0.offset == $0.element } }

  /// "This motion, then `next`": output pixel p reads source[next.source[p]].
  public func then(_ next: PixelMotion) -> PixelMotion {
    let composed = next.source.map { source[$0] }
    let kind: Kind
    switch (self.kind, next.kind) {
    case (.none, let other), (let other, .none): kind = other
    case (.translation(let dy1, let dx1), .translation(let dy2, let dx2)):
      kind = .translation(dy: dy1 + dy2, dx: dx1 + dx2)
    default: kind = .permutation
    }
    return PixelMotion(kind: kind, source: composed)
  }

  public var description: String {
    switch kind {
    case .none: return "no pixel motion"
    case .translation(let dy, let dx): return "a translation by (\(dy), \(dx))"
    case .horizontalFlip: return "a horizontal flip"
    case .verticalFlip: return "a vertical flip"
    case .quarterTurn(let turns): return "a quarter turn x\(turns)"
    case .patchShuffle(let patch): return "a shuffle of \(patch)x\(patch) patches"
    case .permutation: return "a pixel permutation"
    }
  }
}

/// What a pixel map does to the channel vector at each pixel, from finest to coarsest.
public enum ChannelMap: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
  /// Channels unchanged.
  case none
  /// One permutation of the channels, the same at every pixel (a coordinate permutation).
  case permutation
  /// One rotation R in O(C), the same at every pixel.
  case rotation
  /// An independent rotation R_p in O(C) at every pixel.
  case pixelwiseRotation

  public static func < (lhs: ChannelMap, rhs: ChannelMap) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Whether the map is the same at every pixel.
  public var isGlobal: Bool { self != .pixelwiseRotation }

  /// Whether the map only permutes coordinates (what a per-coordinate optimiser commutes with).
  public var permutesCoordinates: Bool { self <= .permutation }

  public var description: String {
    switch self {
    case .none: return "no channel map"
    case .permutation: return "a channel permutation"
    case .rotation: return "a channel rotation"
    case .pixelwiseRotation: return "a per-pixel channel rotation"
    }
  }
}
