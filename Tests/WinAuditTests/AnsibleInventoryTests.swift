import Foundation
import Testing

@testable import WinAudit

/// Ansible INI and YAML inventories read as Ansible reads them, and what winaudit refuses in them (exit 2, file:line).
@Suite("Ansible inventories")
struct AnsibleInventoryTests {
  let fallback = InventoryLoader.Fallback(user: "auditor")

  func parse(_ text: String, file: String, format: InventoryFormat = .auto) throws(DiagnosticsError) -> Inventory {
    try InventoryLoader.parse(text, file: file, folder: "/lab", format: format, fallback: fallback)
  }

  func diagnostics(_ text: String, file: String, format: InventoryFormat = .auto) -> [String] {
    do {
      _ = try parse(text, file: file, format: format)
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  static let ini = """
    # the fleet
    bastion-host ansible_host=10.0.0.1

    [web]
    web-01 ansible_host=10.0.0.11 ansible_port=2222
    web-[02:03].example.com   # two more

    [db]
    db-01 ansible_host="10.0.0.21" ansible_user='dba'
    sql:2200 ansible_shell_type=powershell

    [windows:children]
    web
    db

    [windows:vars]
    ansible_user = administrator
    ansible_ssh_private_key_file=keys/id_ed25519
    ansible_connection=ssh
    ansible_ssh_common_args='-o ProxyJump=bastion'

    [web:vars]
    ansible_shell_type=cmd

    [all:vars]
    ansible_port=22
    """

  @Test func iniGroupsChildrenVarsAndPrecedence() throws {
    let inventory = try parse(Self.ini, file: "hosts")
    #expect(
      inventory.hosts.map(\.name) == [
        "bastion-host", "web-01", "web-02.example.com", "web-03.example.com", "db-01", "sql",
      ])
    let byName = Dictionary(uniqueKeysWithValues: inventory.hosts.map { ($0.name, $0) })
    #expect(byName["bastion-host"]?.address == "10.0.0.1")
    #expect(byName["bastion-host"]?.user == "auditor")
    #expect(byName["bastion-host"]?.identity == nil)
    #expect(byName["web-01"]?.port == 2222)
    #expect(byName["web-02.example.com"]?.address == "web-02.example.com")
    #expect(byName["web-02.example.com"]?.port == 22)
    #expect(byName["web-02.example.com"]?.user == "administrator")
    #expect(byName["web-02.example.com"]?.identity == "/lab/keys/id_ed25519")
    #expect(byName["db-01"]?.user == "dba")
    #expect(byName["db-01"]?.address == "10.0.0.21")
    #expect(byName["sql"]?.port == 2200)
    #expect(byName["sql"]?.shell == .powershell)
    #expect(
      inventory.groups["windows"] == [
        "web-01", "web-02.example.com", "web-03.example.com", "db-01", "sql",
      ])
    #expect(inventory.groups["web"] == ["web-01", "web-02.example.com", "web-03.example.com"])
    #expect(inventory.groups["all"]?.count == 6)
    // ansible_ssh_common_args is named once, where it is written; ansible_connection is ignored quietly.
    #expect(
      inventory.warnings.map(\.warningDescription) == [
        "hosts:20:1: warning: ansible_ssh_common_args is ignored: winaudit passes no extra ssh arguments (a "
          + "ProxyCommand or -J there is not used)"
      ])
  }

  @Test func childrenGroupsExpandInLimit() throws {
    let inventory = try parse(Self.ini, file: "hosts")
    #expect(
      try inventory.select(limit: HostLimit("windows,!db")).map(\.name) == [
        "web-01", "web-02.example.com", "web-03.example.com",
      ])
    #expect(try inventory.select(limit: HostLimit("db")).map(\.name) == ["db-01", "sql"])
  }

  /// Groups of thousands of hosts (ranges) resolve and select in host order; membership is looked up, not scanned.
  @Test func largeGroupsResolveAndSelect() throws {
    let inventory = try parse(
      "[web]\nweb-[0001:4000]\n[db]\ndb-[0001:4000]\n[windows:children]\nweb\ndb\n", file: "hosts")
    #expect(inventory.hosts.count == 8000)
    #expect(inventory.groups["windows"]?.count == 8000)
    let web = try inventory.select(limit: HostLimit("web,!web-000*"))
    #expect(web.count == 3991 && web.first?.name == "web-0010" && web.last?.name == "web-4000")
    #expect(try inventory.select(limit: HostLimit("windows,!web")).map(\.name) == inventory.groups["db"])
  }

  static let yaml = """
    all:
      hosts:
        bastion-host:
          ansible_host: 10.0.0.1
      vars:
        ansible_port: 22
      children:
        windows:
          vars:
            ansible_user: administrator
            ansible_ssh_private_key_file: keys/id_ed25519
          children:
            web:
              hosts:
                web-01: {ansible_host: 10.0.0.11, ansible_port: 2222}
                web-[02:03].example.com:
              vars:
                ansible_shell_type: cmd
            db:
              hosts:
                db-01:
                  ansible_host: 10.0.0.21
                  ansible_user: dba
                sql:
                  ansible_port: 2200
                  ansible_shell_type: powershell
    """

  @Test func yamlReadsTheSameFleetAsINI() throws {
    let ini = try parse(Self.ini, file: "hosts")
    let yaml = try parse(Self.yaml, file: "hosts.yml")
    #expect(yaml.hosts == ini.hosts)
    #expect(yaml.groups == ini.groups)
    #expect(yaml.warnings.isEmpty)
  }

  @Test func hostPortInTheName() throws {
    let ini = try parse("[w]\nweb-[1:2]:2201\nfe80::1\n", file: "hosts", format: .ansibleINI)
    #expect(ini.hosts.map(\.name) == ["web-1", "web-2", "fe80::1"])
    #expect(ini.hosts.map(\.port) == [2201, 2201, 22])
    let yaml = try parse("all:\n  hosts:\n    web-01:2202:\n    web-02:\n", file: "inv.yml")
    #expect(yaml.hosts.map(\.name) == ["web-01", "web-02"])
    #expect(yaml.hosts.map(\.port) == [2202, 22])
    #expect(
      diagnostics("all:\n  hosts:\n    web-01:http:\n", file: "inv.yml") == [
        "inv.yml:3:5: error: ansible_port must be a number from 1 to 65535, found 'http'"
      ])
  }

  @Test func formatIsDetectedOrChosen() {
    #expect(InventoryFormat.detect(Self.ini, file: "hosts") == .ansibleINI)
    #expect(InventoryFormat.detect("web01 ansible_host=10.0.0.1\n", file: "hosts") == .ansibleINI)
    #expect(InventoryFormat.detect(Self.yaml, file: "inventory") == .ansibleYAML)
    #expect(InventoryFormat.detect(Self.yaml, file: "hosts.yml") == .ansibleYAML)
    #expect(InventoryFormat.detect("hosts:\n  - name: a\n", file: "hosts.yml") == .winaudit)
    #expect(InventoryFormat.detect("defaults: {}\n", file: "x") == .winaudit)
    #expect(InventoryFormat.detect("name,address\na,10.0.0.1\n", file: "fleet") == .csv)
    #expect(InventoryFormat.detect("anything\n", file: "fleet.csv") == .csv)
    #expect(InventoryFormat.detect("web01\nadmin@10.0.0.5:2222\n[fe80::1]:22\n", file: "hosts.txt") == .list)
  }

  @Test func iniMistakesNameTheirLine() {
    let messages = diagnostics(
      """
      [web]
      web-01 ansible_port=http
      web-02 stray
      web-03 ansible_host="10.0.0.3
      web-04 ansible_shell_type=bash
      web-[9:1]
      [web:tags]
      [web:vars]
      no equals sign
      [web:children]
      web
      """, file: "hosts.ini")
    #expect(
      messages == [
        "hosts.ini:2:8: error: ansible_port must be a number from 1 to 65535, found 'http'",
        "hosts.ini:3:8: error: expected 'key=value' after the host name, found 'stray'",
        "hosts.ini:4:21: error: a quote opened here is not closed on this line",
        "hosts.ini:5:8: error: ansible_shell_type must be 'cmd' or 'powershell' (the host's OpenSSH DefaultShell), "
          + "found 'bash'",
        "hosts.ini:6:1: error: 'web-[9:1]': the range starts after it ends",
        "hosts.ini:7:1: error: unknown section '[web:tags]': a section is [group], [group:vars] or [group:children]",
        "hosts.ini:9:1: error: expected 'key=value' in [web:vars], found 'no equals sign'",
        "hosts.ini:11:1: error: group 'web' cannot have 'web' as a child",
      ])
  }

  @Test func hostileINI() {
    // A range that expands to millions of hosts, a cycle of children, a template, control characters.
    #expect(
      diagnostics("[big]\nhost[0:99999999]\n", file: "hosts.ini") == [
        "hosts.ini:2:1: error: 'host[0:99999999]' stands for more than 10000 hosts"
      ])
    #expect(
      diagnostics("[a:children]\nb\n[b:children]\na\n[a]\nx\n", file: "hosts.ini") == [
        "hosts.ini:1:1: error: group 'a' is, through its children, a child of itself"
      ])
    #expect(
      diagnostics("[w]\nx ansible_host='{{ lookup }}'\n", file: "hosts.ini") == [
        "hosts.ini:2:3: error: ansible_host '{{ lookup }}' is a Jinja template, which winaudit does not evaluate: "
          + "write the value itself"
      ])
    #expect(
      diagnostics("[w]\nx\u{1B}[2J ansible_port=22\n", file: "hosts.ini") == [
        "hosts.ini:2:1: error: host name 'x\u{1B}[2J' is empty or holds spaces or control characters"
      ])
    #expect(
      diagnostics("[w]\nx\0y\n", file: "hosts.ini") == [
        "hosts.ini:2:1: error: the inventory holds a NUL byte: it is not a text file"
      ])
    #expect(
      diagnostics("[w]\n[w:vars]\nansible_user=x\n", file: "hosts.ini") == [
        "hosts.ini:1:1: error: the inventory lists no host: add hosts under a group (or under 'all')"
      ])
  }

  @Test func yamlMistakesNameTheirLine() {
    let messages = diagnostics(
      """
      all:
        children:
          web:
            hosts:
              web-01:
                ansible_port: [1, 2]
              web-02:
                ansible_port: 99999
            vars: [a]
          db: [x]
      """, file: "inventory.yml")
    #expect(
      messages == [
        "inventory.yml:6:25: error: host 'web-01': ansible_port must be text, found a list",
        "inventory.yml:8:25: error: ansible_port must be a number from 1 to 65535, found '99999'",
        "inventory.yml:9:13: error: vars of group 'web' must be a mapping (key: value lines), found a list",
        "inventory.yml:10:9: error: group 'db' must be a mapping with hosts, vars or children, found a list",
      ])
  }

  @Test func hostileYAML() {
    // Aliases that repeat a group exponentially often are cut off, not walked.
    var text = "all:\n  children:\n    g0: &g0\n      hosts: {h: null}\n"
    for level in 1...20 {
      text += "    g\(level): &g\(level)\n      children: {a\(level): *g\(level - 1), b\(level): *g\(level - 1)}\n"
    }
    let messages = diagnostics(text, file: "bomb.yml", format: .ansibleYAML)
    #expect(messages.count == 1)
    #expect(messages.first?.contains("more than 10000 groups to read") == true, "\(messages)")
    let deep =
      "all: " + (0..<200).map { "{children: {g\($0): " }.joined() + "{hosts: {h: }}"
      + String(repeating: "}}", count: 200) + "\n"
    let nested = diagnostics(deep, file: "deep.yml", format: .ansibleYAML)
    #expect(nested.count == 1)
    #expect(nested.first?.contains("children are nested more than 64 levels deep") == true, "\(nested)")
    #expect(
      diagnostics("all:\n  hosts:\n    a:\n  hosts: {}\n", file: "dup.yml", format: .ansibleYAML).first?.hasPrefix(
        "dup.yml:2:3: error: duplicate key 'hosts'") == true)
    #expect(diagnostics("all: [\n", file: "x.yml", format: .ansibleYAML).first?.contains("YAML syntax error") == true)
  }

  @Test func plainListRejectsOtherFormatsNamingThem() {
    let messages = diagnostics(
      """
      web01
      [windows]
      web02,10.0.0.2
      web03 ansible_host=10.0.0.3
      """, file: "hosts.txt", format: .list)
    #expect(
      messages == [
        "hosts.txt:2:1: error: '[windows]' is not a '[user@]host[:port]' line: this looks like an Ansible INI "
          + "inventory section: use --inventory-format ansible-ini",
        "hosts.txt:3:1: error: 'web02,10.0.0.2' is not a '[user@]host[:port]' line: this looks like CSV: a CSV "
          + "inventory starts with a header row (name,address,port,user,tags,...), or use --inventory-format csv; a "
          + "plain list has one host a line",
        "hosts.txt:4:1: error: 'web03 ansible_host=10.0.0.3' is not a '[user@]host[:port]' line: this looks like an "
          + "Ansible INI host line (key=value): use --inventory-format ansible-ini",
      ])
  }
}
