import Foundation
import RemotePowerShell

/// Inverses and limits the tests check the product's output against.
extension RemotePowerShellCommand {
  /// cmd.exe's command line limit in characters.
  static let cmdLineLimit = 8191

  /// Reverses `encodedCommand`: the text of an `-EncodedCommand` argument, or nil if it is not base64 UTF-16LE.
  static func decodeEncodedCommand(_ base64: String) -> String? {
    guard let data = Data(base64Encoded: base64), data.count % 2 == 0 else { return nil }
    var units: [UInt16] = []
    units.reserveCapacity(data.count / 2)
    var index = data.startIndex
    while index < data.endIndex {
      units.append(UInt16(data[index]) | UInt16(data[data.index(after: index)]) << 8)
      index = data.index(index, offsetBy: 2)
    }
    return String(decoding: units, as: UTF16.self)
  }

  /// Reverses the stdin payload: the script text, or nil if `stdin` is not base64 of UTF-8.
  /// The script in `LENGTH:SHA256:BASE64`, nil unless the length matches (the digest is checked by the bootstrap
  /// tests on the lab).
  static func decodeStdin(_ stdin: Data) -> String? {
    let parts = String(decoding: stdin, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      .split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, let data = Data(base64Encoded: String(parts[2])), String(data.count) == parts[0],
      parts[1].count == 64
    else { return nil }
    return String(data: data, encoding: .utf8)
  }
}

extension CLIXMLDecoder {
  /// The lines of the Error stream plus any plain stderr text: what a person should see as the errors.
  static func errorLines(_ stderr: String) -> [String] {
    decode(stderr).filter { $0.stream.caseInsensitiveCompare("Error") == .orderedSame }.map(\.text)
  }
}
