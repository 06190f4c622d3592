/// Which firewall rules a fact reads or a fix changes: by rule Name or by group id (`@FirewallAPI.dll,-28752`), never
/// by the localized display names, and never "all rules".
enum FirewallRuleSelector: Sendable, Hashable {
  case names([String])
  case group(String)
}
