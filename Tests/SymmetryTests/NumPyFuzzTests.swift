import Foundation
import Probes
import Symmetries
import Testing

@Suite("NumPy reader robustness")
struct NumPyFuzzTests {
  /// Corrupted inputs per run: enough to reach every branch of the header parser, small enough
  /// for a debug build to finish in about a second.
  static let caseCount = 3_000

  /// Bytes that steer corruptions of the header towards its grammar.
  static let headerBytes: [UInt8] = Array("(),:'\"{}[]0123456789-+LTFN \n\0<>|fiu".utf8)

  /// Valid files of several element types, shapes, byte orders and format versions.
  static func seedFiles() throws -> [[UInt8]] {
    var files: [[UInt8]] = []
    let arrays: [NumPyArray] = [
      try NumPyArray(shape: [2, 3], values: [0, -1.5, 0.1, 1e-300, 0x1p53, .pi]),
      try NumPyArray(shape: [2, 2, 2, 3], values: (0..<24).map(Double.init), elementType: .uint8),
      try NumPyArray(shape: [3], values: [0.5, -2.25, 3], elementType: .float32),
      try NumPyArray(shape: [2, 2], values: [1, -2, 3, 0x1p40], elementType: .int64),
      try NumPyArray(shape: [1, 3], values: [7, 8, 9], elementType: .int32),
      try NumPyArray(shape: [], values: [7.5]),
      try NumPyArray(shape: [0, 4], values: []),
    ]
    for array in arrays { files.append([UInt8](try array.npyData())) }
    for name in ["float64-bigendian-3.npy", "float64-version2-2x2.npy"] {
      files.append([UInt8](try Data(contentsOf: Fixtures.url("npy/\(name)"))))
    }
    return files
  }

  /// One random corruption of `file`.
  static func corrupt(_ file: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
    var bytes = file
    func index(_ limit: Int) -> Int { Int(try! generator.bounded(UInt64(max(limit, 1)))) }
    // Most corruptions land in the first 128 bytes, where the preamble and header live.
    let headerEnd = min(bytes.count, 128)
    switch try! generator.bounded(8) {
    case 0:
      for _ in 0...index(4) {
        let i = index(try! generator.bounded(4) == 0 ? bytes.count : headerEnd)
        if i < bytes.count { bytes[i] ^= 1 << UInt8(try! generator.bounded(8)) }
      }
    case 1:
      bytes = Array(bytes.prefix(index(bytes.count)))
    case 2:
      for _ in 0...index(3) {
        let i = index(headerEnd)
        if i < bytes.count { bytes[i] = headerBytes[index(headerBytes.count)] }
      }
    case 3:
      let length = index(200)
      bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      if try! generator.bounded(2) == 0 { bytes = Array(file.prefix(8)) + bytes }
    case 4:
      let insertion = (0...index(6)).map { _ in headerBytes[index(headerBytes.count)] }
      bytes.insert(contentsOf: insertion, at: index(headerEnd + 1))
    case 5:
      // A hostile header length.
      let width = file[6] == 1 ? 2 : 4
      for k in 0..<width where 8 + k < bytes.count {
        bytes[8 + k] = UInt8(truncatingIfNeeded: generator.next())
      }
    case 6:
      // Digits turned into nines make huge shapes that must not overflow or allocate.
      for i in 0..<headerEnd where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
        if try! generator.bounded(2) == 0 { bytes[i] = UInt8(ascii: "9") }
      }
      bytes.insert(contentsOf: Array("99999999".utf8), at: min(bytes.count, 60))
    default:
      // The version bytes.
      if bytes.count > 7 {
        bytes[6] = UInt8(try! generator.bounded(5))
        bytes[7] = UInt8(try! generator.bounded(2))
      }
    }
    return bytes
  }

  @Test("Thousands of corrupted .npy files each parse or throw a DataFileError, never trap")
  func corruptedFilesNeverTrap() throws {
    let seeds = try Self.seedFiles()
    var generator = SeededGenerator(seed: 2022)
    var parsed = 0
    var errorKinds: Set<String> = []
    for _ in 0..<Self.caseCount {
      let seed = seeds[Int(try! generator.bounded(UInt64(seeds.count)))]
      let bytes = Self.corrupt(seed, using: &generator)
      do {
        let array = try NumPyArray(npyData: Data(bytes))
        parsed += 1
        let count = array.shape.reduce(1, *)
        #expect(array.values.count == count)
        // Whatever parses can be used downstream without trapping either.
        _ = try? ImageBatch(array)
        _ = try? Matrix(array)
        _ = try? array.npyData()
      } catch {
        // The case name; the only case without a payload is `fortranOrder`.
        errorKinds.insert(Mirror(reflecting: error).children.first?.label ?? "fortranOrder")
      }
    }
    // The corruptions must exercise both outcomes and many distinct failure modes, or this
    // test would pass vacuously.
    #expect(parsed > 20)
    #expect(parsed < Self.caseCount / 2)
    #expect(errorKinds.count >= 6, "\(errorKinds.sorted())")
  }

  @Test("Every valid seed file parses before corruption")
  func seedsParse() throws {
    for bytes in try Self.seedFiles() {
      #expect(throws: Never.self) { try NumPyArray(npyData: Data(bytes)) }
    }
  }
}
