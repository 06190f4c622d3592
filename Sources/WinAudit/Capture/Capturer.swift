import Foundation
import RemotePowerShell

/// `winaudit capture`: one host, one connection, one powershell.exe running `CaptureScript`; the raw JSON it prints is
/// anonymised here and written to a folder an administrator can send (capture.json and a README.txt).
///
/// A capture exists to make the lab answer like a host where winaudit's verdict looks wrong: `winlab import` turns it
/// into a lab host, and the audit can be replayed and debugged without access to the machine.
public struct Capturer: Sendable {
  public var connector: any HostConnector
  public var playbook: Playbook

  public init(connector: any HostConnector, playbook: Playbook) {
    self.connector = connector
    self.playbook = playbook
  }

  /// What a capture produced: the anonymised document and what the host could not answer.
  public struct Result: Sendable {
    /// capture.json's content, anonymised.
    public var document: FactValue
    /// The queries that failed on the host, with PowerShell's message (already anonymised).
    public var failedQueries: [String]
    /// The playbook's fact kinds the capture cannot read raw.
    public var uncapturedKinds: [String]
  }

  /// Captures `host`; throws a `CaptureError` when the host cannot be reached, the script fails, or the login is not
  /// elevated (the reads would show less than is there).
  public func capture(_ host: InventoryHost) async throws(CaptureError) -> Result {
    let script = CaptureScript(playbook: playbook)
    let session: any HostSession
    do {
      session = try await connector.connect(to: host)
    } catch {
      throw CaptureError("\(host.name): \(error.message)")
    }
    let output: ScriptResult
    do {
      output = try await session.run(script: script.text)
    } catch {
      await session.close()
      throw CaptureError("\(host.name): running the capture script failed: \(error.message)")
    }
    await session.close()
    let raw: FactValue
    do {
      raw = try FactValue.parseJSON(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    } catch {
      let said = output.messages.prefix(5).joined(separator: " | ")
      throw CaptureError(
        "\(host.name): the capture script's output could not be read (exit \(output.exitCode)): \(error.message)"
          + (said.isEmpty ? "" : ": " + said))
    }
    guard raw["capture"]?.number == Double(CaptureScript.schemaVersion) else {
      throw CaptureError("\(host.name): the host did not answer with a capture document")
    }
    if raw["host"]?["elevated"]?.bool == false {
      let facts = HostFacts(
        computerName: raw["host"]?["computerName"]?.string, user: raw["host"]?["user"]?.string, elevated: false)
      throw CaptureError("\(host.name): " + Auditor.notElevated(facts) + "; nothing was captured")
    }
    let document = CaptureAnonymiser.anonymise(raw)
    let failed = (document["errors"] ?? .null).list.map {
      "\($0["query"]?.string ?? "?"): \($0["message"]?.string ?? "")"
    }
    return Result(document: document, failedQueries: failed, uncapturedKinds: script.uncaptured)
  }

  /// Writes capture.json and README.txt into `folder` (created if needed).
  public static func write(_ result: Result, playbook: String, to folder: URL) throws(CaptureError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      var json = try encoder.encode(result.document)
      json.append(0x0A)
      try json.write(to: folder.appendingPathComponent("capture.json"), options: .atomic)
      try Data(CaptureReadme.text(result, playbook: playbook).utf8).write(
        to: folder.appendingPathComponent("README.txt"), options: .atomic)
    } catch {
      throw CaptureError("cannot write the capture to \(folder.path): \(error.localizedDescription)")
    }
  }
}

/// Why a capture could not be made or written.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
