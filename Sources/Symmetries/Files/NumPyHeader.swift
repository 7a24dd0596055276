/// The parsed header of a `.npy` file: element type, byte order and shape.
///
/// The header is a Python dictionary literal such as
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`, padded with spaces and ended
/// by a newline. This parser accepts exactly the literal forms NumPy writes (strings in either
/// quote, integers, `True`, `False`, `None`, tuples, lists and dictionaries, nested at most
/// `maximumDepth` deep) and reports anything else as `DataFileError.malformedHeader`.
struct NumPyHeader: Equatable {
  /// The element type of the data.
  var elementType: NumPyArray.ElementType
  /// Whether multi-byte elements are stored most significant byte first.
  var isBigEndian: Bool
  /// The array's shape.
  var shape: [Int]

  /// Nesting limit for the literal parser, so a hostile header cannot exhaust the stack.
  static let maximumDepth = 8

  /// Parses the header dictionary from its bytes.
  ///
  /// - Complexity: O(bytes.count).
  init(parsing bytes: UnsafeRawBufferPointer) throws(DataFileError) {
    var parser = PythonLiteralParser(bytes: bytes)
    let literal = try parser.parseDocument()
    guard case .dictionary(let entries) = literal else {
      throw .malformedHeader("the header is \(literal.kindName), not a dictionary")
    }
    let expectedKeys: Set<String> = ["descr", "fortran_order", "shape"]
    guard Set(entries.keys) == expectedKeys else {
      let found = entries.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
      throw .malformedHeader(
        "the dictionary has keys [\(found)] but needs exactly 'descr', 'fortran_order', 'shape'")
    }
    // The keys were just checked, so each lookup succeeds.
    let descr = entries["descr"] ?? .none
    let fortranOrder = entries["fortran_order"] ?? .none
    let shapeLiteral = entries["shape"] ?? .none

    guard case .string(let typeString) = descr else {
      throw .unsupportedDType("\(descr.pythonText) (structured and compound dtypes)")
    }
    (elementType, isBigEndian) = try NumPyHeader.parseDescr(typeString)

    guard case .boolean(let isFortran) = fortranOrder else {
      throw .malformedHeader("'fortran_order' is \(fortranOrder.kindName), not True or False")
    }
    guard !isFortran else { throw .fortranOrder }

    guard case .tuple(let extents) = shapeLiteral else {
      throw .malformedHeader("'shape' is \(shapeLiteral.kindName), not a tuple")
    }
    var shape: [Int] = []
    for extent in extents {
      guard case .integer(let value) = extent, value >= 0 else {
        throw .malformedHeader(
          "'shape' holds \(extent.pythonText), but every extent must be a non-negative integer")
      }
      shape.append(value)
    }
    self.shape = shape
  }

  /// The element type and byte order named by a type string such as `<f8` or `|u1`.
  static func parseDescr(_ descr: String) throws(DataFileError) -> (NumPyArray.ElementType, Bool) {
    var code = Substring(descr)
    var order: Character = "="
    if let first = code.first, "<>|=".contains(first) {
      order = first
      code = code.dropFirst()
    }
    let type: NumPyArray.ElementType
    switch code {
    case "f8": type = .float64
    case "f4": type = .float32
    case "i8": type = .int64
    case "i4": type = .int32
    case "u1": type = .uint8
    default: throw .unsupportedDType(descr)
    }
    // '|' means "byte order not applicable", which NumPy uses only for one-byte types.
    if order == "|" && type.byteCount > 1 { throw .unsupportedDType(descr) }
    let hostIsBigEndian = 1.bigEndian == 1
    let isBigEndian = order == ">" || (order == "=" && hostIsBigEndian)
    return (type, isBigEndian)
  }
}

// MARK: - Python literals

/// A Python literal value, as far as `.npy` headers use them.
enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dictionary([String: PythonLiteral])

  /// A short name of the kind of value, for error messages.
  var kindName: String {
    switch self {
    case .string: return "a string"
    case .integer: return "an integer"
    case .boolean: return "a boolean"
    case .none: return "None"
    case .tuple: return "a tuple"
    case .list: return "a list"
    case .dictionary: return "a dictionary"
    }
  }

  /// The value written as Python source, for error messages.
  var pythonText: String {
    switch self {
    case .string(let text): return "'\(text)'"
    case .integer(let value): return String(value)
    case .boolean(let value): return value ? "True" : "False"
    case .none: return "None"
    case .tuple(let items):
      let inner = items.map(\.pythonText).joined(separator: ", ")
      return items.count == 1 ? "(\(inner),)" : "(\(inner))"
    case .list(let items): return "[" + items.map(\.pythonText).joined(separator: ", ") + "]"
    case .dictionary(let entries):
      let inner = entries.keys.sorted().map { "'\($0)': \(entries[$0]?.pythonText ?? "")" }
      return "{" + inner.joined(separator: ", ") + "}"
    }
  }
}

/// A recursive-descent parser for one Python literal followed only by whitespace.
struct PythonLiteralParser {
  let bytes: UnsafeRawBufferPointer
  var position = 0

  init(bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// The whole input as one literal; only whitespace (and NUL padding) may follow it.
  mutating func parseDocument() throws(DataFileError) -> PythonLiteral {
    let value = try parseValue(depth: 0)
    skipWhitespace()
    guard position == bytes.count else {
      throw .malformedHeader("unexpected \(describe(position)) after the dictionary")
    }
    return value
  }

  mutating func parseValue(depth: Int) throws(DataFileError) -> PythonLiteral {
    guard depth < NumPyHeader.maximumDepth else {
      throw .malformedHeader("literals nested more than \(NumPyHeader.maximumDepth) deep")
    }
    skipWhitespace()
    guard position < bytes.count else { throw .malformedHeader("the header ends early") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      return try parseDictionary(depth: depth)
    case UInt8(ascii: "("):
      position += 1
      let (items, sawComma) = try parseItems(closing: UInt8(ascii: ")"), depth: depth)
      // `(3)` is the integer 3 in Python; only `(3,)` is a one-element tuple.
      if items.count == 1 && !sawComma { return items[0] }
      return .tuple(items)
    case UInt8(ascii: "["):
      position += 1
      return .list(try parseItems(closing: UInt8(ascii: "]"), depth: depth).items)
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      return .string(try parseString())
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .integer(try parseInteger())
    default:
      return try parseName()
    }
  }

  mutating func parseDictionary(depth: Int) throws(DataFileError) -> PythonLiteral {
    position += 1
    var entries: [String: PythonLiteral] = [:]
    while true {
      skipWhitespace()
      guard position < bytes.count else { throw .malformedHeader("the dictionary is not closed") }
      if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .dictionary(entries)
      }
      guard case .string(let key) = try parseValue(depth: depth + 1) else {
        throw .malformedHeader("a dictionary key is not a string")
      }
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      let value = try parseValue(depth: depth + 1)
      guard entries.updateValue(value, forKey: key) == nil else {
        throw .malformedHeader("the key '\(key)' appears twice")
      }
      skipWhitespace()
      guard position < bytes.count else { throw .malformedHeader("the dictionary is not closed") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] != UInt8(ascii: "}") {
        throw .malformedHeader("expected ',' or '}' in the dictionary, found \(describe(position))")
      }
    }
  }

  /// Comma-separated values up to `closing`; reports whether any comma was seen.
  mutating func parseItems(
    closing: UInt8, depth: Int
  ) throws(DataFileError) -> (items: [PythonLiteral], sawComma: Bool) {
    var items: [PythonLiteral] = []
    var sawComma = false
    while true {
      skipWhitespace()
      guard position < bytes.count else { throw .malformedHeader("a tuple or list is not closed") }
      if bytes[position] == closing {
        position += 1
        return (items, sawComma)
      }
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard position < bytes.count else { throw .malformedHeader("a tuple or list is not closed") }
      if bytes[position] == UInt8(ascii: ",") {
        sawComma = true
        position += 1
      } else if bytes[position] != closing {
        throw .malformedHeader("expected ',' in a tuple or list, found \(describe(position))")
      }
    }
  }

  mutating func parseString() throws(DataFileError) -> String {
    let quote = bytes[position]
    position += 1
    var content: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      if byte == quote { return String(decoding: content, as: UTF8.self) }
      if byte == UInt8(ascii: "\\") {
        guard position < bytes.count else { break }
        content.append(bytes[position])
        position += 1
      } else if byte == UInt8(ascii: "\n") {
        break
      } else {
        content.append(byte)
      }
    }
    throw .malformedHeader("a string is not closed")
  }

  mutating func parseInteger() throws(DataFileError) -> Int {
    var negative = false
    if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
      negative = bytes[position] == UInt8(ascii: "-")
      position += 1
    }
    let start = position
    var value = 0
    while position < bytes.count,
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    {
      let digit = Int(bytes[position] - UInt8(ascii: "0"))
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) = shifted.addingReportingOverflow(digit)
      guard !overflow1, !overflow2 else {
        throw .malformedHeader("an integer in the header does not fit in 64 bits")
      }
      value = next
      position += 1
    }
    guard position > start else {
      throw .malformedHeader("a sign is not followed by digits")
    }
    // Python 2 wrote long integers with an `L` suffix.
    if position < bytes.count && bytes[position] == UInt8(ascii: "L") { position += 1 }
    return negative ? -value : value
  }

  mutating func parseName() throws(DataFileError) -> PythonLiteral {
    let start = position
    while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
    let name = String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    switch name {
    case "True": return .boolean(true)
    case "False": return .boolean(false)
    case "None": return .none
    case "": throw .malformedHeader("unexpected \(describe(start))")
    default: throw .malformedHeader("unknown name '\(name)'")
    }
  }

  mutating func expect(_ byte: UInt8) throws(DataFileError) {
    guard position < bytes.count, bytes[position] == byte else {
      throw .malformedHeader(
        "expected '\(Character(Unicode.Scalar(byte)))', found \(describe(position))")
    }
    position += 1
  }

  mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0:
        position += 1
      default:
        return
      }
    }
  }

  func isNameByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
  }

  /// The byte at `index` for an error message: printable ASCII as itself, others in hex.
  func describe(_ index: Int) -> String {
    guard index < bytes.count else { return "the end of the header" }
    let byte = bytes[index]
    if (0x20..<0x7F).contains(byte) {
      return "'\(Character(Unicode.Scalar(byte)))' at header offset \(index)"
    }
    return "byte 0x\(String(byte, radix: 16)) at header offset \(index)"
  }
}
