import Probes
import Testing

@Suite("The claims' CNN-GAP work that bench projects onto")
struct ClaimsGapPoolTests {
  @Test("The large claims compute 8 CNN-GAP pool Grams of 1,024 pool and 1,000 test images")
  func largeScale() {
    let work = ClaimsGapPool.large
    #expect(work.grams == 8)
    #expect(work.poolImages == 1024)
    #expect(work.testImages == 1000)
    // 8 x (1,024 x 1,025 / 2 + 1,000 x 1,024) = 8 x 1,548,800.
    #expect(work.imagePairs == 12_390_400)
  }
}
