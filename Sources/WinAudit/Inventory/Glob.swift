/// Shell-style wildcard matching (`*`, `?`, `[abc]`, `[a-z]`, `[!abc]`), case-insensitive, for `--limit`.
///
/// The pattern is read once into single-character tokens and matched with the two-pointer method that remembers only
/// the last `*`: at most pattern x text steps, so a pathological pattern such as `*a*a*a*a*b` cannot take exponential
/// time (the recursive matcher it replaces took over 30 s on one).
enum Glob {
  private enum Token {
    case literal(Character)
    case any
    case star
    /// A bracket expression: its members (single characters and ranges) and whether it is negated.
    case set([(Character, Character)], negated: Bool)

    func accepts(_ character: Character) -> Bool {
      switch self {
      case .literal(let wanted): return wanted == character
      case .any: return true
      case .star: return true
      case .set(let ranges, let negated):
        return ranges.contains { $0.0 <= character && character <= $0.1 } != negated
      }
    }
  }

  static func matches(_ pattern: String, _ text: String) -> Bool {
    let tokens = tokenize(Array(pattern.lowercased()))
    let characters = Array(text.lowercased())
    var ti = 0
    var pi = 0
    var starAt: Int?
    var starText = 0
    while ti < characters.count {
      if pi < tokens.count, case .star = tokens[pi] {
        starAt = pi
        starText = ti
        pi += 1
      } else if pi < tokens.count, tokens[pi].accepts(characters[ti]) {
        pi += 1
        ti += 1
      } else if let star = starAt {
        // Let the last `*` take one more character and retry what follows it.
        pi = star + 1
        starText += 1
        ti = starText
      } else {
        return false
      }
    }
    while pi < tokens.count, case .star = tokens[pi] { pi += 1 }
    return pi == tokens.count
  }

  private static func tokenize(_ pattern: [Character]) -> [Token] {
    var tokens: [Token] = []
    var index = 0
    while index < pattern.count {
      let character = pattern[index]
      switch character {
      case "*":
        if case .star? = tokens.last {} else { tokens.append(.star) }
        index += 1
      case "?":
        tokens.append(.any)
        index += 1
      case "[":
        // An unclosed `[` is a literal, as in shells.
        guard let close = pattern[(index + 1)...].firstIndex(of: "]") else {
          tokens.append(.literal("["))
          index += 1
          continue
        }
        var members = Array(pattern[(index + 1)..<close])
        let negated = members.first == "!"
        if negated { members.removeFirst() }
        var ranges: [(Character, Character)] = []
        var member = 0
        while member < members.count {
          if member + 2 < members.count, members[member + 1] == "-" {
            ranges.append((members[member], members[member + 2]))
            member += 3
          } else {
            ranges.append((members[member], members[member]))
            member += 1
          }
        }
        tokens.append(.set(ranges, negated: negated))
        index = close + 1
      default:
        tokens.append(.literal(character))
        index += 1
      }
    }
    return tokens
  }
}
