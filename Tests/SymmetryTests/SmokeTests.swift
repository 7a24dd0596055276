import Testing
import Symmetries

@Suite("Seeded generator")
struct SeededGeneratorTests {
  @Test("The same seed gives the same stream")
  func sameSeedSameStream() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
  }
}
