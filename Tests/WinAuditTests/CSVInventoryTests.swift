import Foundation
import Testing

@testable import WinAudit

/// CSV inventories: a header row, one host a row, and what is refused (exit 2, file:line).
@Suite("CSV inventories")
struct CSVInventoryTests {
  let fallback = InventoryLoader.Fallback(user: "auditor")

  func parse(_ text: String, file: String = "fleet.csv") throws(DiagnosticsError) -> Inventory {
    try InventoryLoader.parse(text, file: file, folder: "/lab", fallback: fallback)
  }

  func diagnostics(_ text: String, file: String = "fleet.csv") -> [String] {
    do {
      _ = try parse(text, file: file)
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  @Test func headerColumnsQuotesAndDefaults() throws {
    let inventory = try parse(
      """
      name,address,port,user,tags,shell,rdp_port,identity
      web-01,10.0.0.11,2222,admin,prod;server-2019,powershell,3390,keys/id
      "db-01",,, ,"prod; sql",,,

      app-01,"10.0.0.31",22,ops,,CMD,,/keys/other
      """)
    #expect(inventory.hosts.map(\.name) == ["web-01", "db-01", "app-01"])
    let web = inventory.hosts[0]
    #expect(web.address == "10.0.0.11")
    #expect(web.port == 2222)
    #expect(web.user == "admin")
    #expect(web.tags == ["prod", "server-2019"])
    #expect(web.shell == .powershell)
    #expect(web.rdpPort == 3390)
    #expect(web.identity == "/lab/keys/id")
    let db = inventory.hosts[1]
    #expect(db.address == "db-01")
    #expect(db.port == 22)
    #expect(db.user == "auditor")
    #expect(db.tags == ["prod", "sql"])
    #expect(db.shell == .cmd)
    #expect(inventory.hosts[2].identity == "/keys/other")
    #expect(try inventory.select(limit: HostLimit("sql")).map(\.name) == ["db-01"])
  }

  @Test func mistakesNameTheirRowsLine() {
    // The quoted field on line 3 spans two lines, so the rows after it are on lines 5 and 6.
    let messages = diagnostics(
      """
      name,address,port
      web-01,10.0.0.1,http
      "web
      02",10.0.0.2,22
      web-01,10.0.0.3,22
      web-04,10.0.0.4,22,extra
      ,10.0.0.5,
      """)
    #expect(
      messages == [
        "fleet.csv:2:1: error: port 'http' must be a number from 1 to 65535",
        "fleet.csv:3:1: error: name 'web\n02' cannot contain spaces, line breaks or control characters",
        "fleet.csv:6:1: error: this row has 4 fields, the header 3",
        "fleet.csv:7:1: error: the name is empty: every row needs a host name",
      ])
  }

  @Test func duplicatesAndHeaderProblems() {
    #expect(
      diagnostics("name,address\na,1.1.1.1\nA,1.1.1.2\n") == [
        "fleet.csv:3:1: error: duplicate host 'A' (first on line 2): list each host once"
      ])
    #expect(
      diagnostics("name,adress\na,1.1.1.1\n") == [
        "fleet.csv:1:1: error: unknown column 'adress' in the header row; columns are name, address, port, user, "
          + "tags, shell, rdp_port, identity, known_hosts, jump"
      ])
    #expect(
      diagnostics("address,port\n1.1.1.1,22\n") == [
        "fleet.csv:1:1: error: the header row has no 'name' column: the first row must name the columns"
      ])
    #expect(
      diagnostics("\n\n") == [
        "fleet.csv:1:1: error: the CSV is empty: write a header row (name,address,port,user,tags,...) and one host a row"
      ])
  }

  @Test func hostileCSV() {
    // An unclosed quote (read to the end of the file by the CSV grammar), a stray quote, escapes in a name.
    #expect(
      diagnostics("name,address\na,1.1.1.1\n\"b,1.1.1.2\nc,1.1.1.3\n") == [
        "fleet.csv:3:1: error: a quote opened in this row is never closed"
      ])
    let stray = diagnostics("name,address\na,1.1.1.1\nb\"x,1.1.1.2\n")
    #expect(stray.count == 1)
    #expect(stray.first?.hasPrefix("fleet.csv:3:1: error: cannot read the CSV (") == true, "\(stray)")
    #expect(
      diagnostics("name,address\n\"a\u{1B}[2J\",1.1.1.1\n") == [
        "fleet.csv:2:1: error: name 'a\u{1B}[2J' cannot contain spaces, line breaks or control characters"
      ])
    #expect(
      diagnostics("name,address\na,\"1.1.1.1 ; rm -rf /\"\n") == [
        "fleet.csv:2:1: error: address '1.1.1.1 ; rm -rf /' cannot contain spaces, line breaks or control characters"
      ])
  }
}
