import RemotePowerShell

/// A value written into generated PowerShell: the only way text from a playbook, an inventory or a host reaches a
/// script. Text always becomes a single-quoted literal, so `$`, backticks and `$()` stay text and cannot become code.
enum PowerShellValue: Sendable, Hashable {
  /// A single-quoted string literal.
  case literal(String)
  /// A whole number, written as digits.
  case integer(Int64)
  /// `@('a','b')`: an array of string literals that stays an array with one element.
  case array([String])
  /// A variable of the script itself (`$waRun`); the name is ours, never a user's.
  case variable(String)
  /// `$true` / `$false`.
  case boolean(Bool)
  /// `$null`.
  case null

  /// The PowerShell text of the value.
  var code: String {
    switch self {
    case .literal(let text): return PowerShellQuote.literal(text)
    case .integer(let number): return String(number)
    case .array(let items): return PowerShellQuote.array(items)
    case .variable(let name): return "$" + name
    case .boolean(let flag): return flag ? "$true" : "$false"
    case .null: return "$null"
    }
  }

  static func integer(_ number: Int) -> PowerShellValue { .integer(Int64(number)) }
}

/// Builds the lines of generated PowerShell: commands with named arguments, assignments and ordered hashtables, each
/// value rendered through `PowerShellValue`.
enum PowerShellCode {
  /// `Name -Param 'value' -Other 3`: a command with named arguments in the order given.
  static func command(_ name: String, _ arguments: KeyValuePairs<String, PowerShellValue> = [:]) -> String {
    ([name] + arguments.map { "-\($0.key) \($0.value.code)" }).joined(separator: " ")
  }

  /// `[ordered]@{ key = value; ... }` with fixed key names and rendered values.
  static func orderedTable(_ entries: [(key: String, value: PowerShellValue)]) -> String {
    "[ordered]@{ " + entries.map { "\($0.key) = \($0.value.code)" }.joined(separator: "; ") + " }"
  }
}

extension PowerShellCode {
  /// `@{ 'key' = value; ... }`: a hashtable whose keys are values too (kind names), quoted like any value.
  static func table(_ entries: [(key: PowerShellValue, value: PowerShellValue)]) -> String {
    "@{ " + entries.map { "\($0.key.code) = \($0.value.code)" }.joined(separator: "; ") + " }"
  }
}
