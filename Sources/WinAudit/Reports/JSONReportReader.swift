import Foundation

/// Reads a JSON report (schema 2) back into the `AuditReport` it was written from, so that `winaudit report merge`
/// can render shard reports in every format. What the other formats show is all in the document (`JSONReport`);
/// keys added to schema 2 later (`controls`, `position`) are optional here, so reports of earlier 2.x writers still
/// read (without references and fix availability, in name order).
enum JSONReportReader {
  /// Why a document is not a report this reader can use; `path` says where in the document.
  struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  static func read(_ text: String) throws(Problem) -> AuditReport {
    let root: FactValue
    do {
      root = try FactValue.parseJSON(text)
    } catch {
      throw Problem(message: "not readable as JSON: \(error.message)")
    }
    guard case .object = root else { throw Problem(message: "not a winaudit JSON report (not a JSON object)") }
    guard case .int(let schema)? = root["schema"] else {
      throw Problem(message: "not a winaudit JSON report (no \"schema\")")
    }
    guard schema == Int64(JSONReport.schemaVersion) else {
      throw Problem(
        message: "schema \(schema): merge reads schema \(JSONReport.schemaVersion) reports; audit again without "
          + "--json-schema 1")
    }
    let reader = Fields(path: "")
    let runValue = try reader.object(root, "run")
    let run = Fields(path: "run")
    let playbook = try run.object(runValue, "playbook")
    let playbookFields = Fields(path: "run.playbook")
    let playbookName = try playbookFields.string(playbook, "name")
    let auditRun = AuditRun(
      id: try run.string(runValue, "id"), start: try run.date(runValue, "start"),
      duration: try run.number(runValue, "durationSeconds"),
      winauditVersion: try run.string(runValue, "winauditVersion"),
      playbookName: playbookName, playbookDigest: try playbookFields.optionalString(playbook, "sha256"),
      inventory: try run.optionalString(runValue, "inventory"), shard: try shard(runValue["shard"]))

    var hosts: [HostAudit] = []
    for (index, value) in try reader.array(root, "hosts").enumerated() {
      hosts.append(try host(value, path: "hosts[\(index)]"))
    }
    var report = AuditReport(playbook: playbookName, hosts: hosts, run: auditRun)
    if let controls = root["controls"], !controls.isNull {
      var listed: [ReportControl] = []
      for (index, value) in try reader.array(root, "controls").enumerated() {
        let fields = Fields(path: "controls[\(index)]")
        listed.append(
          ReportControl(
            id: try fields.string(value, "id"), title: try fields.string(value, "title"),
            severity: try fields.enumeration(value, "severity", Severity.self),
            references: try fields.array(value, "references").map { reference throws(Problem) in
              guard let text = reference.string else { throw fields.fail("references", "a list of strings") }
              return text
            }))
        if (try fields.optionalBool(value, "fixAvailable")) == true {
          report.fixableControls.insert(listed[listed.count - 1].id)
        }
      }
      report.controls = listed
    }
    return report
  }

  private static func shard(_ value: FactValue?) throws(Problem) -> Shard? {
    guard let value, !value.isNull else { return nil }
    let fields = Fields(path: "run.shard")
    let index = try fields.integer(value, "index")
    let count = try fields.integer(value, "count")
    do {
      return try Shard(index: index, count: count)
    } catch {
      throw Problem(message: "run.shard: \(error.message)")
    }
  }

  private static func host(_ value: FactValue, path: String) throws(Problem) -> HostAudit {
    let fields = Fields(path: path)
    var findings: [Finding] = []
    for (index, finding) in try fields.array(value, "controls").enumerated() {
      findings.append(try self.finding(finding, path: "\(path).controls[\(index)]"))
    }
    let os = value["os"] ?? .null
    var facts: HostFacts?
    if !os.isNull {
      let osFields = Fields(path: "\(path).os")
      facts = HostFacts(
        caption: try osFields.optionalString(os, "caption"), version: try osFields.optionalString(os, "version"),
        build: try osFields.optionalInteger(os, "build"),
        powershellVersion: try fields.optionalString(value, "powershellVersion"))
    }
    var audit = HostAudit(
      name: try fields.string(value, "name"), address: try fields.string(value, "address"),
      status: try fields.enumeration(value, "status", HostStatus.self),
      error: try fields.optionalString(value, "error"),
      findings: findings, hostFacts: facts)
    audit.tags = try fields.array(value, "tags").map { tag throws(Problem) in
      guard let text = tag.string else { throw fields.fail("tags", "a list of strings") }
      return text
    }
    audit.outsideOnly = try fields.optionalString(value, "judgedFrom") == "outside"
    audit.duration = try fields.optionalNumber(value, "durationSeconds")
    audit.position = try fields.optionalInteger(value, "position")
    return audit
  }

  private static func finding(_ value: FactValue, path: String) throws(Problem) -> Finding {
    let fields = Fields(path: path)
    var finding = Finding(
      controlID: try fields.string(value, "id"), title: try fields.string(value, "title"),
      severity: try fields.enumeration(value, "severity", Severity.self),
      status: try fields.enumeration(value, "status", FindingStatus.self),
      expected: try fields.optionalString(value, "expectedText"),
      actual: try fields.optionalString(value, "actualText"),
      source: try fields.optionalString(value, "source").map { text throws(Problem) in
        guard let source = ValueSource(rawValue: text) else {
          throw fields.fail("source", ValueSource.allCases.map(\.rawValue).joined(separator: ", ") + " or null")
        }
        return source
      }, message: try fields.optionalString(value, "message"))
    finding.expectedValue = value["expected"]?.typedScalar
    finding.actualValue = value["actual"]?.typedScalar
    if let waiver = value["waiver"], !waiver.isNull {
      let waiverFields = Fields(path: "\(path).waiver")
      finding.waiver = AppliedWaiver(
        justification: try waiverFields.string(waiver, "justification"),
        approver: try waiverFields.string(waiver, "approver"), expires: try waiverFields.string(waiver, "expires"),
        expired: try waiverFields.optionalBool(waiver, "expired") ?? false,
        source: try waiverFields.string(waiver, "source"))
    }
    return finding
  }

  /// Typed access to one object's members, failing with the member's path and what it should be.
  private struct Fields {
    var path: String

    func fail(_ key: String, _ expected: String) -> Problem {
      Problem(message: "\(path.isEmpty ? key : path + "." + key): expected \(expected)")
    }

    func object(_ value: FactValue, _ key: String) throws(Problem) -> FactValue {
      guard let member = value[key], case .object = member else { throw fail(key, "an object") }
      return member
    }

    func array(_ value: FactValue, _ key: String) throws(Problem) -> [FactValue] {
      guard let member = value[key], let items = member.array else { throw fail(key, "a list") }
      return items
    }

    func string(_ value: FactValue, _ key: String) throws(Problem) -> String {
      guard let text = value[key]?.string else { throw fail(key, "a string") }
      return text
    }

    func optionalString(_ value: FactValue, _ key: String) throws(Problem) -> String? {
      guard let member = value[key], !member.isNull else { return nil }
      guard let text = member.string else { throw fail(key, "a string or null") }
      return text
    }

    func number(_ value: FactValue, _ key: String) throws(Problem) -> Double {
      guard let number = try optionalNumber(value, key) else { throw fail(key, "a number") }
      return number
    }

    func optionalNumber(_ value: FactValue, _ key: String) throws(Problem) -> Double? {
      switch value[key] {
      case nil, .null?: return nil
      case .int(let number)?: return Double(number)
      case .double(let number)?: return number
      default: throw fail(key, "a number or null")
      }
    }

    func integer(_ value: FactValue, _ key: String) throws(Problem) -> Int {
      guard let number = try optionalInteger(value, key) else { throw fail(key, "a whole number") }
      return number
    }

    func optionalInteger(_ value: FactValue, _ key: String) throws(Problem) -> Int? {
      switch value[key] {
      case nil, .null?: return nil
      case .int(let number)?: return Int(exactly: number)
      default: throw fail(key, "a whole number or null")
      }
    }

    func optionalBool(_ value: FactValue, _ key: String) throws(Problem) -> Bool? {
      switch value[key] {
      case nil, .null?: return nil
      case .bool(let flag)?: return flag
      default: throw fail(key, "true, false or null")
      }
    }

    /// `2026-06-01T09:00:00.123Z` as `JSONReport.timestamp` writes it (the fraction optional), to the millisecond.
    func date(_ value: FactValue, _ key: String) throws(Problem) -> Date {
      let text = try string(value, key)
      var whole = Substring(text)
      var milliseconds = 0.0
      if let dot = text.lastIndex(of: "."), text.hasSuffix("Z") {
        let fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
          throw fail(key, "an ISO-8601 date and time in UTC")
        }
        milliseconds = Double(String((fraction + "00").prefix(3)))!
        whole = text[..<dot] + "Z"
      }
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      guard let date = formatter.date(from: String(whole)) else { throw fail(key, "an ISO-8601 date and time in UTC") }
      return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded() + milliseconds / 1000)
    }

    func enumeration<Value: RawRepresentable & CaseIterable>(
      _ value: FactValue, _ key: String, _ type: Value.Type
    ) throws(Problem) -> Value where Value.RawValue == String {
      let text = try string(value, key)
      guard let result = Value(rawValue: text) else {
        throw fail(key, "one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
      }
      return result
    }
  }
}
