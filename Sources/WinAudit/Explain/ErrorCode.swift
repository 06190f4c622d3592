import Foundation

/// A number the Remote Desktop client shows after a failed connection: the "Error code" (the disconnect reason) or the
/// "Extended error code" (the reason the server gave). mstsc prints them in hex (`0x904`), other clients in decimal
/// (`2308`); both name the same 32-bit value.
public struct ErrorCode: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var value: UInt32

  public init(_ value: UInt32) {
    self.value = value
  }

  /// Reads a code as a person types it: hex with a `0x` prefix (`0x904`, `0X904`) or an `h` suffix (`904h`), any
  /// case; a plain number is decimal (`2308`), as the clients that print decimals show it.
  public init(parsing text: String) throws(ErrorCodeSyntaxError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw ErrorCodeSyntaxError("an error code is empty: write it as 0x904 or 2308") }
    let lower = trimmed.lowercased()
    let hex = lower.hasPrefix("0x") || lower.hasSuffix("h")
    let radix = hex ? 16 : 10
    let digits: Substring =
      lower.hasPrefix("0x") ? lower.dropFirst(2) : lower.hasSuffix("h") ? lower.dropLast() : Substring(lower)
    let allowed = radix == 16 ? "0123456789abcdef" : "0123456789"
    guard !digits.isEmpty, digits.allSatisfy({ allowed.contains($0) }) else {
      if radix == 10, !digits.isEmpty, digits.allSatisfy({ "0123456789abcdef".contains($0) }) {
        throw ErrorCodeSyntaxError(
          "'\(trimmed)' is not a decimal number; a hex code needs 0x (0x\(trimmed.uppercased())) or a trailing h")
      }
      throw ErrorCodeSyntaxError(
        "'\(trimmed)' is not an error code: write hex as 0x904 (or 904h) and decimal as 2308")
    }
    guard let value = UInt32(digits, radix: radix) else {
      throw ErrorCodeSyntaxError("'\(trimmed)' is larger than an error code can be (at most 0xFFFFFFFF)")
    }
    self.value = value
  }

  /// Hex as mstsc shows it: `0x904`, `0xB09`.
  public var description: String { "0x" + String(value, radix: 16, uppercase: true) }

  /// The decimal other clients show: `2308`.
  public var decimal: String { String(value) }

  public static func < (lhs: ErrorCode, rhs: ErrorCode) -> Bool { lhs.value < rhs.value }
}

/// Why a text is not an error code; the message says how to write one.
public struct ErrorCodeSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
