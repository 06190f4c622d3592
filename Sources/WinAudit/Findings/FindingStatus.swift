/// The outcome of one control on one host.
public enum FindingStatus: String, Sendable, Hashable, CaseIterable {
  /// The host is as the control expects.
  case pass
  /// The host differs from the control: expected, actual and source say how.
  case drift
  /// The control could not be judged (a fact failed to collect); the message quotes PowerShell.
  case error
  /// The control does not apply to this host, or a control it requires did not pass.
  case skipped
  /// The control drifts, but a waiver (`--waivers`) accepts it until its expiry: `Finding.waiver` says who and why.
  case waived
}
