import Foundation
import Symmetries

/// Writes a command's files into its output folder, all or none (`DataFile.write(_:into:)`),
/// and says so on standard error.
func writeOutputs(
  _ files: [(name: String, contents: String)], into folder: URL, inputs: [URL] = []
) throws {
  try DataFile.write(files, into: folder, inputs: inputs)
  progress("wrote \(files.map(\.name).joined(separator: ", ")) to \(folder.path)")
}
