extension Architecture {
  /// An architecture from a layer list such as `"conv(3) relu conv(3,same) relu flatten dense"`.
  ///
  /// The syntax (also in `layerListSyntax`, for a command's help): layers separated by spaces
  /// and/or commas, each `name` or `name(arguments)`; every layer kind in `Layer.catalogue`
  /// states its own names and arguments (`LayerKind.syntax`). Arguments: plain values first,
  /// then `key=value` pairs; omitted values take the defaults given here. Names are
  /// case-insensitive. `description` prints an architecture in this syntax with every argument
  /// explicit, and parsing it gives it back.
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
    let defaults = LayerArguments.Defaults(
      weightStd: weightStd, biasStd: biasStd, filterSize: filterSize, padding: padding)
    try self.init(layers: try Self.layers(parsing: text, defaults: defaults))
  }

  /// The layer-list syntax of `init(parsing:)`, for a command's help text.
  public static let layerListSyntax: String = {
    let lines = Layer.catalogue.flatMap { $0.syntax }.map { "  " + $0 }
    return
      (["Layers are separated by spaces and/or commas; each is  name  or  name(arguments)."]
      + lines + [
        "An integer argument is the filter size k, a padding name (circular, same, valid) the padding;",
        "keys k=, padding=, stride=, w= (W_std) and b= (b_std) name them; omitted values take the defaults",
        "(k = 3, circular, W_std = sqrt(2), b_std = 0.1 unless the command says otherwise).",
        "Exactly one flatten or gap; the readout comes last.",
        "Example: \"conv(3) relu conv(3,same,w=1.4,b=0) relu flatten dense\"",
      ]).joined(separator: "\n")
  }()

  /// The layer names the parser knows.
  public static let knownLayerNames: [String] = Layer.catalogue.flatMap { $0.names }

  // MARK: - Parsing

  /// The layers of `text` (not yet validated as an architecture). `text` is the block of the
  /// layer at `enclosing` (nil: the whole list) and starts at character `offset` of the whole
  /// list, so that every error gives the position of its layer in the text the user wrote.
  static func layers(
    parsing text: String, defaults: LayerArguments.Defaults, enclosing: LayerPosition? = nil,
    offset: Int = 0
  ) throws(ArchitectureError) -> [Layer] {
    var layers: [Layer] = []
    for (index, token) in try tokens(text, enclosing: enclosing, offset: offset).enumerated() {
      let position =
        enclosing?.inner(index + 1, offset: token.offset)
        ?? LayerPosition(layer: index + 1, offset: token.offset)
      layers.append(try layer(token.text, at: position, defaults: defaults))
    }
    return layers
  }

  /// Splits at spaces and commas outside parentheses; each token with the character offset of
  /// its first character in the whole list.
  private static func tokens(
    _ text: String, enclosing: LayerPosition?, offset: Int
  ) throws(ArchitectureError) -> [(text: String, offset: Int)] {
    var tokens: [(text: String, offset: Int)] = []
    var current = ""
    var start = offset
    var depth = 0
    var opened: [Int] = []
    func position(_ start: Int) -> LayerPosition {
      enclosing?.inner(tokens.count + 1, offset: start)
        ?? LayerPosition(layer: tokens.count + 1, offset: start)
    }
    for (index, character) in text.enumerated() {
      let at = offset + index
      if current.isEmpty { start = at }
      switch character {
      case "(":
        depth += 1
        opened.append(at)
        current.append(character)
      case ")":
        guard depth > 0 else {
          throw .malformedArguments(
            layer: current + ")", position: position(start),
            reason:
              "the ')' at character \(at + 1) has no matching '('; delete it or add a '(' before it"
          )
        }
        depth -= 1
        opened.removeLast()
        current.append(character)
      case "," where depth == 0, _ where character.isWhitespace && depth == 0:
        if !current.isEmpty { tokens.append((current, start)) }
        current = ""
      default:
        current.append(character)
      }
    }
    guard depth == 0 else {
      throw .malformedArguments(
        layer: current, position: position(start),
        reason: "missing ')': the '(' at character \(opened.last! + 1) is never closed")
    }
    if !current.isEmpty { tokens.append((current, start)) }
    return tokens
  }

  /// One layer from `name` or `name(arguments)`, the layer at `position`.
  private static func layer(
    _ token: String, at position: LayerPosition, defaults: LayerArguments.Defaults
  ) throws(ArchitectureError) -> Layer {
    let name: String
    var text: String?
    var textOffset = position.offset
    if let open = token.firstIndex(of: "(") {
      name = String(token[..<open]).lowercased()
      guard token.hasSuffix(")") else {
        throw .malformedArguments(layer: token, position: position, reason: "text after ')'")
      }
      text = String(token[token.index(after: open)..<token.index(before: token.endIndex)])
      textOffset += token.distance(from: token.startIndex, to: open) + 1
    } else {
      name = token.lowercased()
    }
    guard let kind = Layer.catalogue.first(where: { $0.names.contains(name) }) else {
      throw .unknownLayer(name: name, position: position, known: knownLayerNames)
    }
    var arguments =
      kind.takesLayerList
      ? LayerArguments(
        token: token, position: position, layerList: text ?? "", textOffset: textOffset,
        defaults: defaults)
      : try LayerArguments(token: token, position: position, text: text, defaults: defaults)
    let layer = try parse(kind, name, &arguments)
    try arguments.requireAllUsed()
    return layer
  }

  /// Opens the existential kind to call its `parse`.
  private static func parse<Kind: LayerKind>(
    _ kind: Kind.Type, _ name: String, _ arguments: inout LayerArguments
  ) throws(ArchitectureError) -> Layer {
    Layer(try Kind.parse(name, &arguments))
  }
}
