/// Which hosts a control applies to: an OS build range, host tags, or the presence of a fact. Empty applies to all.
///
/// A control that does not apply is reported as skipped rather than passed, so a report never claims a host was
/// checked for something it was not.
struct Applicability: Sendable, Hashable {
  /// The host's OS build must be at least this (14393 = Server 2016, 17763 = Server 2019, 20348 = Server 2022).
  var minimumBuild: Int?
  /// The host's OS build must be below this.
  var buildBelow: Int?
  /// The host must carry at least one of these inventory tags.
  var tags: [String]
  /// This fact (or field) must be present on the host, e.g. the RDP key file before checking its ACL.
  var factPresent: FactPath?
  /// A check that must hold on the host for the control to apply (`when: {fact: nla, equals: 1}`): the wire must
  /// enforce NLA where the host says it requires it.
  var when: Check?

  init(
    minimumBuild: Int? = nil, buildBelow: Int? = nil, tags: [String] = [], factPresent: FactPath? = nil,
    when: Check? = nil
  ) {
    self.minimumBuild = minimumBuild
    self.buildBelow = buildBelow
    self.tags = tags
    self.factPresent = factPresent
    self.when = when
  }
}
