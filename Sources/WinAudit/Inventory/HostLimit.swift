import Foundation

/// The `--limit` selection: comma-separated glob patterns matched against host names, tags and group names;
/// a pattern starting with `!` removes what it matches.
///
/// Matching is case-insensitive because Windows host names are.
public struct HostLimit: Sendable, Hashable {
  /// The pattern as typed, for messages.
  public var text: String
  private var include: [String]
  private var exclude: [String]

  public init(_ text: String) throws(UsageError) {
    self.text = text
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !parts.isEmpty else { throw UsageError("--limit needs at least one host name, tag or group pattern") }
    include = parts.filter { !$0.hasPrefix("!") }
    exclude = parts.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) }
    if include.isEmpty { include = ["*"] }
  }

  /// Whether the patterns select `host`, a member of the groups `memberOf`.
  func matches(_ host: InventoryHost, memberOf: [String]) -> Bool {
    let labels = [host.name] + host.tags + memberOf
    func hit(_ pattern: String) -> Bool { labels.contains { Glob.matches(pattern, $0) } }
    return include.contains(where: hit) && !exclude.contains(where: hit)
  }
}
