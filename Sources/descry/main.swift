import Foundation

// Everything lives outside this file so that tests can import the module and call it.
exit(await Entry.main(Array(CommandLine.arguments.dropFirst())))
