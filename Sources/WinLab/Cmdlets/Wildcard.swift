/// PowerShell wildcard matching (`*`, `?`, `[abc]`), case-insensitive, as -Name and -Path parameters use it.
enum Wildcard {
  static func hasWildcard(_ text: String) -> Bool { text.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  static func matches(_ pattern: String, _ text: String) -> Bool {
    match(Array(pattern.lowercased()), 0, Array(text.lowercased()), 0)
  }

  private static func match(_ pattern: [Character], _ p: Int, _ text: [Character], _ t: Int) -> Bool {
    if p == pattern.count { return t == text.count }
    switch pattern[p] {
    case "*":
      for start in t...text.count where match(pattern, p + 1, text, start) { return true }
      return false
    case "?":
      return t < text.count && match(pattern, p + 1, text, t + 1)
    case "[":
      guard let close = pattern[p...].firstIndex(of: "]"), t < text.count else { return false }
      let set = pattern[(p + 1)..<close]
      var matched = false
      var index = set.startIndex
      while index < set.endIndex {
        let next = set.index(after: index)
        if next < set.endIndex, set[next] == "-", set.index(after: next) < set.endIndex {
          let upper = set[set.index(after: next)]
          if set[index] <= text[t] && text[t] <= upper { matched = true }
          index = set.index(after: set.index(after: next))
        } else {
          if set[index] == text[t] { matched = true }
          index = next
        }
      }
      return matched && match(pattern, close + 1, text, t + 1)
    default:
      return t < text.count && pattern[p] == text[t] && match(pattern, p + 1, text, t + 1)
    }
  }
}
