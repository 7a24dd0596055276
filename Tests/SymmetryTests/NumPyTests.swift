import Foundation
import Probes
import Symmetries
import Testing

/// A fresh empty folder under the system's temporary directory.
private func makeScratchFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("symmetry-probes-npy-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The NumPy-written reference file `fixtures/npy/<name>`.
private func npyFixture(_ name: String) throws -> URL {
  try Fixtures.url("npy/\(name)")
}

@Suite("NumPy .npy files")
struct NumPyTests {
  // MARK: - Round trips

  @Test("A float64 batch survives a round trip through .npy bit for bit")
  func float64BatchRoundTrip() throws {
    var generator = SeededGenerator(seed: 7)
    var values = (0..<(3 * 4 * 5 * 2)).map { _ in generator.gaussian() * 1e3 }
    values[0] = -0.0
    values[1] = Double.leastNonzeroMagnitude
    values[2] = Double.greatestFiniteMagnitude
    let batch = try ImageBatch(count: 3, height: 4, width: 5, channels: 2, values: values)
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("batch.npy")
    try batch.write(npyTo: url)
    let back = try ImageBatch(npyAt: url)
    #expect(back.shape == batch.shape)
    #expect(back.count == 3)
    #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
  }

  @Test("A uint8 array survives a round trip through .npy")
  func uint8RoundTrip() throws {
    let values = (0..<256).map(Double.init)
    let array = try NumPyArray(shape: [4, 8, 8], values: values, elementType: .uint8)
    let data = try array.npyData()
    #expect(data.count == 128 + 256)
    let back = try NumPyArray(npyData: data)
    #expect(back == array)
  }

  @Test("A matrix survives a round trip through a 2-D float64 .npy file")
  func matrixRoundTrip() throws {
    var generator = SeededGenerator(seed: 11)
    let matrix = try Matrix(rows: 5, columns: 3, storage: generator.gaussians(15))
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("kernel.npy")
    try matrix.write(npyTo: url)
    #expect(try Matrix(npyAt: url) == matrix)
    #expect(try NumPyArray(npyAt: url).shape == [5, 3])
  }

  @Test("float32, int64 and int32 arrays survive a round trip through .npy")
  func otherTypesRoundTrip() throws {
    let cases: [(NumPyArray.ElementType, [Double])] = [
      (.float32, [0.5, -2.25, 0x1p100, 0]),
      (.int64, [1, -2, 0x1p52, -0x1p60]),
      (.int32, [1, -2, 2_147_483_647, -2_147_483_648]),
    ]
    for (type, values) in cases {
      let array = try NumPyArray(shape: [2, 2], values: values, elementType: type)
      #expect(try NumPyArray(npyData: array.npyData()) == array)
    }
  }

  @Test("Writing replaces the file atomically and leaves no temporary files behind")
  func atomicWrite() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("m.npy")
    try Matrix.identity(2).write(npyTo: url)
    try Matrix.identity(3).write(npyTo: url)
    #expect(try Matrix(npyAt: url) == Matrix.identity(3))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.npy"])
  }

  // MARK: - Files written by NumPy

  @Test("A float64 array written by NumPy reads with its exact values")
  func readsNumPyFloat64() throws {
    let array = try NumPyArray(npyAt: npyFixture("float64-2x3.npy"))
    #expect(array.shape == [2, 3])
    #expect(array.elementType == .float64)
    #expect(array.values == [0.0, -1.5, 0.1, 1e-300, 0x1p53, Double.pi])
  }

  @Test("Arrays written by NumPy here are byte-identical to NumPy's own files")
  func writerMatchesNumPy() throws {
    for name in [
      "float64-2x3.npy", "uint8-images-2x2x2x3.npy", "float64-scalar.npy", "float32-3.npy",
    ] {
      let url = try npyFixture(name)
      let numPyBytes = try Data(contentsOf: url)
      #expect(try NumPyArray(npyAt: url).npyData() == numPyBytes, "\(name)")
    }
  }

  @Test(
    "uint8, float32, int64, big-endian, scalar and version 2.0 files written by NumPy read correctly"
  )
  func readsNumPyVariants() throws {
    let images = try NumPyArray(npyAt: npyFixture("uint8-images-2x2x2x3.npy"))
    #expect(images.shape == [2, 2, 2, 3])
    #expect(images.elementType == .uint8)
    let expected: [Double] = (0..<24).map { k in Double(15 + 10 * k) }
    #expect(images.values == expected)

    let single = try NumPyArray(npyAt: npyFixture("float32-3.npy"))
    #expect(single.values == [0.5, -2.25, Double(Float(3.0e38))])

    let integers = try NumPyArray(npyAt: npyFixture("int64-2x2.npy"))
    #expect(integers.values == [1, -2, 3, 0x1p40])

    let bigEndian = try NumPyArray(npyAt: npyFixture("float64-bigendian-3.npy"))
    #expect(bigEndian.values == [1.0, -0.25, 1e10])

    let scalar = try NumPyArray(npyAt: npyFixture("float64-scalar.npy"))
    #expect(scalar.shape == [])
    #expect(scalar.values == [7.5])

    let version2 = try NumPyArray(npyAt: npyFixture("float64-version2-2x2.npy"))
    #expect(version2.shape == [2, 2])
    #expect(version2.values == [1, 2, 3, 4])
  }

  @Test("An (n, H, W, C) float64 file written by NumPy reads as an image batch in NHWC order")
  func readsNumPyImageBatch() throws {
    let batch = try ImageBatch(npyAt: npyFixture("float64-images-2x4x4x3.npy"))
    #expect(batch.count == 2)
    #expect(batch.shape == (try ImageShape(height: 4, width: 4, channels: 3)))
    let expected: [Double] = (0..<96).map { k in Double(k) / 8 - 6 }
    #expect(batch.values == expected)
    #expect(batch[1, 2, 3, 1] == Double(((1 * 4 + 2) * 4 + 3) * 3 + 1) / 8 - 6)
  }

  @Test("A rank-3 file is refused as ambiguous, with the reshapes that settle it")
  func refusesThreeDimensionalBatch() throws {
    let url = try npyFixture("float64-images-3x2x2.npy")
    #expect(try NumPyArray(npyAt: url).shape == [3, 2, 2])
    #expect(
      performing: { try ImageBatch(npyAt: url) },
      throws: { error in
        guard case DataFileError.wrongShape(let expected, let actual) = error else { return false }
        return actual == [3, 2, 2] && expected.contains("x[None]")
          && expected.contains("x[..., None]")
      })
  }

  @Test("A uint8 image file reads as a batch with its 0...255 values")
  func readsUInt8Batch() throws {
    let batch = try ImageBatch(npyAt: npyFixture("uint8-images-2x2x2x3.npy"))
    #expect(batch.shape == (try ImageShape(height: 2, width: 2, channels: 3)))
    #expect(batch.values.last == 245)
  }

  // MARK: - Bad input

  @Test("An unsupported dtype is rejected with a message saying how to convert")
  func unsupportedDType() throws {
    let url = try npyFixture("complex128-2.npy")
    #expect(throws: DataFileError.unsupportedDType("<c16")) { try NumPyArray(npyAt: url) }
    #expect(DataFileError.unsupportedDType("<c16").description.contains("x.astype(np.float64)"))
  }

  @Test("A Fortran-order file is rejected with a message naming np.ascontiguousarray")
  func fortranOrder() throws {
    let url = try npyFixture("float64-fortran-2x3.npy")
    #expect(throws: DataFileError.fortranOrder) { try NumPyArray(npyAt: url) }
    #expect(DataFileError.fortranOrder.description.contains("np.ascontiguousarray"))
  }

  @Test("An array of the wrong rank is rejected as an image batch and as a matrix")
  func wrongRank() throws {
    let matrixFile = try npyFixture("float64-2x3.npy")
    #expect(throws: DataFileError.self) { try ImageBatch(npyAt: matrixFile) }
    do {
      _ = try ImageBatch(npyAt: matrixFile)
    } catch {
      guard case .wrongShape(_, let actual) = error else {
        Issue.record("expected wrongShape, got \(error)")
        return
      }
      #expect(actual == [2, 3])
    }
    let imagesFile = try npyFixture("float64-images-2x4x4x3.npy")
    #expect(throws: DataFileError.self) { try Matrix(npyAt: imagesFile) }
  }

  @Test("An image array with a zero height is rejected")
  func zeroImageDimension() throws {
    let array = try NumPyArray(shape: [2, 0, 4, 1], values: [])
    #expect(throws: DataFileError.self) { try ImageBatch(array) }
  }

  @Test("A truncated file reports the expected and actual data sizes")
  func truncated() throws {
    let data = try Data(contentsOf: npyFixture("float64-2x3.npy"))
    #expect(throws: DataFileError.truncatedData(expectedBytes: 48, actualBytes: 47)) {
      try NumPyArray(npyData: data.dropLast())
    }
    #expect(throws: DataFileError.trailingData(expectedBytes: 48, actualBytes: 49)) {
      try NumPyArray(npyData: data + [0])
    }
  }

  @Test("A file that does not start with the .npy magic is rejected")
  func badMagic() throws {
    var bytes = [UInt8](try Data(contentsOf: npyFixture("float64-2x3.npy")))
    bytes[0] = UInt8(ascii: "P")
    #expect(throws: DataFileError.badMagic(found: [0x50, 0x4E, 0x55, 0x4D, 0x50, 0x59])) {
      try NumPyArray(npyData: Data(bytes))
    }
    #expect(throws: DataFileError.badMagic(found: [])) { try NumPyArray(npyData: Data()) }
  }

  @Test("An unknown format version is rejected")
  func unknownVersion() throws {
    var bytes = [UInt8](try Data(contentsOf: npyFixture("float64-2x3.npy")))
    bytes[6] = 4
    #expect(throws: DataFileError.unsupportedVersion(major: 4, minor: 0)) {
      try NumPyArray(npyData: Data(bytes))
    }
  }

  @Test(
    "Headers that are not the prescribed dictionary are malformed",
    arguments: [
      "{'descr': '<f8', 'fortran_order': False}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3]}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3)}",
      "{'descr': '<f8', 'fortran_order': 0, 'shape': (6,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (6,)} junk",
      "{'descr': '<f8', 'fortran_order': False, 'shape': ((((((((((6,),),),),),),),),),)}",
      "{'descr': '<f8 , 'fortran_order': False, 'shape': (6,)}",
      "[1, 2]",
      "",
    ])
  func malformedHeaders(header: String) throws {
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
    let text = Array(header.utf8) + [UInt8(ascii: "\n")]
    bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
    bytes += [UInt8](repeating: 0, count: 48)
    #expect {
      try NumPyArray(npyData: Data(bytes))
    } throws: { error in
      guard let error = error as? DataFileError, case .malformedHeader = error else { return false }
      return true
    }
  }

  @Test("Python 2 headers with long-integer suffixes and double quotes still parse")
  func lenientLiterals() throws {
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
    let text = Array("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2L, 1L), }\n".utf8)
    bytes += [UInt8(text.count), 0] + text
    bytes += [UInt8](repeating: 0, count: 16)
    let array = try NumPyArray(npyData: Data(bytes))
    #expect(array.shape == [2, 1])
    #expect(array.values == [0, 0])
  }

  @Test("Non-finite values are rejected when read as images or matrices")
  func nonFinite() throws {
    let array = try NumPyArray(shape: [1, 2], values: [1, .infinity])
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("inf.npy")
    try array.write(npyTo: url)
    #expect(try NumPyArray(npyAt: url).values == [1, .infinity])
    #expect(throws: DataFileError.nonFiniteValue(index: 1, value: .infinity)) {
      try Matrix(npyAt: url)
    }
    let image = try NumPyArray(shape: [1, 1, 1, 1], values: [.nan])
    #expect(throws: DataFileError.self) { try ImageBatch(image) }
  }

  @Test("Values that do not fit the element type are not written")
  func unrepresentable() throws {
    let array = try NumPyArray(shape: [3], values: [0, 255.5, 300], elementType: .uint8)
    #expect(throws: DataFileError.valueNotRepresentable(index: 1, value: 255.5, dtype: "|u1")) {
      try array.npyData()
    }
    let big = try NumPyArray(shape: [1], values: [1e300], elementType: .float32)
    #expect(throws: DataFileError.valueNotRepresentable(index: 0, value: 1e300, dtype: "<f4")) {
      try big.npyData()
    }
  }

  @Test("A shape that the values do not fill is rejected")
  func shapeMismatch() {
    #expect(throws: DataFileError.self) { try NumPyArray(shape: [2, 3], values: [1, 2]) }
    #expect(throws: DataFileError.self) { try NumPyArray(shape: [-1], values: []) }
  }

  @Test("A missing file is reported as not found")
  func missingFile() {
    let url = URL(fileURLWithPath: "/nonexistent/symmetry-probes/x.npy")
    #expect(throws: DataFileError.fileNotFound(path: url.path)) { try NumPyArray(npyAt: url) }
  }

  @Test("Every data-file error message says what to do")
  func messagesGiveAFix() {
    let errors: [DataFileError] = [
      .fileNotFound(path: "x"),
      .unreadable(path: "x", reason: FileSystemReason.describe(EACCES, writing: false)),
      .unwritable(path: "x", reason: FileSystemReason.describe(ENOSPC, writing: true)),
      .refusedOutput(path: "x", reason: "it is a folder; give the path of a file"),
      .nonFiniteOutput(path: "x", index: 0, value: .infinity), .badMagic(found: [1]),
      .unsupportedVersion(major: 9, minor: 0), .malformedHeader("m"), .fortranOrder,
      .truncatedData(expectedBytes: 2, actualBytes: 1),
      .sizeNotMultiple(path: "x", bytes: 5, itemBytes: 2),
      .labelCountMismatch(images: 1, labels: 2),
      .labelOutOfRange(index: 0, label: 10, classCount: 10),
      .checksumMismatch(path: "x", expected: "a", actual: "b"),
    ]
    for error in errors {
      #expect(error.description.contains(";"), "\(error)")
    }
  }
}
