import Probes
import Symmetries
import Testing

@Suite("The one relative-deviation rule and its two scales")
struct RelativeDeviationTests {
  @Test("The symmetric scale divides by the larger array, the reference scale by the reference")
  func scales() {
    #expect(relativeDeviation([4, 1], [2, 1]) == 0.5)
    #expect(relativeDeviation([4, 1], [2, 1], scale: .reference) == 1)
    #expect(relativeDeviation([2, 1], [4, 1]) == relativeDeviation([4, 1], [2, 1]))
  }

  @Test("All zeros are equal under the symmetric scale and no signal under the reference scale")
  func zeros() {
    #expect(relativeDeviation([0, 0], [0, 0]) == 0)
    #expect(relativeDeviation([0, 0], [0, 0], scale: .reference).isNaN)
    #expect(relativeDeviation([1, 0], [0, 0]) == 1)
    #expect(relativeDeviation([1, 0], [0, 0], scale: .reference) == .infinity)
  }

  @Test("A count mismatch or a value that is not finite is infinitely far, on either scale")
  func mismatches() {
    for scale in [DeviationScale.larger, .reference] {
      #expect(relativeDeviation([1, 2], [1], scale: scale) == .infinity)
      #expect(relativeDeviation([1, .nan], [1, 2], scale: scale) == .infinity)
      #expect(relativeDeviation([1, 2], [1, -.infinity], scale: scale) == .infinity)
    }
  }

  @Test("The probes' deviation is the rule on the reference scale, bit for bit")
  func probeDeviationIsTheReferenceScale() {
    var generator = SeededGenerator(seed: 22)
    for _ in 0..<20 {
      let base = (0..<50).map { _ in Double.random(in: -3...3, using: &generator) }
      let moved = base.map { $0 + Double.random(in: -1e-3...1e-3, using: &generator) }
      #expect(
        deviation(moved, from: base).bitPattern
          == relativeDeviation(moved, base, scale: .reference).bitPattern)
    }
  }
}
