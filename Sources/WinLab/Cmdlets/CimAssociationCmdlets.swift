import PowerShellInterpreter

/// Get-CimAssociatedInstance for the one association the audit follows: a Win32_Group's members (Win32_GroupUser),
/// which come back as Win32_UserAccount, Win32_Group or Win32_SystemAccount instances with their SID. Any other
/// association is not modelled and fails loudly.
enum CimAssociationCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] {
    [
      .host(
        "Get-CimAssociatedInstance",
        type: "Microsoft.Management.Infrastructure.CimCmdlets.GetCimAssociatedInstanceCommand",
        [
          PSParameterInfo("InputObject", type: .object, mandatory: true, position: 0, fromPipeline: true),
          PSParameterInfo("Association", type: .string, position: 1), PSParameterInfo("ResultClassName", type: .string),
        ]
      ) { context in
        guard let input = context.parameters["InputObject"]?.asObject,
          input.typeNames.contains(where: { $0.hasSuffix("Win32_Group") }),
          let sid = input["SID"].map(PSConvert.toString)
        else {
          throw HostErrors.notModelled("Get-CimAssociatedInstance for anything but a Win32_Group's members")
        }
        if let association = context.parameters.string("Association"),
          association.caseInsensitiveCompare("Win32_GroupUser") != .orderedSame
        {
          throw HostErrors.notModelled("the association \(association)")
        }
        for member in lab.state.localGroupMembers?[sid] ?? [] {
          let className =
            member.sid.hasPrefix("S-1-5-21-") || member.sid.hasPrefix("S-1-5-32-")
            ? "Win32_Group" : "Win32_SystemAccount"
          let user = member.sid.hasPrefix("S-1-5-21-") && !member.sid.hasSuffix("-513") && !member.sid.hasSuffix("-515")
          let resultClass = user ? "Win32_UserAccount" : className
          let object = FirewallCmdlets.cimObject(
            "Microsoft.Management.Infrastructure.CimInstance#root/cimv2/\(resultClass)", className: resultClass)
          object.addProperty("Name", .string(member.name))
          object.addProperty("Domain", .string(member.domain))
          object.addProperty("SID", .string(member.sid))
          object.addProperty("Caption", .string(member.domain + "\\" + member.name))
          object.addProperty("PSComputerName", .null)
          try context.writeObject(.object(object))
        }
      }
    ]
  }
}
