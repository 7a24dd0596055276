import Symmetries

/// Bad input to a probe or an experiment, with what was wrong and how to fix it.
public enum ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Train and test images (or images and targets) do not fit together.
  case mismatch(String)
  /// A probe needs at least this much data.
  case tooFewImages(String)
  /// An option is out of range.
  case invalidOption(String)

  public var description: String {
    switch self {
    case .mismatch(let message): return "mismatched inputs: \(message)"
    case .tooFewImages(let message): return "too few images: \(message)"
    case .invalidOption(let message): return "invalid option: \(message)"
    }
  }
}
