import PowerShellInterpreter

/// Test-ComputerSecureChannel: the modelled state of a domain member's secure channel. Repairing it (-Repair) needs a
/// domain controller, which the lab does not have: it fails loudly.
enum DomainCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      .host(
        "Test-ComputerSecureChannel", type: "Microsoft.PowerShell.Commands.TestComputerSecureChannelCommand",
        [
          PSParameterInfo("Repair", type: .switchParameter), PSParameterInfo("Server", type: .string),
          PSParameterInfo("Credential", type: .object),
        ]
      ) { context in
        guard let domain = lab.state.domain else {
          throw PSErrorRecord(
            exceptionType: "System.InvalidOperationException",
            message:
              "Cannot verify the secure channel password for the local computer. Local computer is not joined to "
              + "a domain.", errorId: "ComputerNotInDomain", category: .invalidOperation)
        }
        guard !context.parameters.isSet("Repair"), !context.parameters.has("Server") else {
          throw HostErrors.notModelled(
            "Test-ComputerSecureChannel -Repair or -Server (the lab has no domain controller)")
        }
        try context.writeObject(.bool(domain.secureChannel))
      }
    ]
  }
}
