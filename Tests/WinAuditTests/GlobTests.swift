import Testing

@testable import WinAudit

/// `--limit` patterns: shell wildcards, case-insensitive, in time proportional to pattern x name.
@Suite struct GlobTests {
  @Test(arguments: [
    ("web-*", "WEB-01", true), ("web-*", "db-01", false), ("*", "", true), ("", "", true), ("", "a", false),
    ("?b", "ab", true), ("?b", "b", false), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxbyy", false),
    ("srv-[0-9][0-9]", "srv-42", true), ("srv-[0-9][0-9]", "srv-4x", false), ("srv-[!0-9]*", "srv-x1", true),
    ("srv-[!0-9]*", "srv-1x", false), ("[a-]", "-", true), ("a[", "a[", true), ("a[", "a", false),
    ("*.example.com", "host.EXAMPLE.com", true), ("**a**", "bab", true), ("*a", "aaaab", false),
  ])
  func matches(pattern: String, name: String, expected: Bool) {
    #expect(Glob.matches(pattern, name) == expected, "\(pattern) ~ \(name)")
  }

  /// The pattern that made the recursive matcher backtrack exponentially: answered, and correctly.
  @Test func pathologicalPatternsAnswer() {
    let name = String(repeating: "a", count: 200)
    #expect(!Glob.matches(String(repeating: "*a", count: 40) + "*b", name))
    #expect(Glob.matches(String(repeating: "*a", count: 40) + "*", name))
  }
}
