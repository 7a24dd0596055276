import Foundation
import Symmetries
import Testing

/// A scratch folder holding `old.npy` (a 1 x 2 matrix) and its bytes, for tests that must
/// find every existing file as it was.
private func folderWithFile() throws -> (folder: URL, file: URL, bytes: Data) {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("symmetry-probes-outputs-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let file = folder.appendingPathComponent("old.npy")
  try Matrix(rows: 1, columns: 2, storage: [1, 2]).write(npyTo: file)
  return (folder, file, try Data(contentsOf: file))
}

/// The names in `folder`, to check that no temporary file was left behind.
private func names(in folder: URL) throws -> Set<String> {
  Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
}

private func refusal(_ error: any Error) -> Bool {
  if case DataFileError.refusedOutput = error { return true }
  return false
}

@Suite("Outputs never harm existing files")
struct OutputSafetyTests {
  @Test("An output equal to an input is refused, also through a link, and the input is kept")
  func outputEqualToInput() throws {
    let (folder, file, bytes) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let link = folder.appendingPathComponent("link.npy")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
    let spelled = folder.appendingPathComponent("./sub/../old.npy")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    for output in [file, link, spelled] {
      #expect(throws: (any Error).self) {
        try DataFile.write([(output, Data("new".utf8))], inputs: [file])
      }
      #expect(performing: { try OutputPath.check([output], inputs: [file]) }, throws: refusal)
    }
    #expect(try Data(contentsOf: file) == bytes)
  }

  @Test("Two outputs naming one file (the same path or a hard link) are refused before writing")
  func duplicateOutputs() throws {
    let (folder, file, bytes) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let hard = folder.appendingPathComponent("hard.npy")
    try FileManager.default.linkItem(at: file, to: hard)
    let fresh = folder.appendingPathComponent("fresh.npy")
    for pair in [[fresh, fresh], [file, hard]] {
      #expect(
        performing: {
          try DataFile.write(pair.map { ($0, Data("new".utf8)) })
        }, throws: refusal)
    }
    #expect(try Data(contentsOf: file) == bytes)
    #expect(!FileManager.default.fileExists(atPath: fresh.path))
  }

  @Test("Writing through a symbolic link replaces its target and keeps the link")
  func writesThroughLinks() throws {
    let (folder, file, _) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let link = folder.appendingPathComponent("link.npy")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
    try DataFile.write(Data("new".utf8), to: link)
    #expect(try Data(contentsOf: file) == Data("new".utf8))
    let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
  }

  @Test("A dangling link, a folder and a device are refused as outputs and left as they were")
  func nonRegularOutputsRefused() throws {
    let (folder, _, _) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dangling = folder.appendingPathComponent("dangling.npy")
    try FileManager.default.createSymbolicLink(
      at: dangling, withDestinationURL: folder.appendingPathComponent("missing/target.npy"))
    let device = URL(fileURLWithPath: "/dev/null")
    for output in [dangling, folder, device] {
      #expect(performing: { try DataFile.write(Data("new".utf8), to: output) }, throws: refusal)
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: device.path)
    #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    #expect(try names(in: folder) == ["old.npy", "dangling.npy"])
  }

  @Test("A failed write of several files replaces none of them and leaves no temporary file")
  func allOrNothing() throws {
    let (folder, file, bytes) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let unreachable = folder.appendingPathComponent("no-such-folder/x.npy")
    #expect(throws: DataFileError.self) {
      try DataFile.write([(file, Data("new".utf8)), (unreachable, Data("new".utf8))])
    }
    #expect(try Data(contentsOf: file) == bytes)
    #expect(try names(in: folder) == ["old.npy"])
  }

  @Test("A matrix or batch with a non-finite value is not written, and the old file is kept")
  func nonFiniteNotWritten() throws {
    let (folder, file, bytes) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: DataFileError.nonFiniteOutput(path: file.path, index: 1, value: .infinity)) {
      try Matrix(rows: 1, columns: 2, storage: [1, .infinity]).write(npyTo: file)
    }
    // Values near the largest double overflow under a rotation: the result is not written.
    let huge = try ImageBatch(
      shape: ImageShape(height: 2, width: 2, channels: 1),
      values: [1.7e308, 1.7e308, -1.7e308, 1.7e308])
    let rotated = try OrthogonalFamily().element(for: huge.shape, seed: 1).apply(to: huge)
    #expect(
      performing: { try rotated.write(npyTo: file) },
      throws: { error in
        guard case DataFileError.nonFiniteOutput = error else { return false }
        return true
      })
    #expect(try Data(contentsOf: file) == bytes)
    #expect(try names(in: folder) == ["old.npy"])
  }

  @Test("A replaced file keeps its permissions")
  func permissionsKept() throws {
    let (folder, file, _) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
    try DataFile.write(Data("new".utf8), to: file)
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
  }

  @Test("File-system errors name the path, say what went wrong and what to do, in plain words")
  func errorsAreSentences() throws {
    let (folder, file, _) = try folderWithFile()
    defer { try? FileManager.default.removeItem(at: folder) }
    let attempts: [(path: String, attempt: () throws -> Void)] = [
      (folder.path, { _ = try DataFile.read(folder) }),
      (
        folder.path + "/missing.npy",
        { _ = try DataFile.read(folder.appendingPathComponent("missing.npy")) }
      ),
      ("/dev/zero", { _ = try DataFile.read(URL(fileURLWithPath: "/dev/zero")) }),
      (
        folder.path + "/missing/x.npy",
        {
          try DataFile.write(Data(), to: folder.appendingPathComponent("missing/x.npy"))
        }
      ),
      (
        file.path + "/x.npy",
        { try DataFile.write(Data(), to: file.appendingPathComponent("x.npy")) }
      ),
      (file.path, { try OutputPath.createFolder(file.appendingPathComponent("sub")) }),
    ]
    for (path, attempt) in attempts {
      #expect(
        performing: attempt,
        throws: { error in
          let text = "\(error)"
          return error is DataFileError && text.contains(path) && text.contains(";")
            && !text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo")
        })
    }
  }

  @Test(
    "A read-only folder gives a permission sentence (skipped as root, who may write anyway)",
    .enabled(if: geteuid() != 0))
  func readOnlyFolder() throws {
    let (folder, _, _) = try folderWithFile()
    defer {
      try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
      try? FileManager.default.removeItem(at: folder)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
    #expect(
      performing: {
        try DataFile.write(Data(), to: folder.appendingPathComponent("x.npy"))
      }, throws: { "\($0)".contains("permission denied") })
  }
}
