import Foundation

let tool = Tool(commands: [
  CommandEntry(TableCommand.self),
  CommandEntry(ActionsCommand.self),
  CommandEntry(TransformCommand.self),
  CommandEntry(KernelCommand.self),
  CommandEntry(AssembleCommand.self),
  CommandEntry(CurvesCommand.self),
  CommandEntry(ClaimsCommand.self),
  CommandEntry(TrainCommand.self),
  CommandEntry(ProbeCommand.self),
  CommandEntry(VerdictCommand.self),
  CommandEntry(DepthCommand.self),
  CommandEntry(BenchCommand.self),
])
let arguments = Array(CommandLine.arguments.dropFirst())
// With no arguments, the main job: the invariance table on the fixtures, written to a folder.
exit(tool.run(arguments.isEmpty ? ["table", "--output", "symmetry-probe-output"] : arguments))
