extension Architecture {
  /// The layer list with the parser's defaults left out (circular padding, W_std = sqrt 2,
  /// b_std = 0.1), when it parses back to this architecture; otherwise the full description.
  ///
  /// Messages and command lines read like what the user wrote ("conv(3) relu gap readout"),
  /// and the round trip guarantees the short form names the same network.
  var compactSpec: String {
    let defaults = ["w=\(2.0.squareRoot())", "b=0.1", "circular"]
    let layers = description.split(separator: " ").map { token -> String in
      guard let open = token.firstIndex(of: "("), token.last == ")" else { return String(token) }
      let name = token[..<open]
      let arguments = token[token.index(after: open)..<token.index(before: token.endIndex)]
        .split(separator: ",").map(String.init).filter { !defaults.contains($0) }
      return arguments.isEmpty ? String(name) : "\(name)(\(arguments.joined(separator: ",")))"
    }
    let compact = layers.joined(separator: " ")
    guard let parsed = try? Architecture(parsing: compact), parsed == self else {
      return description
    }
    return compact
  }
}
