/// A node of a `PathTree`: a registry key's values or a file system entry.
public protocol PathTreeNode: Sendable, Equatable, Codable {
  /// The node an ancestor of a stored path has when it is not stored itself (an empty key, a plain directory).
  static var implied: Self { get }
}

/// A hierarchy stored flat, path -> node, with every ancestor of a stored path existing implicitly.
///
/// Both the registry and the file system are trees addressed by backslash paths; storing them flat keeps the host
/// JSON short (no nesting, no need to list `HKLM:\SYSTEM` before `HKLM:\SYSTEM\CurrentControlSet`). Paths compare
/// case-insensitively and keep their case. Paths are canonical: `Root:` then `\`-separated components.
public struct PathTree<Node: PathTreeNode>: Sendable, Equatable, Codable {
  /// Stored paths and their nodes.
  public private(set) var nodes: CaseInsensitiveMap<Node>

  public init(_ nodes: CaseInsensitiveMap<Node> = .init()) { self.nodes = nodes }

  public init(from decoder: Decoder) throws { nodes = try CaseInsensitiveMap(from: decoder) }
  public func encode(to encoder: Encoder) throws { try nodes.encode(to: encoder) }

  /// The node at `path`: the stored one, `Node.implied` for an ancestor of a stored path, else nil.
  public func node(at path: String) -> Node? {
    if let node = nodes[path] { return node }
    let prefix = path.lowercased() + "\\"
    return nodes.keys.contains { $0.lowercased().hasPrefix(prefix) } ? Node.implied : nil
  }

  public func exists(_ path: String) -> Bool { node(at: path) != nil }

  /// The path as stored (its original case) or, for an implied ancestor, as spelled in the stored descendant.
  public func displayPath(_ path: String) -> String {
    if let stored = nodes.storedKey(path) { return stored }
    let prefix = path.lowercased() + "\\"
    if let descendant = nodes.keys.first(where: { $0.lowercased().hasPrefix(prefix) }) {
      return String(descendant.prefix(path.count))
    }
    return path
  }

  /// Stores `node` at `path` (ancestors become implied).
  public mutating func set(_ path: String, _ node: Node) { nodes[path] = node }

  /// Changes the node at an existing path; an implied node becomes stored.
  public mutating func update(_ path: String, _ change: (inout Node) -> Void) {
    guard var node = node(at: path) else { return }
    change(&node)
    nodes[displayPath(path)] = node
  }

  /// Full paths of the immediate children of `path`, stored or implied, sorted.
  public func children(of path: String) -> [String] {
    let prefix = path.lowercased() + "\\"
    var seen = CaseInsensitiveMap<Bool>()
    for key in nodes.keys where key.lowercased().hasPrefix(prefix) {
      let rest = key.dropFirst(prefix.count)
      let child = rest.split(separator: "\\", maxSplits: 1).first.map(String.init) ?? String(rest)
      let full = String(key.prefix(prefix.count)) + child
      if !seen.contains(full) { seen[full] = true }
    }
    return seen.keys
  }

  /// Stored paths strictly below `path`.
  public func descendants(of path: String) -> [String] {
    let prefix = path.lowercased() + "\\"
    return nodes.keys.filter { $0.lowercased().hasPrefix(prefix) }
  }

  /// Removes `path` and everything below it; its parent keeps existing.
  public mutating func remove(_ path: String) {
    let parent = PathTreeNames.parent(of: path)
    let parentNode = parent.flatMap { node(at: $0) }
    let prefix = path.lowercased() + "\\"
    let folded = path.lowercased()
    nodes.removeAll { $0.lowercased() == folded || $0.lowercased().hasPrefix(prefix) }
    if let parent, let parentNode, !exists(parent) { nodes[parent] = parentNode }
  }

  /// Copies `source` (and, when `recursive`, everything below it) to `destination`.
  public mutating func copy(_ source: String, to destination: String, recursive: Bool) {
    guard let node = node(at: source) else { return }
    let sourcePrefixLength = source.count
    let moved = recursive ? descendants(of: source).map { ($0, nodes[$0]!) } : []
    nodes[destination] = node
    for (path, child) in moved { nodes[destination + path.dropFirst(sourcePrefixLength)] = child }
  }

  /// Moves `source` and everything below it to `destination`.
  public mutating func move(_ source: String, to destination: String) {
    guard let node = node(at: source) else { return }
    let moved = descendants(of: source).map { (destination + $0.dropFirst(source.count), nodes[$0]!) }
    remove(source)
    nodes[destination] = node
    for (path, child) in moved { nodes[path] = child }
  }
}

/// Helpers on canonical backslash paths.
public enum PathTreeNames {
  /// The parent of `Root:\a\b` is `Root:\a`; a root (`C:`, `HKLM:`) has none.
  public static func parent(of path: String) -> String? {
    guard let index = path.lastIndex(of: "\\") else { return nil }
    return String(path[..<index])
  }

  /// The last component of a path.
  public static func leaf(of path: String) -> String {
    guard let index = path.lastIndex(of: "\\") else { return path }
    return String(path[path.index(after: index)...])
  }

  /// Joins a canonical path and a relative one (`a\b`, `..` and `.` allowed).
  public static func join(_ base: String, _ relative: String) -> String {
    var parts = base.split(separator: "\\").map(String.init)
    for part in relative.split(whereSeparator: { $0 == "\\" || $0 == "/" }).map(String.init) {
      switch part {
      case ".": continue
      case "..": if parts.count > 1 { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return parts.joined(separator: "\\")
  }
}
