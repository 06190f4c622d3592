import PowerShellInterpreter

/// Get-Acl and Set-Acl over the lab file system (the registry shows a fixed, read-only ACL).
enum AclCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] { [getAcl(lab), setAcl(lab)] }

  static let registryKeySDDL = "O:BAG:SYD:PAI(A;CI;0x20019;;;BU)(A;CI;0xf003f;;;BA)(A;CI;0xf003f;;;SY)"

  /// The security object's state: Set-Acl reads the descriptor back from it after the script edited it.
  final class AclHolder: @unchecked Sendable {
    var descriptor: SecurityDescriptor
    let path: LabPath

    init(descriptor: SecurityDescriptor, path: LabPath) {
      self.descriptor = descriptor
      self.path = path
    }
  }

  static func getAcl(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Get-Acl", type: "Microsoft.PowerShell.Commands.GetAclCommand",
      [CommonParameters.path(), CommonParameters.literalPath]
    ) { context in
      let state = lab.state
      for path in try ItemCmdlets.resolvedPaths(context, state, default: LabPath.homeDirectory) {
        let descriptor: SecurityDescriptor?
        switch path {
        case .file(let file):
          // Reading an ACL needs READ_CONTROL, which a key that denies Administrators withholds from the audit too.
          guard state.loginMay(HostState.readControl, on: file) else {
            try context.writeError(HostErrors.unauthorizedOperation(file))
            continue
          }
          descriptor = state.files.securityDescriptor(of: file)
        case .registry: descriptor = SecurityDescriptor(sddl: registryKeySDDL)
        case .certificate: descriptor = nil
        }
        guard let descriptor else {
          try context.writeError(HostErrors.notSupported("Get-Acl is not supported for certificate paths."))
          continue
        }
        try context.writeObject(aclObject(AclHolder(descriptor: descriptor, path: path), state: state))
      }
    }
  }

  static func aclObject(_ holder: AclHolder, state: HostState) -> PSValue {
    let isDirectory = state.isContainer(holder.path)
    let typeName: String
    switch holder.path {
    case .registry: typeName = "System.Security.AccessControl.RegistrySecurity"
    default:
      typeName =
        isDirectory ? "System.Security.AccessControl.DirectorySecurity" : "System.Security.AccessControl.FileSecurity"
    }
    let object = PSObject(
      typeNames: [
        typeName, "System.Security.AccessControl.FileSystemSecurity",
        "System.Security.AccessControl.NativeObjectSecurity",
        "System.Security.AccessControl.CommonObjectSecurity", "System.Security.AccessControl.ObjectSecurity",
        "System.Object",
      ])
    let locale = state.locale
    ItemObjects.addProviderProperties(object, holder.path)
    object.addProperty("Path", getter: { .string(object["PSPath"].map(PSConvert.toString) ?? "") })
    object.addProperty(
      "Owner",
      getter: {
        .string(holder.descriptor.owner.map { SecurityIdentifier.accountName($0, locale: locale) } ?? "")
      })
    object.addProperty(
      "Group",
      getter: {
        .string(holder.descriptor.group.map { SecurityIdentifier.accountName($0, locale: locale) } ?? "")
      })
    object.addProperty("Access", getter: { .array(holder.descriptor.aces.map { accessRule($0, locale: locale) }) })
    object.addProperty(
      "AccessToString",
      getter: {
        .string(
          holder.descriptor.aces.map {
            "\(SecurityIdentifier.accountName($0.sid, locale: locale)) \($0.isDeny ? "Deny" : "Allow")  "
              + AccessMask.rightsName($0.mask)
          }.joined(separator: "\n"))
      })
    object.addProperty("AreAccessRulesProtected", getter: { .bool(holder.descriptor.isProtected) })
    object.addProperty("Sddl", getter: { .string(holder.descriptor.sddl()) })
    object.addMethod("SetSecurityDescriptorSddlForm") { arguments in
      let text = arguments.first.map(PSConvert.toString) ?? ""
      guard let parsed = SecurityDescriptor(sddl: text) else {
        throw PSErrorRecord(
          exceptionType: "System.ArgumentException",
          message: "The SDDL form of a security descriptor object is invalid.",
          errorId: "ArgumentException", category: .notSpecified)
      }
      // Sections not in the text keep their value, as in .NET.
      holder.descriptor = SecurityDescriptor(
        owner: parsed.owner ?? holder.descriptor.owner, group: parsed.group ?? holder.descriptor.group,
        daclFlags: parsed.daclFlags, aces: parsed.aces)
      return .null
    }
    object.addMethod("GetSecurityDescriptorSddlForm") { arguments in
      let sections = arguments.first.map(PSConvert.toString)?.lowercased() ?? "all"
      return .string(holder.descriptor.sddl(includeOwner: sections != "access"))
    }
    object.addMethod("SetAccessRuleProtection") { arguments in
      let protect = arguments.first.map(PSConvert.toBool) ?? false
      let preserve = arguments.dropFirst().first.map(PSConvert.toBool) ?? true
      var descriptor = holder.descriptor
      descriptor.daclFlags = descriptor.daclFlags.replacingOccurrences(of: "P", with: "")
      if protect {
        descriptor.daclFlags = "P" + descriptor.daclFlags
        descriptor.aces =
          preserve
          ? descriptor.aces.map { ace in
            var explicit = ace
            explicit.flags.removeAll { $0 == "ID" }
            return explicit
          } : descriptor.aces.filter { !$0.isInherited }
      }
      holder.descriptor = descriptor
      return .null
    }
    object.native = holder
    return .object(object)
  }

  static func accessRule(_ ace: AccessControlEntry, locale: String) -> PSValue {
    let rule = PSObject(
      typeName: "System.Security.AccessControl.FileSystemAccessRule",
      baseTypes: [
        "System.Security.AccessControl.AccessRule", "System.Security.AccessControl.AuthorizationRule", "System.Object",
      ])
    let account = SecurityIdentifier.accountName(ace.sid, locale: locale)
    let identity = PSObject(
      typeName: "System.Security.Principal.NTAccount",
      baseTypes: ["System.Security.Principal.IdentityReference", "System.Object"])
    identity.addProperty("Value", .string(account))
    identity.toStringHandler = { account }
    rule.addProperty("FileSystemRights", .enumeration(HostEnums.fileSystemRights, Int64(ace.mask)))
    rule.addProperty("AccessControlType", .enumeration(HostEnums.accessControlType, ace.isDeny ? 1 : 0))
    rule.addProperty("IdentityReference", .object(identity))
    rule.addProperty("IsInherited", .bool(ace.isInherited))
    let inheritance = (ace.flags.contains("CI") ? 1 : 0) | (ace.flags.contains("OI") ? 2 : 0)
    rule.addProperty("InheritanceFlags", .enumeration(HostEnums.inheritanceFlags, Int64(inheritance)))
    let propagation = (ace.flags.contains("NP") ? 1 : 0) | (ace.flags.contains("IO") ? 2 : 0)
    rule.addProperty("PropagationFlags", .enumeration(HostEnums.propagationFlags, Int64(propagation)))
    return .object(rule)
  }

  static func setAcl(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Set-Acl", type: "Microsoft.PowerShell.Commands.SetAclCommand",
      [
        CommonParameters.path(), CommonParameters.literalPath,
        PSParameterInfo("AclObject", type: .object, mandatory: true, position: 1, fromPipeline: true),
        CommonParameters.passThru,
      ], shouldProcess: true
    ) { context in
      guard let holder = context.parameters["AclObject"]?.asObject?.native as? AclHolder else {
        throw HostErrors.invalidArgument("The AclObject is not a security descriptor from Get-Acl.")
      }
      for path in try ItemCmdlets.resolvedPaths(context, lab.state) {
        guard case .file(let file) = path else {
          try context.writeError(HostErrors.notSupported("The lab models ACLs of files and folders only."))
          continue
        }
        guard context.shouldProcess(target: path.display, action: "Set-Acl") else { continue }
        // Set-Acl writes the owner too when the object carries one; the lab models the DACL only, for which
        // WRITE_DAC is enough.
        guard lab.state.loginMay(HostState.writeDAC, on: file) else {
          try context.writeError(HostErrors.unauthorizedOperation(file))
          continue
        }
        lab.box.mutate { state in
          var explicit = holder.descriptor
          explicit.aces = explicit.aces.filter { !$0.isInherited }
          state.files.update(file) { $0.sddl = explicit.sddl() }
        }
        if context.parameters.isSet("PassThru") {
          let state = lab.state
          if let descriptor = state.files.securityDescriptor(of: file) {
            try context.writeObject(aclObject(AclHolder(descriptor: descriptor, path: path), state: state))
          }
        }
      }
    }
  }
}
