import Foundation

/// `System.String` instance methods with .NET semantics (ordinal, case-sensitive unless stated).
enum StringMethods {
  static func charSet(_ args: [PSValue]) -> Set<Character> {
    var result = Set<Character>()
    for arg in args {
      for item in arg.enumeratedItems ?? [arg] {
        for c in PSConvert.toString(item) { result.insert(c) }
      }
    }
    return result
  }

  static func int(_ value: PSValue, _ engine: Engine) throws -> Int { Int((try PSConvert.toInt64(value)) ?? 0) }

  static func comparison(_ args: [PSValue], at index: Int) -> Bool {
    // StringComparison.*IgnoreCase (1, 3, 5) or a bool ignoreCase.
    guard index < args.count else { return false }
    switch args[index] {
    case .bool(let b): return b
    case .enumValue(let e): return e.value % 2 == 1
    case .string(let s): return s.lowercased().hasSuffix("ignorecase")
    case .int(let i): return i % 2 == 1
    default: return false
    }
  }

  /// `String.Split` with the .NET Framework overloads 5.1 binds: `(char[])`, `(char[], int)`,
  /// `(char[], StringSplitOptions)`, `(char[], int, StringSplitOptions)`, `(string[], [int,] StringSplitOptions)`.
  /// A string argument is a char[]: every character separates.
  static func split(_ s: String, _ args: [PSValue], name: String, engine: Engine) throws -> [String] {
    var rest = args
    var removeEmpty = false
    if let last = rest.last, rest.count > 1 {
      switch last {
      case .enumValue(let e) where e.type.fullName == "System.StringSplitOptions":
        removeEmpty = e.value == 1
        rest.removeLast()
      case .string(let option) where ["none", "removeemptyentries"].contains(option.lowercased()):
        removeEmpty = option.lowercased() == "removeemptyentries"
        rest.removeLast()
      default: break
      }
    }
    var count = Int.max
    if rest.count == 2, case .int(let limit) = rest[1] {
      guard limit >= 0 else {
        throw engine.methodException(
          name, args.count, "Count cannot be less than zero.\r\nParameter name: count",
          innerType: "System.ArgumentOutOfRangeException")
      }
      count = Int(limit)
      rest.removeLast()
    }
    // The separators: strings (the string[] overload, which needs the options argument) or single characters.
    var separators: [[UInt16]] = []
    var stringSeparators = false
    if rest.count == 1, case .array(let array) = rest[0], args.count > 1 {
      let texts = array.items.map { PSConvert.toString($0) }
      if case .array(elementType: "System.String") = array.kind { stringSeparators = true }
      if texts.contains(where: { $0.utf16.count != 1 }) { stringSeparators = true }
      if stringSeparators { separators = texts.filter { !$0.isEmpty }.map { Array($0.utf16) } }
    }
    if !stringSeparators {
      for arg in rest {
        for item in arg.enumeratedItems ?? [arg] {
          if case .array = arg, case .string(let text) = item, text.utf16.count != 1 {
            throw engine.notModelled("String.Split with several strings as separators and no StringSplitOptions")
          }
          for unit in PSConvert.toString(item).utf16 { separators.append([unit]) }
        }
      }
    }
    let units = Array(s.utf16)
    if count == 0 || (removeEmpty && units.isEmpty) { return [] }
    if count == 1 { return [s] }
    // Where the separators are: (offset, length), scanning left to right.
    var found: [(Int, Int)] = []
    var index = 0
    while index < units.count {
      var length = 0
      if separators.isEmpty {
        if let scalar = Unicode.Scalar(units[index]), Character(scalar).isWhitespace { length = 1 }
      } else {
        for separator in separators
        where index + separator.count <= units.count && Array(units[index..<(index + separator.count)]) == separator {
          length = separator.count
          break
        }
      }
      if length > 0 {
        found.append((index, length))
        index += length
      } else {
        index += 1
      }
    }
    func text(_ from: Int, _ to: Int) -> String { String(decoding: units[from..<to], as: UTF16.self) }
    var pieces: [String] = []
    var current = 0
    for (offset, length) in found {
      if pieces.count >= count - 1 { break }
      let piece = text(current, offset)
      if !removeEmpty || !piece.isEmpty { pieces.append(piece) }
      current = offset + length
    }
    if !removeEmpty || current < units.count { pieces.append(text(current, units.count)) }
    return pieces
  }

  static func call(_ s: String, _ lowered: String, _ name: String, _ args: [PSValue], engine: Engine) throws -> PSValue
  {
    func outOfRange(_ parameter: String) -> PSErrorRecord {
      engine.methodException(
        name, args.count,
        "Index and length must refer to a location within the string.\r\nParameter name: \(parameter)",
        innerType: "System.ArgumentOutOfRangeException")
    }
    let utf16 = Array(s.utf16)
    func sub(_ start: Int, _ end: Int) -> String { String(decoding: utf16[start..<end], as: UTF16.self) }
    switch lowered {
    case "tostring": return .string(s)
    case "toupper", "toupperinvariant": return .string(s.uppercased())
    case "tolower", "tolowerinvariant": return .string(s.lowercased())
    case "trim", "trimstart", "trimend":
      let set: Set<Character> = args.isEmpty ? [] : charSet(args)
      let isTrimmed: (Character) -> Bool = { args.isEmpty ? $0.isWhitespace : set.contains($0) }
      var result = Substring(s)
      if lowered != "trimend" { result = result.drop(while: isTrimmed) }
      if lowered != "trimstart" {
        while let last = result.last, isTrimmed(last) { result = result.dropLast() }
      }
      return .string(String(result))
    case "contains":
      guard args.count == 1 else { break }
      let needle = PSConvert.toString(args[0])
      return .bool(needle.isEmpty || s.range(of: needle, options: .literal) != nil)
    case "startswith", "endswith":
      guard !args.isEmpty else { break }
      let needle = PSConvert.toString(args[0])
      let ignore = comparison(args, at: 1)
      let a = ignore ? s.lowercased() : s
      let b = ignore ? needle.lowercased() : needle
      return .bool(lowered == "startswith" ? a.hasPrefix(b) : a.hasSuffix(b))
    case "indexof", "lastindexof":
      guard !args.isEmpty else { break }
      let needle = PSConvert.toString(args[0])
      let ignore = args.count > 1 && comparison(args, at: args.count - 1)
      var options: String.CompareOptions = [.literal]
      if ignore { options.insert(.caseInsensitive) }
      if lowered == "lastindexof" { options.insert(.backwards) }
      var searchRange = s.startIndex..<s.endIndex
      if args.count > 1, case .int(let start) = args[1], lowered == "indexof" {
        let offset = min(Int(start), utf16.count)
        searchRange = String.Index(utf16Offset: offset, in: s)..<s.endIndex
      }
      guard let found = s.range(of: needle, options: options, range: searchRange) else { return .int(-1) }
      return .int(Int32(found.lowerBound.utf16Offset(in: s)))
    case "substring":
      guard !args.isEmpty else { break }
      let start = try int(args[0], engine)
      if start > utf16.count {
        throw engine.methodException(
          name, args.count, "startIndex cannot be larger than length of string.\r\nParameter name: startIndex",
          innerType: "System.ArgumentOutOfRangeException")
      }
      guard start >= 0 else {
        throw engine.methodException(
          name, args.count, "StartIndex cannot be less than zero.\r\nParameter name: startIndex",
          innerType: "System.ArgumentOutOfRangeException")
      }
      if args.count > 1 {
        let length = try int(args[1], engine)
        guard length >= 0 else {
          throw engine.methodException(
            name, args.count, "Length cannot be less than zero.\r\nParameter name: length",
            innerType: "System.ArgumentOutOfRangeException")
        }
        guard start + length <= utf16.count else { throw outOfRange("length") }
        return .string(sub(start, start + length))
      }
      return .string(sub(start, utf16.count))
    case "replace":
      guard args.count == 2 else { break }
      let old = PSConvert.toString(args[0])
      if old.isEmpty {
        throw engine.methodException(
          name, 2, "String cannot be of zero length.\r\nParameter name: oldValue", innerType: "System.ArgumentException"
        )
      }
      return .string(s.replacingOccurrences(of: old, with: PSConvert.toString(args[1]), options: .literal))
    case "split":
      return .array(PSArray.strings(try split(s, args, name: name, engine: engine)))
    case "padleft", "padright":
      guard args.count == 1 || args.count == 2 else { break }
      let width = try int(args[0], engine)
      var pad: Character = " "
      if args.count > 1 {
        let text = PSConvert.toString(args[1])
        guard text.utf16.count == 1, let only = text.first else {
          throw engine.runtimeError(
            "Cannot convert argument \"paddingChar\", with value: \"\(text)\", for \"\(name)\" to type \"System.Char\": \"Cannot convert value \"\(text)\" to type \"System.Char\". Error: \"String must be exactly one character long.\"\"",
            id: "MethodArgumentConversionInvalidCastArgument", category: .notSpecified,
            exceptionType: "System.Management.Automation.MethodException")
        }
        pad = only
      }
      guard width >= 0 else {
        throw engine.methodException(
          name, args.count, "Non-negative number required.\r\nParameter name: totalWidth",
          innerType: "System.ArgumentOutOfRangeException")
      }
      let count = max(0, width - utf16.count)
      let padding = String(repeating: pad, count: count)
      return .string(lowered == "padleft" ? padding + s : s + padding)
    case "insert":
      guard args.count == 2 else { break }
      let start = try int(args[0], engine)
      guard start >= 0 && start <= utf16.count else { throw outOfRange("startIndex") }
      return .string(sub(0, start) + PSConvert.toString(args[1]) + sub(start, utf16.count))
    case "remove":
      guard !args.isEmpty else { break }
      let start = try int(args[0], engine)
      guard start >= 0 && start <= utf16.count else { throw outOfRange("startIndex") }
      let length = args.count > 1 ? try int(args[1], engine) : utf16.count - start
      guard length >= 0 && start + length <= utf16.count else { throw outOfRange("count") }
      return .string(sub(0, start) + sub(start + length, utf16.count))
    case "equals":
      guard !args.isEmpty else { break }
      let other = PSConvert.toString(args[0])
      if comparison(args, at: 1) { return .bool(s.caseInsensitiveCompare(other) == .orderedSame) }
      if case .string = args[0] { return .bool(s == other) }
      return .bool(false)
    case "compareto":
      guard args.count == 1 else { break }
      // String.CompareTo is culture-aware; any string is greater than $null.
      if args[0].isNull { return .int(1) }
      return .int(Int32(Engine.cultureCompare(s, PSConvert.toString(args[0]), ignoreCase: false)))
    case "chars", "get_chars":
      guard args.count == 1 else { break }
      let position = try int(args[0], engine)
      guard position >= 0 && position < utf16.count else {
        throw engine.methodException(
          name, 1, "Index was outside the bounds of the array.", innerType: "System.IndexOutOfRangeException")
      }
      return .char(Character(sub(position, position + 1)))
    case "get_length":
      guard args.isEmpty else { break }
      return .int(Int32(utf16.count))
    case "tochararray":
      return .array(PSArray(s.map { .char($0) }, kind: .array(elementType: "System.Char")))
    case "normalize":
      return .string(s.precomposedStringWithCanonicalMapping)
    case "gethashcode":
      return .int(Int32(truncatingIfNeeded: s.hashValue))
    case "getenumerator":
      return .array(PSArray(s.map { .char($0) }))
    case "clone":
      return .string(s)
    default: break
    }
    throw engine.methodNotFound(.string(s), name)
  }
}
