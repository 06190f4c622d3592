/// The members of a local group named by SID (Win32_Group and its Win32_GroupUser association; names are localized,
/// SIDs are not), each `{sid, name, domain}`.
///
///     rdUsers:
///       localGroup: {sid: S-1-5-32-555}      # Remote Desktop Users
struct LocalGroupFact: FactKind {
  static let name = "localGroup"
  static let collector = CollectorFunction(name: "Get-WinAuditLocalGroup", embedded: PackageResources.LocalGroup_ps1)
  static let fields = ["exists", "members", "sids", "broadMembers"]

  /// Groups that stand for every account (or every domain account): as members of a group that grants a logon right,
  /// they grant it to everyone. Domain Users (-513) and Domain Computers (-515) end a domain SID.
  static let broadSIDs: Set<String> = ["S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-4", "S-1-5-7"]

  var sid: String

  static func parse(_ parameters: FactParameters) -> LocalGroupFact? {
    guard let map = parameters.mapping(allowed: ["sid"]), let node = map["sid"],
      let sid = parameters.nonEmpty(node, "\(parameters.label).sid")
    else {
      parameters.report("\(parameters.label) needs sid (S-1-5-32-555): group names are localized", at: parameters.node)
      return nil
    }
    guard sid.uppercased().hasPrefix("S-1-"), sid.dropFirst(4).allSatisfy({ $0.isNumber || $0 == "-" }) else {
      parameters.report("\(parameters.label).sid must be a SID such as S-1-5-32-555, found '\(sid)'", at: node)
      return nil
    }
    return LocalGroupFact(sid: sid.uppercased())
  }

  var request: [(key: String, value: PowerShellValue)] { [("sid", .literal(sid))] }

  func view(_ field: String?, of raw: FactValue) -> FactView {
    let members = (raw["members"] ?? .null).list
    switch field {
    case nil, "members": return FactView(value: .array(members))
    case "exists": return FactView(value: raw["exists"] ?? .null)
    case "sids": return FactView(value: FactView.collect(raw, "members", "sid"))
    case "broadMembers":
      let broad = members.filter { member in
        let sid = member["sid"]?.string?.uppercased() ?? ""
        return Self.broadSIDs.contains(sid) || sid.hasSuffix("-513") || sid.hasSuffix("-515")
      }
      return FactView(
        value: .array(
          broad.map { member in
            let name = [member["domain"]?.string, member["name"]?.string].compactMap { $0 }.joined(separator: "\\")
            return .string("\(name) (\(member["sid"]?.string ?? "?"))")
          }))
    default: return FactView(value: raw[field!] ?? .null)
    }
  }
}
