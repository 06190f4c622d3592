import ArgumentParser
import Foundation
import WinAudit

/// `winaudit probe`: what RDP listeners answer from here, like a scanner, for hosts with or without SSH.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Ask RDP listeners what they accept (no credentials) and read their TLS certificate.",
    discussion: """
      Three connections per target: the RDP negotiation asking for standard RDP security, for TLS and for CredSSP \
      (NLA), then a TLS handshake to read the certificate. Nothing beyond the handshake is sent.

      Exit codes: 0 every target answered, 2 invalid input, 4 some target did not answer.
      """)

  @Argument(help: ArgumentHelp("HOST, HOST:PORT or [IPv6]:PORT (port 3389 when none).", valueName: "target"))
  var targets: [String]

  @Option(name: .long, help: "Report format: text or json.")
  var format: Format = .text

  @OptionGroup var probe: ProbeOption

  @OptionGroup var concurrency: ConcurrencyOption

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  func validate() throws {
    if probe.noProbe { throw ValidationError("--no-probe makes no sense for 'probe'") }
  }

  func run() async throws {
    let parsed = try targets.map { try WireScan.target($0) }
    guard let prober = probe.prober() else { return }
    let inFlight = try concurrency.value(default: DefaultConcurrency.audit())
    let report = await WireScan(prober: prober, concurrency: inFlight).run(parsed)
    print(format == .json ? report.json : report.text(), terminator: "")
    throw ExitCode(report.exitCode)
  }
}
