import Foundation

/// An estimate and its interval as text, "estimate [lower, upper]", with `decimals` decimals or
/// as many more as it takes for the text not to claim more than the numbers say.
///
/// At a fixed number of decimals a narrow interval rounds to a point (an exponent interval of
/// [0.08514, 0.08527] at three decimals prints as [0.085, 0.085]), which reads as an exact,
/// zero-width result. So the decimals grow until the printed ends differ whenever lower < upper;
/// and a point interval (an exact claim's bound, lower = upper) grows until a nonzero value no
/// longer prints as zero. Past `maximumFixedDecimals` the three numbers switch to scientific
/// notation, with as many significant digits as the same rule needs.
///
/// - Parameters:
///   - signed: print a sign on every number ("+0.0120 [+0.0040, +0.0200]").
/// - Complexity: O(1): at most `maximumFixedDecimals` + 17 formattings of three numbers.
package func intervalText(
  _ estimate: Double, lower: Double, upper: Double, decimals: Int, signed: Bool = false
) -> String {
  let text = intervalParts(estimate, lower: lower, upper: upper, decimals: decimals, signed: signed)
  return "\(text.estimate) [\(text.lower), \(text.upper)]"
}

/// The three numbers of `intervalText`, formatted by its rule, for tables that put the estimate
/// and the interval in separate cells.
/// - Complexity: O(1), as `intervalText`.
package func intervalParts(
  _ estimate: Double, lower: Double, upper: Double, decimals: Int, signed: Bool = false
) -> (estimate: String, lower: String, upper: String) {
  let values = [estimate, lower, upper]
  func join(_ text: [String]) -> (estimate: String, lower: String, upper: String) {
    (text[0], text[1], text[2])
  }
  func rendered(_ conversion: String) -> [String] {
    values.map { String(format: "%\(signed ? "+" : "").\(conversion)", $0) }
  }
  guard values.allSatisfy(\.isFinite) else { return join(rendered("\(decimals)f")) }
  func faithful(_ text: [String]) -> Bool {
    if lower != upper { return text[1] != text[2] }
    return zip(values, text).allSatisfy { value, text in
      value == 0 || text.contains { "123456789".contains($0) }
    }
  }
  for places in decimals...max(decimals, maximumFixedDecimals) {
    let text = rendered("\(places)f")
    if faithful(text) { return join(text) }
  }
  // %.16e prints 17 significant digits, which tell any two distinct doubles apart.
  for digits in 2...16 {
    let text = rendered("\(digits)e")
    if faithful(text) { return join(text) }
  }
  return join(rendered("16e"))
}

/// The most decimals `intervalText` prints in fixed notation before it switches to scientific.
package let maximumFixedDecimals = 8
