import Foundation

let tool = Tool(commands: [
  CommandEntry(ActionsCommand.self),
  CommandEntry(TransformCommand.self),
])
exit(tool.run(Array(CommandLine.arguments.dropFirst())))
