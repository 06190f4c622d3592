/// Where a setting's effective value comes from, so drift says whether a local fix would stick: a value set by Group
/// Policy is put back at the next policy refresh (about every 90 minutes).
public enum ValueSource: String, Sendable, Hashable, CaseIterable {
  case local
  case groupPolicy = "group-policy"
  /// Neither the value nor its policy is set: Windows' default applies (as the playbook declares it).
  case `default`
}
