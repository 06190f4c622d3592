import Testing

/// The tree-sitter PowerShell parser the script tests check with: a plain `swift test` without it fails here once,
/// with what to do, and the tests that need it are cancelled instead of failing one by one.
struct PSParseInstalledTests {
  @Test func theTreeSitterParserIsInstalled() {
    if PSParse.python() == nil { Issue.record(PSParse.missingMessage) }
  }
}
