/// The winaudit version reports carry (JSON `run.winauditVersion`, the HTML footer).
///
/// A placeholder until the `winaudit --version` constant lands from the inventories/CLI branch: when it does, this
/// forwards to it and this file goes away.
public enum ReportMetadata {
  public static let winauditVersion = "0.0.0-dev"
}
