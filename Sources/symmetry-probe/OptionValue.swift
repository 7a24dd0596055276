import Symmetries

/// How an option's text becomes a typed value, and the phrase that says what was expected
/// when it does not (`--depth '0' is not valid: expected a positive integer`).
///
/// Every command takes its numbers through these, so one kind of value is checked one way and
/// refused in one style everywhere.
struct OptionValue<Value>: Sendable {
  /// What a valid value looks like, for the error message.
  let expected: String
  /// The value, or nil when `text` is not one.
  let parse: @Sendable (String) -> Value?
}

extension OptionValue where Value == Int {
  /// 1, 2, 3, ...
  static let positiveInteger = OptionValue(expected: "a positive integer") { text in
    Int(text).flatMap { $0 > 0 ? $0 : nil }
  }

  /// 0, 1, 2, ...
  static let nonNegativeInteger = OptionValue(expected: "a non-negative integer") { text in
    Int(text).flatMap { $0 >= 0 ? $0 : nil }
  }

  /// Any integer (a quarter turn's count is reduced mod 4).
  static let integer = OptionValue(expected: "an integer") { Int($0) }

  /// An integer of at least `minimum`.
  static func integer(atLeast minimum: Int) -> OptionValue {
    OptionValue(expected: "an integer of at least \(minimum)") { text in
      Int(text).flatMap { $0 >= minimum ? $0 : nil }
    }
  }

  /// One of the integers `values` (e.g. the image sides a data set offers).
  static func integer(oneOf values: [Int]) -> OptionValue {
    let names = values.map(String.init)
    return OptionValue(
      expected: names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    ) { text in
      Int(text).flatMap { values.contains($0) ? $0 : nil }
    }
  }

  /// An integer in `range`.
  static func integer(in range: ClosedRange<Int>) -> OptionValue {
    OptionValue(expected: "an integer from \(range.lowerBound) to \(range.upperBound)") { text in
      Int(text).flatMap { range.contains($0) ? $0 : nil }
    }
  }
}

extension OptionValue where Value == UInt64 {
  /// A seed: any 64-bit unsigned integer.
  static let seed = OptionValue(expected: "a non-negative integer") { UInt64($0) }
}

extension OptionValue where Value == Double {
  /// A finite number >= 0 (a standard deviation).
  static let nonNegativeNumber = OptionValue(expected: "a finite non-negative number") { text in
    Double(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
  }

  /// A finite number > 0 (a learning rate, a time).
  static let positiveNumber = OptionValue(expected: "a finite positive number") { text in
    Double(text).flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
  }
}

extension OptionValue where Value == PixelShift {
  /// A circular shift `DY,DX`.
  static let shift = OptionValue(expected: "two integers DY,DX, e.g. 1,-2") { text in
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
      .map { Int($0.trimmingWhitespace()) }
    guard parts.count == 2, let dy = parts[0], let dx = parts[1] else { return nil }
    return PixelShift(dy: dy, dx: dx)
  }
}

extension ArgumentList {
  /// The value of `--name` as `kind` describes it, or nil if absent.
  mutating func option<T>(_ name: String, _ kind: OptionValue<T>) throws(CommandLineError) -> T? {
    try option(name, expected: kind.expected, kind.parse)
  }
}
