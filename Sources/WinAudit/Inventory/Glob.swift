/// Shell-style wildcard matching (`*`, `?`, `[abc]`), case-insensitive, for `--limit`.
enum Glob {
  static func matches(_ pattern: String, _ text: String) -> Bool {
    match(Array(pattern.lowercased()), 0, Array(text.lowercased()), 0)
  }

  private static func match(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
    if pi == p.count { return ti == t.count }
    switch p[pi] {
    case "*":
      for start in ti...t.count where match(p, pi + 1, t, start) { return true }
      return false
    case "?":
      return ti < t.count && match(p, pi + 1, t, ti + 1)
    case "[":
      guard ti < t.count, let close = p[(pi + 1)...].firstIndex(of: "]") else {
        return ti < t.count && t[ti] == "[" && match(p, pi + 1, t, ti + 1)
      }
      let set = p[(pi + 1)..<close]
      let negate = set.first == "!"
      let members = negate ? set.dropFirst() : set[...]
      var found = false
      var index = members.startIndex
      while index < members.endIndex {
        let next = members.index(after: index)
        if next < members.endIndex, members[next] == "-", members.index(after: next) < members.endIndex {
          let upper = members[members.index(after: next)]
          if members[index] <= t[ti] && t[ti] <= upper { found = true }
          index = members.index(next, offsetBy: 2)
        } else {
          if members[index] == t[ti] { found = true }
          index = next
        }
      }
      return found != negate && match(p, close + 1, t, ti + 1)
    default:
      return ti < t.count && p[pi] == t[ti] && match(p, pi + 1, t, ti + 1)
    }
  }
}
