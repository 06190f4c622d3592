/// winaudit's version: what `winaudit --version` prints, and what reports can name as the tool that wrote them.
public enum WinAuditVersion {
  /// Semantic version of this release; raise it with every change a user can see.
  public static let current = "0.5.0"
}
