import Foundation
import Testing
import Yams

/// Samples/k8s/audit-indexed-job.yml: an Indexed Job whose pods audit one shard each. Its shell script runs here with
/// a stand-in `winaudit` that records its arguments, for every completion index.
@Suite("Kubernetes sample")
struct KubernetesSampleTests {
  static let folder = References.packageRoot.appendingPathComponent("Samples/k8s")

  @Test func eachPodAuditsItsOwnShardAndEndsZeroOnceItsReportIsWritten() throws {
    let text = try String(contentsOf: Self.folder.appendingPathComponent("audit-indexed-job.yml"), encoding: .utf8)
    let job = try #require(try Yams.load(yaml: text) as? [String: Any])
    let spec = try #require(job["spec"] as? [String: Any])
    #expect(spec["completionMode"] as? String == "Indexed")
    let completions = try #require(spec["completions"] as? Int)
    let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
    let container = try #require((pod["containers"] as? [[String: Any]])?.first)
    let environment = try #require(container["env"] as? [[String: Any]])
    #expect(environment.first { $0["name"] as? String == "SHARDS" }?["value"] as? String == String(completions))
    #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
    let script = try #require((container["args"] as? [String])?.first)

    let bin = FileManager.default.temporaryDirectory.appendingPathComponent("winaudit-k8s-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: bin) }
    let log = bin.appendingPathComponent("arguments")
    let stub = bin.appendingPathComponent("winaudit")
    try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(log.path)\nexit \"$STUB_STATUS\"\n".write(
      to: stub, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)

    for index in 0..<completions {
      for (status, podStatus) in [(0, 0), (1, 0), (4, 0), (2, 2), (130, 130)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = [
          "PATH": bin.path + ":/usr/bin:/bin", "JOB_COMPLETION_INDEX": String(index), "SHARDS": String(completions),
          "STUB_STATUS": String(status),
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == Int32(podStatus), "index \(index), winaudit exit \(status)")
        let arguments = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let shard = try #require(arguments.firstIndex(of: "--shard"))
        #expect(arguments[shard + 1] == "\(index + 1)/\(completions)")
        #expect(arguments.contains("json:/out/shard-\(index + 1)-of-\(completions).json"))
      }
    }
    // The merge reads exactly the shards' reports.
    let merge = try String(contentsOf: Self.folder.appendingPathComponent("merge-job.yml"), encoding: .utf8)
    #expect(merge.contains("winaudit report merge /out/shard-*.json"))
  }
}
