import Foundation
import Testing
import WinAudit

/// One lab fleet audited through the real binary from winaudit's own YAML inventory, an Ansible INI inventory, an
/// Ansible YAML inventory, a CSV and standard input: the same hosts, the same findings.
@Suite(.serialized)
struct InventoryFormatsTests {
  static let hosts = ["healthy-2019", "shell-powershell", "nla-off"]

  @Test func everyInventoryFormatGivesTheSameReport() throws {
    let fleet = try FleetHarness(hosts: Self.hosts, addressPrefix: "127.0.75", port: 2275)
    defer { fleet.stop() }
    let lab = try fleet.inventoryHosts()
    #expect(Set(lab.map(\.name)) == Set(Self.hosts))
    let folder = fleet.folder.appendingPathComponent("inventories")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let identity = fleet.lab.identity.path
    let knownHosts = fleet.lab.knownHosts.path

    var ini = "[lab]\n"
    for host in lab {
      ini += "\(host.name) ansible_host=\(host.address) ansible_port=\(host.port)"
      if host.shell == .powershell { ini += " ansible_shell_type=powershell" }
      ini += "\n"
    }
    ini += "\n[windows:children]\nlab\n\n[windows:vars]\nansible_user=\(fleet.lab.user)\n"
    ini += "ansible_ssh_private_key_file=\(identity)\nansible_connection=ssh\n"
    ini += "ansible_ssh_common_args='-o StrictHostKeyChecking=no'\n"

    var yaml = "all:\n  vars:\n    ansible_user: \(fleet.lab.user)\n    ansible_ssh_private_key_file: \(identity)\n"
    yaml += "  children:\n    windows:\n      children:\n        lab:\n          hosts:\n"
    for host in lab {
      yaml += "            \(host.name):\n              ansible_host: \(host.address)\n"
      yaml += "              ansible_port: \(host.port)\n"
      yaml += "              ansible_shell_type: \(host.shell == .powershell ? "powershell" : "cmd")\n"
    }

    var csv = "name,address,port,user,tags,shell,identity\n"
    for host in lab {
      csv += "\(host.name),\(host.address),\(host.port),\(fleet.lab.user),lab;windows,\(host.shell.rawValue),"
      csv += "\"\(identity)\"\n"
    }

    let files = [
      ("hosts", ini), ("inventory.yml", yaml), ("fleet.csv", csv),
    ]
    for (name, text) in files {
      try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    let reference = try report(["--inventory", fleet.lab.inventory.path])
    #expect(reference.count == Self.hosts.count)
    for (name, _) in files {
      let hosts = try report(["--inventory", folder.appendingPathComponent(name).path, "--known-hosts", knownHosts])
      #expect(hosts == reference, "\(name) gives another report than inventory.yml")
    }
    // The format chosen by hand, a group --limit through children, and the inventory on standard input.
    let limited = try report(
      [
        "--inventory", "-", "--inventory-format", "ansible-ini", "--known-hosts", knownHosts, "--limit", "windows",
      ], stdin: Data(ini.utf8))
    #expect(limited == reference)

    // --color decides over the terminal test: always colours a pipe, never does not.
    let always = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--color", "always"])
    #expect(always.out.contains("\u{1B}["), "\(always.out)")
    let never = try FleetHarness.winaudit(["audit", "--inventory", fleet.lab.inventory.path, "--color", "never"])
    #expect(!never.out.contains("\u{1B}"), "\(never.out)")
  }

  @Test func ansibleSSHArgumentsOtherThanAJumpHostAreIgnoredWithAWarning() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-ini-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("hosts")
    try Data("[w]\nweb-01 ansible_host=192.0.2.1\n[w:vars]\nansible_ssh_common_args=-J x -o ForwardAgent=yes\n".utf8)
      .write(to: file)
    // --limit selects nothing: exit 2 after the warning, with no host contacted.
    let run = try FleetHarness.winaudit(["audit", "--inventory", file.path, "--limit", "none"])
    #expect(run.status == 2, "\(run.err)")
    #expect(
      run.err.contains("\(file.path):4:1: warning: ansible_ssh_common_args: '-o ForwardAgent=yes' is ignored"),
      "\(run.err)")
  }

  @Test func malformedInventoriesExitTwoNamingTheLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // Each names a host on an address nothing listens on (TEST-NET-1): a run that contacted it would not exit 2.
    let cases: [(String, String, String)] = [
      ("hosts", "[w]\nweb-01 ansible_host=192.0.2.1 ansible_port=x\n", ":2:"),
      ("inventory.yml", "all:\n  hosts:\n    web-01:\n      ansible_port: [1]\n", ":4:"),
      ("fleet.csv", "name,address\nweb-01,192.0.2.1\n\"web-02,192.0.2.2\n", ":3:"),
      ("list.txt", "192.0.2.1\n[windows]\n", ":2:"),
    ]
    for (name, text, line) in cases {
      let file = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: file)
      let format = name == "list.txt" ? ["--inventory-format", "list"] : []
      let run = try FleetHarness.winaudit(["audit", "--inventory", file.path, "--connect-timeout", "600"] + format)
      #expect(run.status == 2, "\(name): \(run.err)")
      #expect(run.err.contains(file.path + line), "\(name): \(run.err)")
      #expect(run.out.isEmpty, "\(name): \(run.out)")
    }
  }

  @Test func versionIsPrinted() throws {
    let run = try FleetHarness.winaudit(["--version"])
    #expect(run.status == 0)
    #expect(run.out == WinAuditVersion.current + "\n")
  }

  /// The JSON report's hosts: name, address, status, error and controls, as parsed JSON, comparable.
  private func report(_ arguments: [String], stdin: Data = Data()) throws -> [NSDictionary] {
    let run = try FleetHarness.winaudit(["audit", "--format", "json"] + arguments, stdin: stdin)
    #expect([0, 1].contains(run.status), "\(arguments): \(run.err)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(arguments): \(run.err)")
    // What differs from run to run (the time each host took) or by inventory format (tags: Ansible has groups) is
    // not what is compared.
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    return hosts.map { host in
      var host = host
      host["durationSeconds"] = nil
      host["tags"] = nil
      return host as NSDictionary
    }
  }
}
