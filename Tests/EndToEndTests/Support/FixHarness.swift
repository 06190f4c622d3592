import Foundation
import Testing
import WinLab

/// Reading and comparing lab host states and winaudit journals for the fix/rollback end-to-end tests.
///
/// States are compared as parsed JSON (the shell re-serializes the file when a session changes it), so key order and
/// formatting never matter.
enum FixHarness {
  /// The sample hosts with a fault winaudit fixes (or, for nla-gpo-off, reports).
  static let brokenHosts = [
    "rdp-disabled", "nla-off", "nla-gpo-off", "firewall-public-off", "port-mismatch", "termservice-stopped",
    "cert-expired", "machinekeys-acl-broken", "tls12-disabled", "credssp-vulnerable",
  ]

  /// One host's state file, parsed.
  static func state(_ fleet: FleetHarness, _ host: String) throws -> NSDictionary {
    let url = try #require(fleet.lab.server(host)).host.stateFile
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? NSDictionary)
  }

  static func states(_ fleet: FleetHarness, _ hosts: [String]) throws -> [String: NSDictionary] {
    var result: [String: NSDictionary] = [:]
    for host in hosts { result[host] = try state(fleet, host) }
    return result
  }

  /// Replaces one host's state file (the lab reads it at the start of every session).
  static func write(_ state: NSDictionary, _ fleet: FleetHarness, _ host: String) throws {
    let url = try #require(fleet.lab.server(host)).host.stateFile
    try JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys]).write(to: url)
  }

  /// `state` as a rollback must leave it compared with `original`: "equal to the original" means equal after leaving
  /// out what is not the host's configuration but a trace of the run itself or of Windows reacting to it:
  /// - winaudit's own bookkeeping: the backups under `C:\ProgramData\winaudit` (the ACL saves and certificate exports
  ///   rollback restores from; rollback never deletes). The lock key `HKLM:\SOFTWARE\winaudit` is not exempt: a run
  ///   removes it with its lock, so it must be gone;
  /// - a self-signed listener certificate Windows generated when TermService restarted without a usable one (a new
  ///   thumbprint in `Remote Desktop` whose issuer is its subject), and the `f686aace..._<MachineGuid>` key file
  ///   created with it. Windows made them, the fix did not: rollback puts every original certificate and file back
  ///   exactly and keeps the regenerated ones, as Windows would after a rollback of the fix.
  /// Everything else (registry, firewall, services, ACLs, every original certificate and file) must be identical.
  static func comparable(_ state: NSDictionary, original: NSDictionary) -> NSDictionary {
    let copy = state.mutableCopy() as? NSMutableDictionary ?? NSMutableDictionary()
    let originalFiles = original["files"] as? [String: Any] ?? [:]
    if let files = state["files"] as? [String: Any] {
      copy["files"] = files.filter { path, _ in
        if isBookkeeping(path, root: #"C:\ProgramData\winaudit"#) { return false }
        let regeneratedKey =
          path.lowercased().hasPrefix(
            #"c:\programdata\microsoft\crypto\rsa\machinekeys\f686aace6942fb7f7ceb231212eef4a4_"#)
        return !(regeneratedKey && originalFiles[path] == nil)
      }
    }
    let originalStores = original["certificates"] as? [String: [[String: Any]]] ?? [:]
    if let stores = state["certificates"] as? [String: [[String: Any]]] {
      var kept: [String: [[String: Any]]] = [:]
      for (store, certificates) in stores {
        let known = Set((originalStores[store] ?? []).compactMap { $0["thumbprint"] as? String })
        let list = certificates.filter { certificate in
          let thumbprint = certificate["thumbprint"] as? String ?? ""
          let selfSigned = (certificate["issuer"] as? String) == (certificate["subject"] as? String)
          return known.contains(thumbprint) || !(store == "Remote Desktop" && selfSigned)
        }
        if !list.isEmpty || originalStores[store] != nil { kept[store] = list }
      }
      copy["certificates"] = kept
    }
    return copy
  }

  /// `state` without the host lock (`HKLM:\SOFTWARE\winaudit` and its `Lock` subkey): a host a run holds locked while
  /// it waits for an answer, compared with its original.
  static func withoutLock(_ state: NSDictionary) -> NSDictionary {
    let copy = state.mutableCopy() as? NSMutableDictionary ?? NSMutableDictionary()
    if let registry = state["registry"] as? [String: Any] {
      copy["registry"] = registry.filter { !isBookkeeping($0.key, root: #"HKLM:\SOFTWARE\winaudit"#) }
    }
    return copy
  }

  /// Whether `state` equals `original` in the sense of `comparable`.
  static func restored(_ state: NSDictionary, original: NSDictionary) -> Bool {
    comparable(state, original: original).isEqual(comparable(original, original: original))
  }

  private static func isBookkeeping(_ path: String, root: String) -> Bool {
    let lower = path.lowercased()
    return lower == root.lowercased() || lower.hasPrefix(root.lowercased() + "\\")
  }

  /// The run id `winaudit fix --apply` printed: `winaudit fix: run <id> (journal ...`.
  static func runID(_ output: String) throws -> String {
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("winaudit fix: run ") })
    return String(line.dropFirst("winaudit fix: run ".count).prefix { $0 != " " })
  }

  /// The journal lines of `run` in `directory`, parsed.
  static func journal(_ directory: URL, run: String) throws -> [[String: Any]] {
    let text = try String(contentsOf: directory.appendingPathComponent(run + ".jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// The differences between two states, for failure messages (paths of differing top-level entries).
  static func differences(_ a: NSDictionary, _ b: NSDictionary) -> String {
    var lines: [String] = []
    let keys = Set(a.allKeys.compactMap { $0 as? String }).union(b.allKeys.compactMap { $0 as? String })
    for key in keys.sorted() {
      let left = a[key] as? NSDictionary
      let right = b[key] as? NSDictionary
      if let left, let right {
        let inner = Set(left.allKeys.compactMap { $0 as? String }).union(right.allKeys.compactMap { $0 as? String })
        for name in inner.sorted()
        where !same(left[name], right[name]) {
          lines.append("\(key)/\(name): \(left[name].map { "\($0)" } ?? "-") => \(right[name].map { "\($0)" } ?? "-")")
        }
      } else if !same(a[key], b[key]) {
        lines.append("\(key): \(a[key].map { "\($0)" } ?? "-") => \(b[key].map { "\($0)" } ?? "-")")
      }
    }
    return lines.joined(separator: "\n")
  }

  private static func same(_ a: Any?, _ b: Any?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return (a as? NSObject)?.isEqual(b as? NSObject) ?? false
  }

  static func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-journal-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
