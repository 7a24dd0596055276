extension Architecture {
  /// An architecture from a layer list such as `"conv(3) relu conv(3,same) relu flatten dense"`.
  ///
  /// The syntax (also in `layerListSyntax`, for a command's help):
  ///
  ///     layers separated by spaces and/or commas; each is  name  or  name(arguments)
  ///     conv(k, padding, w=W, b=B)    k x k convolution, stride 1
  ///     local(k, padding, w=W, b=B)   k x k locally connected layer (conv without weight sharing)
  ///     dense(w=W, b=B)               dense layer on a vector (after flatten or gap)
  ///     readout(w=W, b=B)             the final dense layer (a final dense is the readout too)
  ///     relu, erf                     activations (erf(x) itself)
  ///     flatten, gap                  grid to vector: flatten, or global average pooling
  ///
  /// Arguments: an integer is the filter size k, a padding name (`circular`, `same`, `valid`) is
  /// the padding; keys `k=`, `padding=`, `w=` (W_std) and `b=` (b_std) name them. Omitted values
  /// take the defaults given here. Names are case-insensitive. `description` prints an
  /// architecture in this syntax with every argument explicit, and parsing it gives it back.
  ///
  /// Example: `"conv(3,circular,w=1.4,b=0.1) relu conv(5,valid) erf gap readout(w=1,b=0)"`.
  /// - Throws: `ArchitectureError.unknownLayer` (listing the known names),
  ///   `.malformedArguments`, and every validation error of `init(layers:)`.
  /// - Complexity: O(length of the text).
  public init(
    parsing text: String,
    weightStd: Double = 2.0.squareRoot(),
    biasStd: Double = 0.1,
    filterSize: Int = 3,
    padding: Padding = .circular
  ) throws(ArchitectureError) {
    let defaults = LayerDefaults(
      weightStd: weightStd, biasStd: biasStd, filterSize: filterSize, padding: padding)
    var layers: [Layer] = []
    for token in try Self.tokens(text) {
      layers.append(try Self.layer(token, defaults: defaults))
    }
    try self.init(layers: layers)
  }

  /// The layer-list syntax of `init(parsing:)`, for a command's help text.
  public static let layerListSyntax: String = """
    Layers are separated by spaces and/or commas; each is  name  or  name(arguments).
      conv(k, padding, w=W, b=B)    k x k convolution, stride 1
      local(k, padding, w=W, b=B)   k x k locally connected layer (conv without weight sharing)
      dense(w=W, b=B)               dense layer on a vector (after flatten or gap)
      readout(w=W, b=B)             the final dense layer (a final dense is the readout too)
      relu, erf                     activations (erf(x) itself)
      flatten, gap                  grid to vector: flatten, or global average pooling
    An integer argument is the filter size k, a padding name (circular, same, valid) the padding;
    keys k=, padding=, w= (W_std) and b= (b_std) name them; omitted values take the defaults
    (k = 3, circular, W_std = sqrt(2), b_std = 0.1 unless the command says otherwise).
    Exactly one flatten or gap; the readout comes last.
    Example: "conv(3) relu conv(3,same,w=1.4,b=0) relu flatten dense"
    """

  /// The layer names the parser knows.
  public static let knownLayerNames: [String] = [
    "conv", "local", "dense", "readout", "relu", "erf", "flatten", "gap",
  ]

  // MARK: - Parsing

  private struct LayerDefaults {
    let weightStd: Double
    let biasStd: Double
    let filterSize: Int
    let padding: Padding
  }

  /// Splits at spaces and commas outside parentheses.
  private static func tokens(_ text: String) throws(ArchitectureError) -> [String] {
    var tokens: [String] = []
    var current = ""
    var open = false
    for character in text {
      switch character {
      case "(":
        guard !open else {
          throw .malformedArguments(layer: current + "(", reason: "nested '('; arguments are plain values")
        }
        open = true
        current.append(character)
      case ")":
        guard open else {
          throw .malformedArguments(layer: current + ")", reason: "')' without a matching '('")
        }
        open = false
        current.append(character)
      case "," where !open, _ where character.isWhitespace && !open:
        if !current.isEmpty { tokens.append(current) }
        current = ""
      default:
        current.append(character)
      }
    }
    guard !open else { throw .malformedArguments(layer: current, reason: "missing ')'") }
    if !current.isEmpty { tokens.append(current) }
    return tokens
  }

  /// One layer from `name` or `name(arguments)`.
  private static func layer(_ token: String, defaults: LayerDefaults) throws(ArchitectureError) -> Layer {
    let name: String
    var arguments: [String] = []
    if let open = token.firstIndex(of: "(") {
      name = String(token[..<open]).lowercased()
      guard token.hasSuffix(")") else {
        throw .malformedArguments(layer: token, reason: "text after ')'")
      }
      let inner = token[token.index(after: open)..<token.index(before: token.endIndex)]
      arguments = inner.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.filter { !$0.isWhitespace }
      }
      guard !arguments.contains(where: \.isEmpty) else {
        throw .malformedArguments(layer: token, reason: "an empty argument; write name(), or values between commas")
      }
    } else {
      name = token.lowercased()
    }
    guard knownLayerNames.contains(name) else {
      throw .unknownLayer(name: name, known: knownLayerNames)
    }
    var values = try Arguments(arguments, token: token)
    let layer: Layer
    switch name {
    case "conv", "local":
      let filterSize = try values.filterSize() ?? defaults.filterSize
      let padding = try values.padding() ?? defaults.padding
      let affine = AffineLayer(
        sharing: name == "conv" ? .everywhere : .perLocation, filterSize: filterSize,
        padding: padding, weightStd: try values.number("w") ?? defaults.weightStd,
        biasStd: try values.number("b") ?? defaults.biasStd)
      layer = .affine(affine)
    case "dense":
      layer = .dense(
        weightStd: try values.number("w") ?? defaults.weightStd,
        biasStd: try values.number("b") ?? defaults.biasStd)
    case "readout":
      layer = .readout(
        weightStd: try values.number("w") ?? defaults.weightStd,
        biasStd: try values.number("b") ?? defaults.biasStd)
    case "relu": layer = .relu
    case "erf": layer = .erf
    case "flatten": layer = .flatten
    default: layer = .globalAveragePooling
    }
    try values.requireAllUsed()
    return layer
  }

  /// A layer's arguments, consumed one by one so that leftovers are reported.
  private struct Arguments {
    let token: String
    var positional: [String] = []
    var named: [String: String] = [:]

    init(_ arguments: [String], token: String) throws(ArchitectureError) {
      self.token = token
      for argument in arguments {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
          guard named.isEmpty else {
            throw .malformedArguments(layer: token, reason: "'\(argument)' follows a key=value argument; put plain values first")
          }
          positional.append(argument.lowercased())
        case 2:
          let key = parts[0].lowercased()
          guard !parts[1].isEmpty else {
            throw .malformedArguments(layer: token, reason: "'\(key)=' has no value")
          }
          guard named[key] == nil else {
            throw .malformedArguments(layer: token, reason: "'\(key)' is given twice")
          }
          named[key] = parts[1].lowercased()
        default:
          throw .malformedArguments(layer: token, reason: "'\(argument)' has more than one '='")
        }
      }
    }

    /// k from `k=` or a positional integer.
    mutating func filterSize() throws(ArchitectureError) -> Int? {
      var text = named.removeValue(forKey: "k")
      let integers = positional.filter { Int($0) != nil }
      guard integers.count + (text == nil ? 0 : 1) <= 1 else {
        throw .malformedArguments(layer: token, reason: "the filter size is given twice")
      }
      if let integer = integers.first {
        text = integer
        positional.removeAll { $0 == integer }
      }
      guard let text else { return nil }
      guard let value = Int(text) else {
        throw .malformedArguments(layer: token, reason: "filter size '\(text)' is not an integer")
      }
      return value
    }

    /// The padding from `padding=` or a positional padding name.
    mutating func padding() throws(ArchitectureError) -> Padding? {
      var text = named.removeValue(forKey: "padding")
      let names = positional.filter { Padding(rawValue: $0) != nil }
      guard names.count + (text == nil ? 0 : 1) <= 1 else {
        throw .malformedArguments(layer: token, reason: "the padding is given twice")
      }
      if let name = names.first {
        text = name
        positional.removeAll { $0 == name }
      }
      guard let text else { return nil }
      guard let value = Padding(rawValue: text) else {
        throw .malformedArguments(
          layer: token,
          reason: "unknown padding '\(text)'; use \(Padding.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return value
    }

    /// A real number from `key=`.
    mutating func number(_ key: String) throws(ArchitectureError) -> Double? {
      guard let text = named.removeValue(forKey: key) else { return nil }
      guard let value = Double(text) else {
        throw .malformedArguments(layer: token, reason: "\(key)=\(text) is not a number")
      }
      return value
    }

    /// Throws on any argument the layer did not take.
    func requireAllUsed() throws(ArchitectureError) {
      if let extra = positional.first {
        throw .malformedArguments(layer: token, reason: "unexpected argument '\(extra)'")
      }
      if let key = named.keys.sorted().first {
        throw .malformedArguments(layer: token, reason: "unexpected key '\(key)'")
      }
    }
  }
}
