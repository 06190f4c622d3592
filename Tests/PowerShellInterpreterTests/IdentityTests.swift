import PowerShellInterpreter
import Testing

/// `[Security.Principal.WindowsIdentity]::GetCurrent()` and `IsInRole`, answered from the host's token.
@Suite struct IdentityTests {
  static let isAdministrator =
    "([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
    + ".IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-544')"

  func run(_ script: String, elevated: Bool) -> PSRunResult {
    PSRunspace(
      host: PSHostEnvironment(
        clock: PSManualClock(), machineName: "LAB-01", userName: "ops", userDomain: "LAB-01",
        userSID: "S-1-5-21-1-2-3-1001",
        isElevated: elevated, newline: "\n")
    ).run(script: script)
  }

  @Test func administratorsFollowsTheTokensElevation() {
    #expect(run(Self.isAdministrator, elevated: true).stdout == "True\n")
    #expect(run(Self.isAdministrator, elevated: false).stdout == "False\n")
    #expect(run("[Security.Principal.WindowsIdentity]::GetCurrent().Name", elevated: true).stdout == "LAB-01\\ops\n")
    #expect(
      run("[Security.Principal.WindowsIdentity]::GetCurrent().User.Value", elevated: true).stdout
        == "S-1-5-21-1-2-3-1001\n")
    #expect(run("([Security.Principal.SecurityIdentifier]'s-1-5-18').Value", elevated: true).stdout == "S-1-5-18\n")
  }

  @Test func whatTheTokenDoesNotModelFailsLoudly() {
    let other = run(
      "([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
        + ".IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-555')", elevated: true)
    #expect(other.exitCode == 1)
    #expect(other.errors.first?.message.contains("does not model membership of S-1-5-32-555") == true)
    let badSID = run("[Security.Principal.SecurityIdentifier]'Administrators'", elevated: true)
    #expect(badSID.exitCode == 1)
  }
}

/// What the interpreter does not model fails with an error, never a plausible value.
@Suite struct NotModelledTests {
  @Test func regexReplaceWithAScriptBlockOrAnUnknownOptionIsRefused() {
    let evaluator = runScript("[regex]::Replace('ab', 'a', { 'x' })")
    #expect(evaluator.exitCode == 1)
    #expect(evaluator.errors.first?.message.contains("MatchEvaluator") == true)
    #expect(runScript("[regex]::Replace('AB', 'a', 'x', 'IgnoreCase')").stdout == "xB\n")
    #expect(runScript("[regex]::Replace('AB', 'a', 'x', 'Multiline')").exitCode == 1)
  }
}
