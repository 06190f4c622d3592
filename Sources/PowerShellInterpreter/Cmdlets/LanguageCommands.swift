import Foundation

extension Engine {
  /// Registers the cmdlets the language itself provides (Microsoft.PowerShell.Utility and Core); host cmdlets
  /// registered later with the same name replace them.
  func registerLanguageCommands() {
    for command in [
      whereObject(), forEachObject(), selectObject(), sortObject(), measureObject(), groupObject(), outNull(),
      outString(), outDefaultCommand(), writeOutput(), writeHost(), writeError(), writeStream("Write-Warning"),
      writeStream("Write-Verbose"), writeStream("Write-Debug"), writeStream("Write-Information"), writeProgress(),
      getDate(), convertToJson(), convertFromJson(), newObject(), getVariable(), setVariable(), removeVariable(),
      startSleep(), getCommand(), addMember(), joinPath(), invokeExpression(),
    ] {
      registerCommand(command)
    }
  }

  /// The implementing .NET class of a Microsoft.PowerShell.Commands cmdlet (appended to error ids).
  static func utility(_ name: String) -> String {
    "Microsoft.PowerShell.Commands." + name.replacingOccurrences(of: "-", with: "") + "Command"
  }
}
