import Foundation
import Learners
import Symmetries

/// The bytes of one computed block: what it is, its NNGP and NTK values, and a checksum of all
/// of it.
///
/// Layout (little-endian):
///
///     8 bytes    "SPKBLOCK"
///     8 bytes    UInt64 h: the header's length
///     h bytes    JSON header: formatVersion, block, rows [lo, hi], columns [lo, hi],
///                inputs (the plan's input SHA-256s), settings (the plan's settings hash)
///     8 r c      NNGP, float64, row-major (r = rows, c = columns of the block)
///     8 r c      NTK, likewise
///     64 bytes   SHA-256 of everything above, lowercase hexadecimal
///
/// Any truncation or altered byte changes the trailing checksum or the length, so a damaged
/// file is never taken for a valid one; the header ties the block to its plan.
enum BlockFile {
  struct Header: Codable, Equatable {
    var formatVersion: Int
    var block: Int
    var rows: [Int]
    var columns: [Int]
    var inputs: [String]
    var settings: String
  }

  /// A block file's matrices, or what makes it unusable.
  enum Reading {
    case valid(KernelMatrices)
    case invalid(BlockProblem.Kind)
  }

  static let magic = Array("SPKBLOCK".utf8)
  static let checksumLength = 64

  /// The header the plan expects for `block`.
  static func header(for block: PlannedBlock, in plan: ShardPlan) -> Header {
    Header(
      formatVersion: ShardPlan.formatVersion, block: block.index,
      rows: [block.rows.lowerBound, block.rows.upperBound],
      columns: [block.columns.lowerBound, block.columns.upperBound],
      inputs: plan.inputChecksums, settings: plan.settingsHash)
  }

  /// The file's bytes.
  /// - Complexity: O(r c).
  static func encode(_ kernels: KernelMatrices, header: Header) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // A header of integers and hex strings always encodes.
    let json = try! encoder.encode(header)
    var bytes = magic
    appendLittleEndian(UInt64(json.count), to: &bytes)
    bytes.append(contentsOf: json)
    bytes.reserveCapacity(bytes.count + 16 * kernels.nngp.storage.count + checksumLength)
    for value in kernels.nngp.storage { appendLittleEndian(value.bitPattern, to: &bytes) }
    for value in kernels.ntk.storage { appendLittleEndian(value.bitPattern, to: &bytes) }
    bytes.append(contentsOf: bytes.withUnsafeBytes { SHA256.hexDigest(of: $0) }.utf8)
    return Data(bytes)
  }

  /// The block's matrices if `data` is a valid file of `expected`'s block, or what is wrong.
  ///
  /// The checks run from the outside in: magic, header, length, checksum, then whether the
  /// block belongs to this plan (settings, inputs) and is the block its name says.
  /// - Complexity: O(data.count).
  static func decode(_ data: Data, expected: Header) -> Reading {
    data.withUnsafeBytes { raw in
      func corrupt(_ reason: String) -> Reading {
        .invalid(.corrupt(reason: reason))
      }
      let minimum = magic.count + 8 + checksumLength
      guard raw.count >= minimum else {
        return corrupt("truncated: \(raw.count) bytes, fewer than any block file holds")
      }
      guard raw.prefix(magic.count).elementsEqual(magic) else {
        return corrupt("not a block file: it does not start with SPKBLOCK")
      }
      let declared = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      guard declared <= UInt64(raw.count - minimum) else {
        return corrupt("truncated: the header announces \(declared) bytes the file does not hold")
      }
      let headerEnd = 16 + Int(declared)
      guard
        let header = try? JSONDecoder().decode(
          Header.self, from: Data(raw[16..<headerEnd])),
        header.rows.count == 2, header.columns.count == 2,
        header.rows[0] >= 0, header.rows[0] <= header.rows[1],
        header.columns[0] >= 0, header.columns[0] <= header.columns[1]
      else {
        return corrupt("its header is not a block header")
      }
      let r = header.rows[1] - header.rows[0]
      let c = header.columns[1] - header.columns[0]
      let (entries, overflow) = r.multipliedReportingOverflow(by: c)
      guard !overflow, entries <= raw.count / 16 else {
        return corrupt("truncated: a \(r) x \(c) block needs more bytes than the file holds")
      }
      let expectedLength = headerEnd + 16 * entries + checksumLength
      guard raw.count == expectedLength else {
        return corrupt(
          raw.count < expectedLength
            ? "truncated: \(raw.count) of \(expectedLength) bytes"
            : "\(raw.count - expectedLength) bytes beyond its \(expectedLength)")
      }
      let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - checksumLength)])
      let recorded = String(decoding: raw[(raw.count - checksumLength)...], as: UTF8.self)
      let actual = SHA256.hexDigest(of: body)
      guard actual == recorded else {
        return corrupt(
          "altered: its contents have SHA-256 \(actual), its trailer records \(recorded)")
      }
      if header.settings != expected.settings || header.formatVersion != expected.formatVersion {
        return .invalid(
          .foreign(field: "settings", expected: expected.settings, found: header.settings))
      }
      if header.inputs != expected.inputs {
        return .invalid(
          .foreign(
            field: "inputs", expected: expected.inputs.joined(separator: ", "),
            found: header.inputs.joined(separator: ", ")))
      }
      guard header == expected else {
        return corrupt(
          "it holds block \(header.block) (rows \(header.rows), columns \(header.columns)), not "
            + "block \(expected.block) (rows \(expected.rows), columns \(expected.columns))")
      }
      func matrix(at offset: Int) -> [Double] {
        (0..<entries).map { k in
          Double(
            bitPattern: UInt64(
              littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * k, as: UInt64.self)))
        }
      }
      let nngp = matrix(at: headerEnd)
      let ntk = matrix(at: headerEnd + 8 * entries)
      if let bad = (nngp + ntk).firstIndex(where: { !$0.isFinite }) {
        return corrupt("entry \(bad) is not finite")
      }
      // The counts were checked against r * c above.
      return .valid(
        KernelMatrices(
          uncheckedNNGP: try! Matrix(rows: r, columns: c, storage: nngp),
          ntk: try! Matrix(rows: r, columns: c, storage: ntk)))
    }
  }

  /// The block at `url` if it is a valid file of `expected`'s block, or what is wrong.
  /// - Complexity: O(file size).
  static func read(_ url: URL, expected: Header) -> Reading {
    guard FileManager.default.fileExists(atPath: url.path) else { return .invalid(.missing) }
    do {
      return decode(try DataFile.read(url), expected: expected)
    } catch {
      return .invalid(.corrupt(reason: "unreadable: \(error)"))
    }
  }

  private static func appendLittleEndian(_ value: UInt64, to bytes: inout [UInt8]) {
    for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
  }
}
