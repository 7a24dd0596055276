import Foundation

let tool = Tool(commands: [
  CommandEntry(ActionsCommand.self),
])
exit(tool.run(Array(CommandLine.arguments.dropFirst())))
