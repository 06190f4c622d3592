import Foundation
import Testing

@testable import WinAudit

@Suite("Inventory")
struct InventoryTests {
  let fallback = InventoryLoader.Fallback(user: "auditor")

  func parse(_ text: String, file: String = "hosts.yml") throws(DiagnosticsError) -> Inventory {
    try InventoryLoader.parse(text, file: file, folder: "/lab", fallback: fallback)
  }

  func diagnostics(_ text: String, file: String = "hosts.yml") -> [String] {
    do {
      _ = try parse(text, file: file)
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  /// Detecting the format of a YAML inventory composes it once, and the parser reads that tree: the same inventory as
  /// parsing the text again, for winaudit's YAML and Ansible's.
  @Test func aYAMLInventoryIsComposedOnce() throws {
    let winaudit = "defaults:\n  user: admin\nhosts:\n  - name: a\n    address: 10.0.0.1\n"
    let ansible = "windows:\n  hosts:\n    b:\n      ansible_host: 10.0.0.2\n"
    for (text, format) in [(winaudit, InventoryFormat.winaudit), (ansible, .ansibleYAML)] {
      let detected = InventoryFormat.detectComposing(text, file: "hosts.yml")
      #expect(detected.format == format)
      #expect(detected.composed != nil)
      let once = try InventoryLoader.parse(text, file: "hosts.yml", folder: "/tmp")
      let twice = try InventoryLoader.parse(text, file: "hosts.yml", folder: "/tmp", format: format)
      #expect(once.hosts.map(\.name) == twice.hosts.map(\.name))
      #expect(once.hosts.map(\.address) == twice.hosts.map(\.address))
    }
    #expect(InventoryFormat.detectComposing("name,address\na,10.0.0.1\n", file: "hosts.csv").composed == nil)
  }

  @Test func jumpHostsAndWhatIsLeftToSSHConfig() throws {
    let inventory = try parse(
      """
      defaults:
        jump: admin@bastion:2200
      hosts:
        - name: web-01
        - name: web-02
          port: 2222
          user: root
          jump: other-bastion
      """)
    #expect(inventory.hosts.map(\.jump) == ["admin@bastion:2200", "other-bastion"])
    // Port and user the inventory does not set are defaults a host's ssh_config entry may replace.
    #expect(inventory.hosts.map(\.defaulted) == [[.port, .user], []])
    #expect(
      diagnostics("hosts:\n  - name: web-01\n    jump: 'a b'\n").first?.contains(
        "hosts.yml:3:11: error: host 'web-01' jump must be one jump host '[user@]host[:port]'") == true)
    // --user is given on purpose: it wins over ssh_config.
    var given = fallback
    given.userIsExplicit = true
    let plain = try InventoryLoader.parse(
      "web-01\nroot@web-02:2200\n", file: "list", folder: "/lab", format: .list, fallback: given)
    #expect(plain.hosts.map(\.defaulted) == [[.port], []])
  }

  @Test func yamlInventoryOfContract3() throws {
    let inventory = try parse(
      """
      defaults:
        user: root
        port: 22
        identity: id_ed25519
        known_hosts: known_hosts
        shell: cmd
      hosts:
        - name: healthy-2019
          address: 127.0.10.1
          port: 2222
          tags: [lab, server-2019]
          shell: powershell
        - name: broken-2016
          identity: /keys/other
      groups:
        lab: [healthy-2019, broken-2016]
      """)
    #expect(inventory.hosts.count == 2)
    let first = inventory.hosts[0]
    #expect(first.name == "healthy-2019")
    #expect(first.address == "127.0.10.1")
    #expect(first.port == 2222)
    #expect(first.user == "root")
    #expect(first.identity == "/lab/id_ed25519")
    #expect(first.knownHosts == "/lab/known_hosts")
    #expect(first.shell == .powershell)
    #expect(first.tags == ["lab", "server-2019"])
    let second = inventory.hosts[1]
    #expect(second.address == "broken-2016")
    #expect(second.port == 22)
    #expect(second.identity == "/keys/other")
    #expect(second.shell == .cmd)
    #expect(inventory.groups["lab"] == ["healthy-2019", "broken-2016"])
  }

  @Test func unknownKeyNamesLineColumnAndSuggestion() {
    let messages = diagnostics(
      """
      hosts:
        - name: a
          adress: 10.0.0.1
      """)
    #expect(
      messages == [
        "hosts.yml:3:5: error: unknown key 'adress' in a host; did you mean 'address'? Allowed keys: name, address, "
          + "port, user, identity, known_hosts, shell, tags, rdp_port, jump"
      ])
  }

  @Test func wrongTypesAndRanges() {
    let messages = diagnostics(
      """
      defaults:
        port: twenty-two
      hosts:
        - name: a
          port: 70000
        - name: b
          shell: bash
          tags: {x: 1}
      """)
    #expect(
      messages == [
        "hosts.yml:2:9: error: defaults.port must be a whole number, found the text 'twenty-two'",
        "hosts.yml:5:11: error: host 'a' port must be between 1 and 65535, found 70000",
        "hosts.yml:7:12: error: host 'b' shell must be 'cmd' or 'powershell' (the host's OpenSSH DefaultShell), found 'bash'",
        "hosts.yml:8:11: error: host 'b' tags must be a list, found a mapping",
      ])
  }

  @Test func duplicatesAndDanglingGroupMembers() {
    let messages = diagnostics(
      """
      hosts:
        - name: a
        - name: A
      groups:
        web: [a, nope]
      """)
    #expect(
      messages == [
        "hosts.yml:3:5: error: duplicate host name 'A' (first defined at line 2): names must be unique",
        "hosts.yml:5:12: error: group 'web' names 'nope', which is not a host in this inventory",
      ])
  }

  @Test func duplicateYAMLKeys() {
    let messages = diagnostics(
      """
      hosts:
        - name: a
          name: b
      """)
    #expect(messages.count == 1)
    #expect(messages.first?.hasPrefix("hosts.yml:2:5: error: duplicate key 'name'") == true)
  }

  @Test func syntaxErrorAndMissingHosts() {
    #expect(diagnostics("hosts: [a\n").first?.hasPrefix("hosts.yml:2:1: error: YAML syntax error") == true)
    #expect(
      diagnostics("defaults: {}\n") == ["hosts.yml:1:1: error: the inventory is missing the required key 'hosts'"])
    #expect(diagnostics("hosts: []\n") == ["hosts.yml:1:8: error: hosts is empty: list at least one host"])
  }

  @Test func plainList() throws {
    let inventory = try parse(
      """
      # fleet
      web01
      admin@10.0.0.5:2222   # lab box
        [fe80::1]:22
      ops@[2001:db8::2]:2200
      """, file: "hosts.txt")
    #expect(inventory.hosts.map(\.name) == ["web01", "10.0.0.5:2222", "fe80::1", "2001:db8::2:2200"])
    #expect(inventory.hosts.map(\.user) == ["auditor", "admin", "auditor", "ops"])
    #expect(inventory.hosts.map(\.port) == [22, 2222, 22, 2200])
    #expect(inventory.hosts[3].address == "2001:db8::2")
  }

  @Test func plainListErrors() {
    let messages = diagnostics(
      """
      web01
      web02:http
       web01
      a b
      @host
      """, file: "hosts.txt")
    #expect(
      messages == [
        "hosts.txt:2:7: error: port 'http' must be a number from 1 to 65535",
        "hosts.txt:3:2: error: duplicate host 'web01' (first on line 1); list each host once",
        "hosts.txt:4:1: error: expected one '[user@]host[:port]' per line, found 'a b'; put each host on its own line",
        "hosts.txt:5:1: error: empty user name before '@'",
      ])
  }

  @Test func limitByNameTagGroupAndExclusion() throws {
    let inventory = try parse(
      """
      hosts:
        - {name: web-01, tags: [prod]}
        - {name: web-02, tags: [test]}
        - {name: db-01, tags: [prod]}
      groups:
        databases: [db-01]
      """)
    func names(_ pattern: String) throws -> [String] {
      try inventory.select(limit: HostLimit(pattern)).map(\.name)
    }
    #expect(try names("web-*") == ["web-01", "web-02"])
    #expect(try names("prod") == ["web-01", "db-01"])
    #expect(try names("databases") == ["db-01"])
    #expect(try names("prod,!db*") == ["web-01"])
    #expect(try names("WEB-0[2-9]") == ["web-02"])
    #expect(try names("!prod") == ["web-02"])
    #expect(throws: UsageError.self) { try inventory.select(limit: HostLimit("nothing*")) }
    #expect(throws: UsageError.self) { try HostLimit(" , ") }
  }

  @Test func loadReportsAMissingFile() {
    #expect(throws: DiagnosticsError.self) { try InventoryLoader.load(path: "/nonexistent/hosts.yml") }
  }
}
