import Crypto
import Foundation
import PowerShellInterpreter

/// `[Security.Cryptography.SHA256]::Create().ComputeHash(byte[])`, which winaudit's bootstrap uses to check that the
/// script arrived whole, and `Set-StrictMode -Off`, which it uses to undo a profile's strict mode. The lab's
/// interpreter has no strict mode, so turning it on fails loudly rather than being ignored.
enum HostCryptography {
  static let sha256Type = "System.Security.Cryptography.SHA256"

  static func register(in runspace: PSRunspace) {
    PSTypes.registerType(sha256Type)
    PSTypes.registerStaticMethod(sha256Type, "Create") { _ in
      let object = PSObject(
        typeNames: [
          "System.Security.Cryptography.SHA256CryptoServiceProvider", sha256Type,
          "System.Security.Cryptography.HashAlgorithm", "System.Object",
        ])
      object.addMethod("ComputeHash") { arguments in
        guard arguments.count == 1, case .array(let array) = arguments[0], let bytes = array.byteValues else {
          throw PSErrorRecord(
            exceptionType: "System.Management.Automation.MethodException",
            message: "WinLab models SHA256.ComputeHash(byte[]) only", errorId: "MethodException",
            category: .notImplemented)
        }
        return .array(PSArray.bytes(Array(SHA256.hash(data: Data(bytes)))))
      }
      return .object(object)
    }
    runspace.register(
      PSCommandDefinition(
        name: "Set-StrictMode", implementingType: "Microsoft.PowerShell.Commands.SetStrictModeCommand",
        parameters: [PSParameterInfo("Off", type: .switchParameter), PSParameterInfo("Version", type: .string)]
      ) { context in
        guard context.parameters.isSet("Off"), !context.parameters.has("Version") else {
          throw PSErrorRecord(
            exceptionType: "System.NotImplementedException",
            message: "WinLab does not model strict mode: only Set-StrictMode -Off is supported.",
            errorId: "NotModelled", category: .notImplemented)
        }
      })
  }
}
