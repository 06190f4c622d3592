/// A reference from a control to a fact, optionally to one field of it: `termService` or `termService.startType`.
struct FactPath: Sendable, Hashable, CustomStringConvertible {
  var fact: String
  /// The field after the dot, if any (`startType`); nil means the fact's main value.
  var field: String?

  init(fact: String, field: String? = nil) {
    self.fact = fact
    self.field = field
  }

  /// Parses `id` or `id.field`.
  init(_ text: String) {
    if let dot = text.firstIndex(of: ".") {
      fact = String(text[..<dot])
      field = String(text[text.index(after: dot)...])
    } else {
      fact = text
      field = nil
    }
  }

  var description: String {
    field.map { "\(fact).\($0)" } ?? fact
  }
}
