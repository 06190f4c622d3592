/// Splitting Windows paths (`C:\a\b`) on the client, where Foundation would split on `/`.
enum WindowsPath {
  /// `C:\a\b` -> `C:\a`.
  static func folder(of path: String) -> String {
    guard let index = path.lastIndex(of: "\\") else { return path }
    return String(path[..<index])
  }

  /// `C:\a\b` -> `b`.
  static func name(of path: String) -> String {
    guard let index = path.lastIndex(of: "\\") else { return path }
    return String(path[path.index(after: index)...])
  }
}
