import Foundation
import Testing

/// Reference-file testing: compares produced text with a committed file under Tests/WinAuditTests/References and shows
/// a readable line diff on mismatch. WINAUDIT_UPDATE_REFERENCES=1 rewrites the files instead.
enum References {
  static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
  static let directory = testsDirectory.appendingPathComponent("References")

  static var updating: Bool { ProcessInfo.processInfo.environment["WINAUDIT_UPDATE_REFERENCES"] == "1" }

  static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = directory.appendingPathComponent(name)
    if updating {
      try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try! actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      let comment = Comment(rawValue: "missing reference file \(name); run the tests with WINAUDIT_UPDATE_REFERENCES=1")
      Issue.record(comment, sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      let hint = "if the change is intended, run the tests with WINAUDIT_UPDATE_REFERENCES=1"
      let comment = Comment(
        rawValue: "\(name) differs from the reference (- reference, + actual); \(hint)\n\(diff(expected, actual))")
      Issue.record(comment, sourceLocation: sourceLocation)
    }
  }

  /// A minimal line diff: the first differing region with a few lines of context.
  static func diff(_ old: String, _ new: String) -> String {
    let a = old.components(separatedBy: "\n")
    let b = new.components(separatedBy: "\n")
    var start = 0
    while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
    var endA = a.count
    var endB = b.count
    while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
      endA -= 1
      endB -= 1
    }
    var lines: [String] = ["@@ line \(start + 1) @@"]
    for line in a[max(0, start - 3)..<start] { lines.append("  " + line) }
    for line in a[start..<endA].prefix(40) { lines.append("- " + line) }
    for line in b[start..<endB].prefix(40) { lines.append("+ " + line) }
    for line in a[endA..<min(a.count, endA + 3)] { lines.append("  " + line) }
    return lines.joined(separator: "\n")
  }
}
