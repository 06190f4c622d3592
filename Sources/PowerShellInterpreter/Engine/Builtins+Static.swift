import Foundation

extension Builtins {
  final class EncodingBox {
    let webName: String
    let emitsBOM: Bool
    init(_ webName: String, emitsBOM: Bool) {
      self.webName = webName
      self.emitsBOM = emitsBOM
    }
  }

  static func bytes(of value: PSValue, engine: Engine, method: String, count: Int) throws -> [UInt8] {
    if case .array(let array) = value, let bytes = array.byteValues { return bytes }
    if value.isNull {
      throw engine.methodException(
        method, count, "Array cannot be null.\r\nParameter name: bytes", innerType: "System.ArgumentNullException")
    }
    throw engine.methodException(
      method, count,
      "Cannot convert argument \"bytes\", with value: \"\(PSConvert.toString(value))\", for \"\(method)\" to type \"System.Byte[]\".",
      innerType: "System.Management.Automation.PSInvalidCastException")
  }

  static func encoding(_ webName: String, emitsBOM: Bool = true) -> PSObject {
    let typeName: String
    let display: String
    let codePage: Int32
    switch webName {
    case "utf-8":
      typeName = "System.Text.UTF8Encoding"
      display = "Unicode (UTF-8)"
      codePage = 65001
    case "utf-16":
      typeName = "System.Text.UnicodeEncoding"
      display = "Unicode"
      codePage = 1200
    case "us-ascii":
      typeName = "System.Text.ASCIIEncoding"
      display = "US-ASCII"
      codePage = 20127
    default:
      typeName = "System.Text.SBCSCodePageEncoding"
      display = "OEM United States"
      codePage = 437
    }
    let object = PSObject(typeName: typeName, baseTypes: ["System.Text.Encoding", "System.Object"])
    object.native = EncodingBox(webName, emitsBOM: emitsBOM)
    object.addProperty("WebName", .string(webName))
    object.addProperty("EncodingName", .string(display))
    object.addProperty("BodyName", .string(webName))
    object.addProperty("HeaderName", .string(webName))
    object.addProperty("CodePage", .int(codePage))
    object.addProperty("IsSingleByte", .bool(codePage == 437 || codePage == 20127))
    object.toStringHandler = { typeName }
    func encode(_ text: String) -> [UInt8] {
      switch webName {
      case "utf-8": return Array(text.utf8)
      case "utf-16": return text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
      default: return text.unicodeScalars.map { $0.value < 128 ? UInt8($0.value) : 63 }
      }
    }
    func decode(_ bytes: [UInt8]) -> String {
      switch webName {
      case "utf-8": return String(decoding: bytes, as: UTF8.self)
      case "utf-16":
        var units: [UInt16] = []
        var i = 0
        while i + 1 < bytes.count {
          units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
          i += 2
        }
        return String(decoding: units, as: UTF16.self)
      default: return String(bytes.map { Character(Unicode.Scalar($0 < 128 ? $0 : 63)) })
      }
    }
    object.addMethod("GetBytes") { args in
      .array(PSArray.bytes(encode(PSConvert.toString(args.first ?? .null))))
    }
    object.addMethod("GetByteCount") { args in .int(Int32(encode(PSConvert.toString(args.first ?? .null)).count)) }
    object.addMethod("GetPreamble") { _ in
      guard emitsBOM else { return .array(PSArray.bytes([])) }
      switch webName {
      case "utf-8": return .array(PSArray.bytes([0xEF, 0xBB, 0xBF]))
      case "utf-16": return .array(PSArray.bytes([0xFF, 0xFE]))
      default: return .array(PSArray.bytes([]))
      }
    }
    object.addMethod("GetString") { args in
      guard case .array(let array) = args.first ?? .null, var bytes = array.byteValues else {
        throw PSErrorRecord(
          exceptionType: "System.ArgumentNullException", message: "Array cannot be null.\r\nParameter name: bytes",
          errorId: "ArgumentNullException", category: .invalidArgument)
      }
      if args.count == 3 {
        let start = Int((try PSConvert.toInt64(args[1])) ?? 0)
        let count = Int((try PSConvert.toInt64(args[2])) ?? 0)
        guard start >= 0, count >= 0, start + count <= bytes.count else {
          throw PSErrorRecord(
            exceptionType: "System.ArgumentOutOfRangeException",
            message: "Index and count must refer to a location within the buffer.",
            errorId: "ArgumentOutOfRangeException", category: .invalidArgument)
        }
        bytes = Array(bytes[start..<(start + count)])
      }
      return .string(decode(bytes))
    }
    return object
  }

  static func consoleReader(engine: Engine) -> PSObject {
    let reader = PSObject(typeName: "System.IO.SyncTextReader", baseTypes: ["System.IO.TextReader", "System.Object"])
    reader.addMethod("ReadToEnd") { _ in .string(engine.readStandardInput()) }
    reader.addMethod("ReadLine") { _ in
      if let readLine = engine.host.readStandardInputLine {
        engine.flushFormatted()
        return readLine().map { .string($0) } ?? .null
      }
      let text = engine.readStandardInput()
      return text.isEmpty ? .null : .string(String(text.split(separator: "\n", maxSplits: 1).first ?? ""))
    }
    return reader
  }

  static func consoleWriter(engine: Engine, stream: PSTextStream) -> PSObject {
    let writer = PSObject(typeName: "System.IO.TextWriter")
    writer.addMethod("WriteLine") { args in
      engine.flushFormatted()
      engine.emitText(stream, (args.first.map { PSConvert.toString($0) } ?? "") + engine.host.newline)
      return .null
    }
    writer.addMethod("Write") { args in
      engine.flushFormatted()
      engine.emitText(stream, args.first.map { PSConvert.toString($0) } ?? "")
      return .null
    }
    writer.addMethod("Flush") { _ in .null }
    return writer
  }

  static func staticProperty(_ type: String, _ name: String, engine: Engine) throws -> PSValue {
    let lowered = name.lowercased()
    switch (type, lowered) {
    case ("System.Console", "in"): return .object(consoleReader(engine: engine))
    case ("System.Console", "out"): return .object(consoleWriter(engine: engine, stream: .stdout))
    case ("System.Console", "error"): return .object(consoleWriter(engine: engine, stream: .stderr))
    case ("System.Console", "outputencoding"), ("System.Console", "inputencoding"):
      return .object(encoding(engine.outputEncodingIsUTF8 && lowered == "outputencoding" ? "utf-8" : "ibm437"))
    case ("System.Text.Encoding", "utf8"): return .object(encoding("utf-8"))
    case ("System.Text.Encoding", "unicode"): return .object(encoding("utf-16"))
    case ("System.Text.Encoding", "ascii"): return .object(encoding("us-ascii"))
    case ("System.Text.Encoding", "default"): return .object(encoding("windows-1252"))
    case ("System.Environment", "machinename"): return .string(engine.host.machineName)
    case ("System.Environment", "username"): return .string(engine.host.userName)
    case ("System.Environment", "userdomainname"): return .string(engine.host.userDomain)
    case ("System.Environment", "newline"): return .string("\r\n")
    case ("System.Environment", "is64bitoperatingsystem"), ("System.Environment", "is64bitprocess"): return .bool(true)
    case ("System.Environment", "processorcount"): return .int(2)
    case ("System.Environment", "currentdirectory"): return .string("C:\\Windows\\system32")
    case ("System.Environment", "systemdirectory"): return .string("C:\\Windows\\system32")
    case ("System.Environment", "tickcount"):
      return .int(Int32(truncatingIfNeeded: Int64(engine.host.clock.now().timeIntervalSince1970 * 1000)))
    case ("System.Environment", "osversion"):
      let os = PSObject(typeName: "System.OperatingSystem")
      os.addProperty(
        "Platform", .enumValue(PSEnumType(fullName: "System.PlatformID", members: [("Win32NT", 2)]).value(2)))
      os.addProperty("ServicePack", .string(""))
      os.addProperty("Version", .object(version(engine.host.osVersion)))
      os.addProperty("VersionString", .string("Microsoft Windows NT \(engine.host.osVersion)"))
      os.toStringHandler = { "Microsoft Windows NT \(engine.host.osVersion)" }
      return .object(os)
    case ("System.DateTime", "now"): return .dateTime(PSDateTime(date: engine.host.clock.now(), kind: .local))
    case ("System.DateTime", "utcnow"): return .dateTime(PSDateTime(date: engine.host.clock.now(), kind: .utc))
    case ("System.DateTime", "today"):
      let now = PSDateTime(date: engine.host.clock.now(), kind: .local)
      return .dateTime(PSDateTime(ticks: now.ticks - now.ticks % 864_000_000_000, kind: .local))
    case ("System.DateTime", "minvalue"): return .dateTime(PSDateTime(ticks: 0, kind: .unspecified))
    case ("System.DateTime", "maxvalue"):
      return .dateTime(PSDateTime(ticks: 3_155_378_975_999_999_999, kind: .unspecified))
    case ("System.Int32", "maxvalue"): return .int(Int32.max)
    case ("System.Int32", "minvalue"): return .int(Int32.min)
    case ("System.Int64", "maxvalue"): return .long(Int64.max)
    case ("System.Int64", "minvalue"): return .long(Int64.min)
    case ("System.Byte", "maxvalue"): return .byte(255)
    case ("System.Double", "maxvalue"): return .double(Double.greatestFiniteMagnitude)
    case ("System.Double", "nan"): return .double(Double.nan)
    case ("System.Double", "positiveinfinity"): return .double(Double.infinity)
    case ("System.Double", "negativeinfinity"): return .double(-Double.infinity)
    case ("System.Double", "minvalue"): return .double(-Double.greatestFiniteMagnitude)
    case ("System.Double", "epsilon"): return .double(Double.leastNonzeroMagnitude)
    case ("System.Byte", "minvalue"): return .byte(0)
    case ("System.String", "empty"): return .string("")
    case ("System.Math", "pi"): return .double(Double.pi)
    case ("System.Math", "e"): return .double(M_E)
    case ("System.Guid", "empty"): return .object(guid("00000000-0000-0000-0000-000000000000"))
    case ("System.TimeSpan", "zero"): return .timeSpan(PSTimeSpan(ticks: 0))
    case ("System.Management.Automation.PSObject", _), ("System.Object", _): break
    default:
      if let enumType = enumType(named: type), let value = enumType.value(named: name) { return .enumValue(value) }
    }
    // A .NET type the interpreter knows natively: its other static properties are not modelled (5.1 answers $null
    // only for a property the type does not have).
    if PSTypes.knownTypes.contains(type) && enumType(named: type) == nil {
      throw engine.notModelled("the static property [\(type)]::\(name)")
    }
    return .null
  }

  static func setStaticProperty(_ type: String, _ name: String, _ value: PSValue, engine: Engine) throws {
    let lowered = name.lowercased()
    if type == "System.Console" && (lowered == "outputencoding" || lowered == "inputencoding") {
      guard case .object(let object) = value, let box = object.native as? EncodingBox else {
        throw engine.runtimeError(
          "Exception setting \"\(name)\": \"Cannot convert the \"\(PSConvert.toString(value))\" value of type \"\(PSTypes.typeName(of: value))\" to type \"System.Text.Encoding\".\"",
          id: "ExceptionWhenSetting", category: .notSpecified,
          exceptionType: "System.Management.Automation.SetValueInvocationException")
      }
      if lowered == "outputencoding" { engine.outputEncodingIsUTF8 = box.webName == "utf-8" }
      return
    }
    if type == "System.Environment" && lowered == "currentdirectory" { return }
    throw engine.runtimeError(
      "'\(name)' is a ReadOnly property.", id: "PropertyAssignmentException", category: .invalidOperation)
  }

  /// Static methods a host adds for its own types (`[Type]::Method(...)`), keyed by `fulltypename::method` in lower case.
  static let hostStaticMethods = LockedRegistry<[String: PSMethodBody]>([:])

  static func staticMethodNotFound(_ type: String, _ name: String, engine: Engine) -> PSErrorRecord {
    engine.runtimeError(
      "Method invocation failed because [\(type)] does not contain a method named '\(name)'.", id: "MethodNotFound",
      category: .invalidOperation)
  }

  static func callStatic(_ type: String, _ name: String, _ args: [PSValue], engine: Engine) throws -> PSValue {
    let lowered = name.lowercased()
    func arg(_ i: Int) -> PSValue { i < args.count ? args[i] : .null }
    func str(_ i: Int) -> String { PSConvert.toString(arg(i)) }
    func num(_ i: Int) throws -> Double { (try PSConvert.toDouble(arg(i))) ?? 0 }
    func fail(_ message: String, _ inner: String) -> PSErrorRecord {
      engine.methodException(name, args.count, message, innerType: inner)
    }
    switch (type, lowered) {
    case ("System.Security.Principal.WindowsIdentity", "getcurrent"):
      return currentIdentity(engine: engine)
    case ("System.Convert", "frombase64string"):
      var text = str(0).filter { !$0.isWhitespace }
      let valid =
        text.count % 4 == 0
        && text.allSatisfy {
          $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "+" || $0 == "/" || $0 == "="
        }
      guard valid, let data = Data(base64Encoded: text) else {
        if text.count % 4 != 0 && valid {
          throw fail("Invalid length for a Base-64 char array or string.", "System.FormatException")
        }
        throw fail(
          "The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters. ",
          "System.FormatException")
      }
      text = ""
      return .array(PSArray.bytes(Array(data)))
    case ("System.Convert", "tobase64string"):
      return .string(Data(try bytes(of: arg(0), engine: engine, method: name, count: args.count)).base64EncodedString())
    case ("System.Convert", "toint32"), ("System.Convert", "toint64"):
      if args.count == 2 {
        let radix = Int((try PSConvert.toInt64(arg(1))) ?? 10)
        var text = str(0).lowercased()
        if radix == 16 && text.hasPrefix("0x") { text.removeFirst(2) }
        guard let value = Int64(text, radix: radix) else {
          throw fail("Could not find any recognizable digits.", "System.FormatException")
        }
        return lowered == "toint32" ? .int(Int32(truncatingIfNeeded: value)) : .long(value)
      }
      return try engine.convert(arg(0), to: lowered == "toint32" ? "System.Int32" : "System.Int64")
    case ("System.Convert", "tostring"):
      if args.count == 2, let value = try PSConvert.toInt64(arg(0)), let radix = try PSConvert.toInt64(arg(1)) {
        return .string(String(value, radix: Int(radix)))
      }
      return .string(str(0))
    case ("System.Convert", "toboolean"): return .bool(PSConvert.toBool(arg(0)))
    case ("System.Convert", "todouble"): return .double(try num(0))
    case ("System.Management.Automation.ScriptBlock", "create"):
      do {
        let block = try Parser.parse(str(0))
        return .scriptBlock(PSScriptBlock(body: block, text: str(0)))
      } catch let error as PSParseError {
        let inner = PSException(typeName: "System.Management.Automation.ParseException", message: error.description)
        let exception = PSException(
          typeName: "System.Management.Automation.MethodInvocationException",
          message:
            "Exception calling \"Create\" with \"1\" argument(s): \"\(error.description.replacingOccurrences(of: "\n", with: "\n"))\"",
          innerException: inner)
        let record = PSErrorRecord(exception: exception, errorId: "ParseException", category: .notSpecified)
        engine.attachPosition(record, commandName: "")
        throw record
      }
    case ("System.Environment", "getenvironmentvariable"):
      return engine.environmentVariable(str(0)).map { .string($0) } ?? .null
    case ("System.Environment", "setenvironmentvariable"):
      engine.environmentOverrides[str(0)] = arg(1).isNull ? .some(nil) : str(1)
      return .null
    case ("System.Environment", "expandenvironmentvariables"):
      var text = str(0)
      let expression = try engine.regex("%([^%]+)%", caseSensitive: false)
      for match in expression.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
        .reversed()
      {
        let name = (text as NSString).substring(with: match.range(at: 1))
        if let value = engine.environmentVariable(name) {
          text = (text as NSString).replacingCharacters(in: match.range, with: value)
        }
      }
      return .string(text)
    case ("System.Environment", "exit"):
      throw ControlFlow.exit(Int32(truncatingIfNeeded: (try PSConvert.toInt64(arg(0))) ?? 0))
    case ("System.Environment", "getfolderpath"):
      return .string("C:\\ProgramData")
    case ("System.DateTime", "parse"):
      guard let date = parseDate(str(0)) else {
        throw fail("String was not recognized as a valid DateTime.", "System.FormatException")
      }
      return .dateTime(date)
    case ("System.DateTime", "specifykind"):
      guard case .dateTime(var date) = arg(0) else { break }
      if case .enumValue(let kind) = arg(1) { date.kind = PSDateTime.Kind(rawValue: Int(kind.value)) ?? .unspecified }
      return .dateTime(date)
    case ("System.DateTime", "fromfiletime"), ("System.DateTime", "fromfiletimeutc"):
      let ticks = (try PSConvert.toInt64(arg(0))) ?? 0
      return .dateTime(
        PSDateTime(ticks: ticks + 504_911_232_000_000_000, kind: lowered == "fromfiletime" ? .local : .utc))
    case ("System.DateTime", "isleapyear"):
      let year = Int(try num(0))
      return .bool((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)
    case ("System.DateTime", "daysinmonth"):
      let year = Int(try num(0))
      let month = Int(try num(1))
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return .int(Int32([31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][max(0, min(11, month - 1))]))
    case ("System.TimeSpan", "fromdays"): return .timeSpan(PSTimeSpan(seconds: try num(0) * 86400))
    case ("System.TimeSpan", "fromhours"): return .timeSpan(PSTimeSpan(seconds: try num(0) * 3600))
    case ("System.TimeSpan", "fromminutes"): return .timeSpan(PSTimeSpan(seconds: try num(0) * 60))
    case ("System.TimeSpan", "fromseconds"): return .timeSpan(PSTimeSpan(seconds: try num(0)))
    case ("System.TimeSpan", "frommilliseconds"): return .timeSpan(PSTimeSpan(seconds: try num(0) / 1000))
    case ("System.Array", "indexof"), ("System.Array", "lastindexof"):
      guard args.count == 2, case .array(let array) = arg(0) else { break }
      let finder = lowered == "indexof" ? array.items.firstIndex : array.items.lastIndex
      return .int(Int32(try finder { try Engine.dotNetEquals($0, arg(1), engine) } ?? -1))
    case ("System.Array", "reverse"):
      guard args.count == 1, case .array(let array) = arg(0) else { break }
      array.items.reverse()
      return .null
    case ("System.Array", "sort"):
      guard args.count == 1, case .array(let array) = arg(0) else { break }
      // Comparer.Default: numbers of one type sort numerically; strings sort by culture, which is not modelled.
      let kinds = Set(array.items.map { PSTypes.typeName(of: $0) })
      guard kinds.count <= 1, kinds.isSubset(of: ["System.Int32", "System.Int64", "System.Double", "System.Byte"])
      else {
        throw engine.notModelled(
          "[Array]::Sort of \(kinds.sorted().joined(separator: ", ")) values (only numbers of one type are sorted)")
      }
      array.items.sort { engine.compareNumbers($0, $1) < 0 }
      return .null
    case ("System.Math", "round"):
      // Round(x), Round(x, digits), Round(x, MidpointRounding), Round(x, digits, MidpointRounding).
      let value = try num(0)
      var rule: FloatingPointRoundingRule = .toNearestOrEven
      var rest = Array(args.dropFirst())
      if case .enumValue(let mode) = rest.last ?? .null, mode.type.fullName == "System.MidpointRounding" {
        if mode.value == 1 { rule = .toNearestOrAwayFromZero }
        rest.removeLast()
      } else if rest.count == 2 {
        let mode = PSConvert.toString(rest[1]).lowercased()
        guard mode == "toeven" || mode == "awayfromzero" else {
          throw engine.notModelled("[Math]::Round with the rounding mode '\(PSConvert.toString(rest[1]))'")
        }
        if mode == "awayfromzero" { rule = .toNearestOrAwayFromZero }
        rest.removeLast()
      }
      if let digitsValue = rest.first, let digits = try PSConvert.toInt64(digitsValue) {
        let factor = pow(10.0, Double(digits))
        return .double((value * factor).rounded(rule) / factor)
      }
      return .double(value.rounded(rule))
    case ("System.Math", "max"), ("System.Math", "min"):
      let greater = try engine.compareOrder(arg(0), arg(1), caseSensitive: true) >= 0
      return (lowered == "max") == greater ? arg(0) : arg(1)
    case ("System.Math", "abs"):
      switch arg(0) {
      case .int(let i): return .int(abs(i))
      case .long(let i): return .long(abs(i))
      default: return .double(abs(try num(0)))
      }
    case ("System.Math", "floor"): return .double((try num(0)).rounded(.down))
    case ("System.Math", "ceiling"): return .double((try num(0)).rounded(.up))
    case ("System.Math", "truncate"): return .double((try num(0)).rounded(.towardZero))
    case ("System.Math", "pow"): return .double(pow(try num(0), try num(1)))
    case ("System.Math", "sqrt"): return .double((try num(0)).squareRoot())
    case ("System.Math", "log"): return .double(log(try num(0)))
    case ("System.Math", "log10"): return .double(log10(try num(0)))
    case ("System.String", "isnullorempty"): return .bool(arg(0).isNull || str(0).isEmpty)
    case ("System.String", "isnullorwhitespace"):
      return .bool(str(0).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    case ("System.String", "join"):
      let items = args.count == 2 ? (arg(1).enumeratedItems ?? [arg(1)]) : Array(args.dropFirst())
      return .string(items.map { PSConvert.toString($0) }.joined(separator: str(0)))
    case ("System.String", "concat"):
      return .string(args.flatMap { $0.enumeratedItems ?? [$0] }.map { PSConvert.toString($0) }.joined())
    case ("System.String", "format"):
      let rest = Array(args.dropFirst())
      let items = rest.count == 1 ? (rest[0].enumeratedItems ?? rest) : rest
      return .string(try Formatting.format(str(0), items, engine: engine))
    case ("System.String", "equals"):
      return .bool(str(0) == str(1))
    case ("System.String", "compare"):
      // Compare(a, b), Compare(a, b, ignoreCase), Compare(a, b, StringComparison): culture-aware unless Ordinal.
      guard args.count == 2 || args.count == 3 else { break }
      var ignore = false
      if args.count == 3 {
        let comparison: String
        if case .enumValue(let e) = arg(2) { comparison = e.name } else { comparison = str(2) }
        switch comparison.lowercased() {
        case "true": ignore = true
        case "false", "currentculture", "invariantculture": break
        case "currentcultureignorecase", "invariantcultureignorecase": ignore = true
        case "ordinal", "ordinalignorecase":
          let a = comparison.lowercased() == "ordinal" ? str(0) : str(0).uppercased()
          let b = comparison.lowercased() == "ordinal" ? str(1) : str(1).uppercased()
          let units = zip(a.utf16, b.utf16).first { $0 != $1 }
          if let (x, y) = units { return .int(Int32(x) - Int32(y)) }
          return .int(Int32(a.utf16.count - b.utf16.count))
        default:
          throw engine.notModelled("[string]::Compare with the comparison '\(comparison)'")
        }
      }
      return .int(Int32(Engine.cultureCompare(str(0), str(1), ignoreCase: ignore)))
    case ("System.Int32", "parse"), ("System.Int64", "parse"), ("System.Double", "parse"), ("System.Byte", "parse"):
      let text = str(0).trimmingCharacters(in: .whitespaces)
      let valid = type == "System.Double" ? Double(text) != nil : Int64(text) != nil
      guard valid else { throw fail("Input string was not in a correct format.", "System.FormatException") }
      do {
        return try engine.convert(.string(text), to: type)
      } catch {
        throw fail("Value was either too large or too small for an \(shortTypeName(type)).", "System.OverflowException")
      }
    case ("System.Boolean", "parse"):
      switch str(0).trimmingCharacters(in: .whitespaces).lowercased() {
      case "true": return .bool(true)
      case "false": return .bool(false)
      default: throw fail("String was not recognized as a valid Boolean.", "System.FormatException")
      }
    case ("System.Guid", "newguid"): return .object(guid(UUID().uuidString.lowercased()))
    case ("System.Guid", "parse"):
      guard let uuid = UUID(uuidString: str(0).trimmingCharacters(in: CharacterSet(charactersIn: "{}"))) else {
        throw fail(
          "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
          "System.FormatException")
      }
      return .object(guid(uuid.uuidString.lowercased()))
    case ("System.Text.RegularExpressions.Regex", "escape"):
      return .string(dotNetRegexEscape(str(0)))
    case ("System.Text.RegularExpressions.Regex", "unescape"):
      return .string(str(0).replacingOccurrences(of: "\\", with: ""))
    case ("System.Text.RegularExpressions.Regex", "ismatch"):
      return .bool(
        try engine.regexMatch(
          str(0), pattern: str(1),
          caseSensitive: !(args.count > 2 && PSConvert.toString(arg(2)).lowercased().contains("ignorecase")),
          setMatches: false))
    case ("System.Text.RegularExpressions.Regex", "match"):
      return matchObject(try engine.regex(str(1), caseSensitive: true), str(0))
    case ("System.Text.RegularExpressions.Regex", "matches"):
      return matchesArray(try engine.regex(str(1), caseSensitive: true), str(0))
    case ("System.Text.RegularExpressions.Regex", "replace"):
      // Not modelled, so refused rather than answered wrongly: a MatchEvaluator script block and RegexOptions other
      // than IgnoreCase.
      if case .scriptBlock = arg(2) {
        throw engine.runtimeError(
          "WinLab does not model [regex]::Replace with a MatchEvaluator script block.", id: "NotModelled",
          category: .notImplemented)
      }
      var caseSensitive = true
      if args.count > 3 {
        switch str(3).lowercased() {
        case "none": break
        case "ignorecase": caseSensitive = false
        default:
          throw engine.runtimeError(
            "WinLab models [regex]::Replace options None and IgnoreCase only, not '\(str(3))'.", id: "NotModelled",
            category: .notImplemented)
        }
      }
      return .string(regexReplace(try engine.regex(str(1), caseSensitive: caseSensitive), str(0), str(2)))
    case ("System.Text.RegularExpressions.Regex", "split"):
      return .array(PSArray.strings(regexSplit(try engine.regex(str(1), caseSensitive: true), str(0), limit: 0)))
    case ("System.BitConverter", "tostring"):
      return .string(
        try bytes(of: arg(0), engine: engine, method: name, count: args.count).map { String(format: "%02X", $0) }
          .joined(separator: "-"))
    case ("System.IO.Path", "combine"):
      var result = ""
      for part in args.map({ PSConvert.toString($0) }) {
        if part.hasPrefix("\\") || (part.count > 1 && part.dropFirst().first == ":") || result.isEmpty {
          result = part
        } else {
          result += (result.hasSuffix("\\") ? "" : "\\") + part
        }
      }
      return .string(result)
    case ("System.IO.Path", "getfilename"):
      return .string(String(str(0).split(separator: "\\", omittingEmptySubsequences: false).last ?? ""))
    case ("System.IO.Path", "getdirectoryname"):
      let text = str(0)
      guard let slash = text.lastIndex(of: "\\") else { return .string("") }
      return .string(String(text[..<slash]))
    case ("System.IO.Path", "getextension"):
      let file = String(str(0).split(separator: "\\", omittingEmptySubsequences: false).last ?? "")
      guard let dot = file.lastIndex(of: ".") else { return .string("") }
      return .string(String(file[dot...]))
    case ("System.IO.Path", "getfilenamewithoutextension"):
      let file = String(str(0).split(separator: "\\", omittingEmptySubsequences: false).last ?? "")
      guard let dot = file.lastIndex(of: ".") else { return .string(file) }
      return .string(String(file[..<dot]))
    case ("System.IO.Path", "gettemppath"):
      return .string("C:\\Windows\\TEMP\\")
    case ("System.Console", "writeline"), ("System.Console", "write"):
      engine.flushFormatted()
      engine.emitText(
        .stdout, (args.first.map { PSConvert.toString($0) } ?? "") + (lowered == "writeline" ? engine.host.newline : "")
      )
      return .null
    case ("System.Console", "readline"):
      return .null
    case ("System.Threading.Thread", "sleep"):
      engine.host.clock.sleep(seconds: (try num(0)) / 1000)
      return .null
    default: break
    }
    if let method = hostStaticMethods.read({ $0[type.lowercased() + "::" + lowered] }) { return try method(args) }
    if lowered == "new" { return try Builtins.construct(type, args, engine: engine) }
    // A .NET type the interpreter knows natively: its other static methods (or overloads) are not modelled.
    if PSTypes.knownTypes.contains(type) {
      throw engine.notModelled("the static method [\(type)]::\(name)() with \(args.count) argument(s)")
    }
    throw staticMethodNotFound(type, name, engine: engine)
  }

  /// .NET's Regex.Escape: `\ * + ? | { [ ( ) ^ $ . #` and white space, nothing else.
  static func dotNetRegexEscape(_ text: String) -> String {
    var result = ""
    for c in text {
      switch c {
      case "\\", "*", "+", "?", "|", "{", "[", "(", ")", "^", "$", ".", "#", " ": result += "\\" + String(c)
      case "\t": result += "\\t"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\u{0C}": result += "\\f"
      default: result.append(c)
      }
    }
    return result
  }

  /// `New-Object T args` / `[T]::new(args)` for the few constructible types.
  static func construct(_ type: String, _ args: [PSValue], engine: Engine) throws -> PSValue {
    switch type {
    case "System.Collections.ArrayList": return .array(PSArray([], kind: .arrayList))
    case "System.Collections.Hashtable": return .hashtable(PSHashtable())
    case "System.Collections.Specialized.OrderedDictionary": return .hashtable(PSHashtable(ordered: true))
    case "System.Management.Automation.PSObject", "System.Object", "System.Management.Automation.PSCustomObject":
      return .object(PSObject.customObject())
    case "System.Text.UTF8Encoding":
      return .object(encoding("utf-8", emitsBOM: args.first.map { PSConvert.toBool($0) } ?? false))
    case "System.Version":
      if args.count == 1 { return try engine.convert(args[0], to: "System.Version") }
      return .object(version(args.map { PSConvert.toString($0) }.joined(separator: ".")))
    case "System.Guid":
      return try engine.convert(args.first ?? .null, to: "System.Guid")
    case "System.Text.RegularExpressions.Regex":
      return .object(try regexObject(PSConvert.toString(args.first ?? .null), engine: engine))
    case "System.DateTime":
      let parts = try args.map { Int((try PSConvert.toInt64($0)) ?? 0) }
      guard parts.count >= 3 else { break }
      return .dateTime(
        PSDateTime(
          ticks: PSDateFormatter.ticks(
            year: parts[0], month: parts[1], day: parts[2], hour: parts.count > 3 ? parts[3] : 0,
            minute: parts.count > 4 ? parts[4] : 0, second: parts.count > 5 ? parts[5] : 0), kind: .unspecified))
    case "System.TimeSpan":
      let parts = try args.map { (try PSConvert.toInt64($0)) ?? 0 }
      if parts.count == 1 { return .timeSpan(PSTimeSpan(ticks: parts[0])) }
      if parts.count == 3 { return .timeSpan(PSTimeSpan(seconds: Double(parts[0] * 3600 + parts[1] * 60 + parts[2]))) }
      if parts.count == 4 {
        return .timeSpan(PSTimeSpan(seconds: Double(parts[0] * 86400 + parts[1] * 3600 + parts[2] * 60 + parts[3])))
      }
    case "System.Text.StringBuilder":
      return .object(stringBuilder(initial: args.first.map { PSConvert.toString($0) } ?? ""))
    default:
      if type.hasPrefix("System.Collections.Generic.List[") {
        return try engine.convert(.null, to: type)
      }
    }
    throw engine.runtimeError(
      "Cannot find an overload for \"new\" and the argument count: \"\(args.count)\".",
      id: "MethodCountCouldNotFindBest",
      category: .notSpecified, exceptionType: "System.Management.Automation.MethodException")
  }

  static func stringBuilder(initial: String) -> PSObject {
    final class Buffer {
      var text: String
      init(_ text: String) { self.text = text }
    }
    let buffer = Buffer(initial)
    let object = PSObject(typeName: "System.Text.StringBuilder")
    object.toStringHandler = { buffer.text }
    object.addProperty("Length", getter: { .int(Int32(buffer.text.utf16.count)) })
    object.addMethod("Append") { args in
      buffer.text += args.map { PSConvert.toString($0) }.joined()
      return .object(object)
    }
    object.addMethod("AppendLine") { args in
      buffer.text += (args.first.map { PSConvert.toString($0) } ?? "") + "\r\n"
      return .object(object)
    }
    object.addMethod("Clear") { _ in
      buffer.text = ""
      return .object(object)
    }
    return object
  }
}
