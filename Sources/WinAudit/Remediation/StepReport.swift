/// One JSON line an apply or rollback script printed: the host lock's state, or one step's result with the target's
/// state read back after it.
struct StepReport: Sendable, Hashable {
  enum Kind: String, Sendable {
    case lock
    case step
  }

  var kind: Kind
  var step: String
  /// `ok` / `error` for a step; `taken` / `held` for the lock.
  var status: String
  var after: FactValue
  var message: String

  /// The reports in a script's output, in order; other lines (warnings a cmdlet printed) are ignored.
  static func parse(_ stdout: String) -> [StepReport] {
    stdout.split(whereSeparator: \.isNewline).compactMap { line in
      let text = line.trimmingCharacters(in: .whitespaces)
      guard text.hasPrefix("{"), text.contains("\"winaudit\""), let value = try? FactValue.parseJSON(text),
        let kind = value["winaudit"]?.asText.flatMap(Kind.init(rawValue:))
      else { return nil }
      return StepReport(
        kind: kind, step: value["step"]?.asText ?? "", status: value["status"]?.asText ?? "",
        after: value["after"] ?? .null, message: value["message"]?.asText ?? "")
    }
  }
}
