import Foundation

/// The intrinsic `.Where()` and `.ForEach()` methods every value has (about_Intrinsic_Members, about_Arrays).
extension Engine {
  /// The result of `.Where()` / `.ForEach()` on `value`, or nil when `name` is neither (or the object has its own).
  func callIntrinsicMethod(_ value: PSValue, _ lowered: String, _ name: String, _ args: [PSValue]) throws -> PSValue? {
    guard lowered == "where" || lowered == "foreach", !value.isNull else { return nil }
    if case .object(let object) = value, object.method(named: name) != nil { return nil }
    let items = value.enumeratedItems ?? [value]
    return lowered == "where" ? try intrinsicWhere(items, name, args) : try intrinsicForEach(items, name, args)
  }

  func intrinsicWhere(_ items: [PSValue], _ name: String, _ args: [PSValue]) throws -> PSValue {
    guard (1...3).contains(args.count), case .scriptBlock(let script) = args[0] else {
      throw methodException(
        name, args.count, "Cannot find an overload for \"Where\" and the argument count: \"\(args.count)\".",
        innerType: "System.Management.Automation.MethodException")
    }
    let modes = ["default", "first", "last", "skipuntil", "until", "split"]
    var mode = "default"
    if args.count > 1 {
      let text: String
      if case .enumValue(let e) = args[1] { text = e.name } else { text = PSConvert.toString(args[1]) }
      guard modes.contains(text.lowercased()) else {
        throw runtimeError(
          "Cannot convert value \"\(text)\" to type \"System.Management.Automation.WhereOperatorSelectionMode\". Error: \"Unable to match the identifier name \(text) to a valid enumerator name. Specify one of the following enumerator names and try again:\nDefault, First, Last, SkipUntil, Until, Split\"",
          id: "InvalidCastFromStringToEnum", category: .invalidArgument)
      }
      mode = text.lowercased()
    }
    var limit = args.count > 2 ? Int((try PSConvert.toInt64(args[2])) ?? 0) : 0
    if limit < 0 { limit = 0 }
    if mode == "first" || mode == "last" { limit = max(limit, 1) }
    func test(_ item: PSValue) throws -> Bool {
      PSConvert.toBool(
        collapse(try invokeScriptBlockCollecting(script, dollarUnder: item, arguments: [], newScope: false)))
    }
    var result: [PSValue] = []
    switch mode {
    case "first", "default":
      for item in items where try test(item) {
        result.append(item)
        if limit > 0 && result.count == limit { break }
      }
    case "last":
      for item in items where try test(item) { result.append(item) }
      result = Array(result.suffix(limit))
    case "skipuntil":
      var found = false
      for item in items {
        if !found { found = try test(item) }
        if found { result.append(item) }
        if limit > 0 && result.count == limit { break }
      }
    case "until":
      for item in items {
        if try test(item) { break }
        result.append(item)
        if limit > 0 && result.count == limit { break }
      }
    default:
      var rest: [PSValue] = []
      for item in items {
        if (limit == 0 || result.count < limit), try test(item) {
          result.append(item)
        } else {
          rest.append(item)
        }
      }
      return .array(PSArray([.array(PSArray(result)), .array(PSArray(rest))]))
    }
    return .array(PSArray(result))
  }

  func intrinsicForEach(_ items: [PSValue], _ name: String, _ args: [PSValue]) throws -> PSValue {
    guard let first = args.first else {
      throw methodException(
        name, 0, "Cannot find an overload for \"ForEach\" and the argument count: \"0\".",
        innerType: "System.Management.Automation.MethodException")
    }
    let rest = Array(args.dropFirst())
    var result: [PSValue] = []
    switch first {
    case .scriptBlock(let script):
      for item in items {
        // Arguments bind to the block's param() in a scope of its own; without them it runs in the caller's scope,
        // so `.ForEach{ $array += $_ }` changes $array (about_Arithmetic_Operators).
        result += try invokeScriptBlockCollecting(script, dollarUnder: item, arguments: rest, newScope: !rest.isEmpty)
      }
    case .type(let type):
      guard rest.isEmpty else { break }
      for item in items { result.append(try convert(item, to: type.fullName)) }
      return .array(PSArray(result))
    case .string(let member):
      for item in items {
        if case .object(let object) = item, let property = object.property(named: member) {
          if rest.isEmpty {
            result.append(try property.get())
          } else if rest.count == 1 {
            try property.set(rest[0])
          } else {
            throw notModelled("ForEach('\(member)', ...) with more than one value for a property")
          }
          continue
        }
        if rest.isEmpty {
          let property = try getMember(item, member)
          if !property.isNull {
            result.append(property)
            continue
          }
        }
        result.append(try callMethod(item, member, rest))
      }
      return .array(PSArray(result))
    default: break
    }
    if case .scriptBlock = first { return .array(PSArray(result)) }
    throw notModelled(
      "ForEach() with a \(PSTypes.typeName(of: first)) argument (WinLab models a script block, a type or a member name)"
    )
  }
}
