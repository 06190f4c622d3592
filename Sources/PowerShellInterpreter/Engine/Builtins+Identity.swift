/// The current Windows identity, as far as the host models it: `[Security.Principal.WindowsIdentity]::GetCurrent()`,
/// `[Security.Principal.WindowsPrincipal]$identity`, `.IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-544')`.
///
/// Membership is answered only for the groups the host environment describes (Administrators from the token's
/// elevation, and the groups every interactive token has); any other question is an error, never a guess.
extension Builtins {
  static let identityType = "System.Security.Principal.WindowsIdentity"
  static let principalType = "System.Security.Principal.WindowsPrincipal"
  static let sidType = "System.Security.Principal.SecurityIdentifier"
  static let administratorsSID = "S-1-5-32-544"
  /// Everyone, Authenticated Users, Users, INTERACTIVE-like groups every logged-on user's token holds enabled.
  static let everyTokenSIDs: Set<String> = ["S-1-1-0", "S-1-5-11", "S-1-5-32-545"]

  /// `[Security.Principal.WindowsIdentity]::GetCurrent()`.
  static func currentIdentity(engine: Engine) -> PSValue {
    let host = engine.host
    let identity = PSObject(typeNames: [identityType, "System.Security.Claims.ClaimsIdentity", "System.Object"])
    identity.addProperty("Name", .string("\(host.userDomain)\\\(host.userName)"))
    identity.addProperty("AuthenticationType", .string("NTLM"))
    identity.addProperty("IsAuthenticated", .bool(true))
    identity.addProperty("IsSystem", .bool(host.userSID == "S-1-5-18"))
    identity.addProperty("IsAnonymous", .bool(false))
    identity.addProperty("User", sidObject(host.userSID))
    identity.addMethod("ToString") { _ in .string(identityType) }
    return .object(identity)
  }

  /// `[Security.Principal.WindowsPrincipal]$identity`.
  static func principal(of value: PSValue, engine: Engine) throws -> PSValue {
    guard case .object(let identity) = value, identity.typeNames.first == identityType else {
      throw PSConvert.invalidCast(value, principalType, "", errorId: "ConvertToFinalInvalidCastException")
    }
    let principal = PSObject(typeNames: [principalType, "System.Security.Claims.ClaimsPrincipal", "System.Object"])
    principal.addProperty("Identity", value)
    principal.addMethod("IsInRole") { arguments in
      guard arguments.count == 1 else {
        throw engine.methodException(
          "IsInRole", arguments.count,
          "Cannot find an overload for \"IsInRole\" and the argument count: \"\(arguments.count)\".",
          innerType: "System.Management.Automation.MethodException")
      }
      return .bool(try isInRole(arguments[0], engine: engine))
    }
    return .object(principal)
  }

  /// `[Security.Principal.SecurityIdentifier]'S-1-5-32-544'`.
  static func securityIdentifier(_ value: PSValue, engine: Engine) throws -> PSValue {
    if case .object(let object) = value, object.typeNames.first == sidType { return value }
    let text = PSConvert.toString(value).uppercased()
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts[0] == "S", parts.dropFirst().allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
    else {
      throw PSConvert.invalidCast(
        value, sidType, "Value was invalid.\r\nParameter name: sddlForm", errorId: "InvalidCastConstructorException")
    }
    return sidObject(text)
  }

  static func sidObject(_ sid: String) -> PSValue {
    let object = PSObject(typeNames: [sidType, "System.Security.Principal.IdentityReference", "System.Object"])
    object.addProperty("Value", .string(sid))
    object.addProperty("BinaryLength", .int(Int32(8 + 4 * max(0, sid.split(separator: "-").count - 3))))
    object.addMethod("ToString") { _ in .string(sid) }
    return .object(object)
  }

  /// Whether the token holds `role` enabled. A SecurityIdentifier is answered for Administrators (the token's
  /// elevation) and the groups of every token; a role name for `BUILTIN\Administrators`; anything else fails loudly.
  static func isInRole(_ role: PSValue, engine: Engine) throws -> Bool {
    if case .object(let object) = role, object.typeNames.first == sidType {
      let sid = PSConvert.toString(object["Value"] ?? .null)
      if sid == administratorsSID { return engine.host.isElevated }
      if everyTokenSIDs.contains(sid) { return true }
      if sid == engine.host.userSID { return true }
      throw notModelled("membership of \(sid)", engine: engine)
    }
    if case .string(let name) = role {
      switch name.lowercased() {
      case "builtin\\administrators", "administrators": return engine.host.isElevated
      default: throw notModelled("membership of the role name '\(name)'", engine: engine)
      }
    }
    throw notModelled("IsInRole with a \(PSTypes.typeName(of: role))", engine: engine)
  }

  static func notModelled(_ what: String, engine: Engine) -> PSErrorRecord {
    engine.runtimeError(
      "WinLab does not model \(what): the token knows Administrators (S-1-5-32-544), Everyone, Authenticated Users, "
        + "Users and the user's own SID.", id: "NotModelled", category: .notImplemented)
  }
}
