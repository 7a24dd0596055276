/// An optional report field whose JSON key is always present: `null` when the value is absent.
///
/// Synthesised `Encodable` skips a nil optional (`encodeIfPresent`), so rows of one report would
/// carry different keys; a script that reads a report column by column wants every key in every
/// row. Marking the optional properties of a report with `@NullIfAbsent` keeps the synthesised
/// coding (the snake_case names stay declared once, in the type's `CodingKeys`) and writes
/// `null` for nil. Decoding accepts `null` or a missing key as nil, like a plain optional.
@propertyWrapper
public struct NullIfAbsent<Value: Codable & Sendable>: Codable, Sendable {
  /// The value, nil when absent (written as `null`).
  public var wrappedValue: Value?

  /// Wraps `wrappedValue`.
  public init(wrappedValue: Value?) {
    self.wrappedValue = wrappedValue
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue {
      try container.encode(wrappedValue)
    } else {
      try container.encodeNil()
    }
  }
}

extension NullIfAbsent: Equatable where Value: Equatable {}
extension NullIfAbsent: Hashable where Value: Hashable {}

extension KeyedDecodingContainer {
  /// A missing key decodes as nil, as it does for a plain optional property.
  public func decode<Value>(
    _ type: NullIfAbsent<Value>.Type, forKey key: Key
  ) throws -> NullIfAbsent<Value> {
    try decodeIfPresent(type, forKey: key) ?? NullIfAbsent(wrappedValue: nil)
  }
}
