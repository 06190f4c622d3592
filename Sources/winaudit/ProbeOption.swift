import ArgumentParser
import WinAudit

/// The outside-in RDP probe's options, shared by `audit` and `probe`.
struct ProbeOption: ParsableArguments {
  @Flag(name: .long, help: "Do not probe the RDP listeners from here (the wire controls are reported as skipped).")
  var noProbe = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Seconds the RDP probe waits to connect, for each answer and for the TLS handshake.", valueName: "seconds"))
  var probeTimeout: Double = 5

  func validate() throws {
    guard probeTimeout.isFinite, probeTimeout > 0, probeTimeout <= 600 else {
      throw ValidationError("--probe-timeout must be a number of seconds above 0 and at most 600")
    }
  }

  /// The prober, or nil with `--no-probe`.
  func prober() -> (any WireProber)? {
    noProbe ? nil : RDPWireProber(timeout: probeTimeout)
  }
}
