import Foundation

/// Finds the `winlab` executable for code that starts a lab in-process (end-to-end tests, the benchmark): it is built
/// into the same products folder as the running test binary.
public enum LabBinaries {
  /// The path of the running executable (/proc/self/exe, else argv[0] made absolute).
  public static func currentExecutable() -> URL {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: resolved)
    }
    let argument = CommandLine.arguments.first ?? "winlab"
    let url =
      argument.hasPrefix("/")
      ? URL(fileURLWithPath: argument)
      : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(argument)
    return url.standardizedFileURL.resolvingSymlinksInPath()
  }

  /// `winlab` next to the running executable; throws telling to `swift build` first when it is not there.
  public static func winlabPath() throws -> URL {
    var folder = currentExecutable().deletingLastPathComponent()
    // On macOS the test binary sits inside a .xctest bundle (Foo.xctest/Contents/MacOS/Foo).
    while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
    let binary = folder.appendingPathComponent("winlab")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw LabShellError(
        "\(binary.path) does not exist: the end-to-end tests need the winlab executable, run `swift build` first")
    }
    return binary
  }
}
