import Foundation
import RemotePowerShell
import SSHClient
import Testing

/// Against a real OpenSSH server on loopback (see `ThrowawaySSHD`).
@Suite(.enabled(if: sshdAvailable, "needs /usr/sbin/sshd (apt install openssh-server)"))
struct SSHConnectionTests {
  @Test func keyLoginRunsCommandWithExitStatusAndBothStreams() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    #expect(connection.hostKey == (try sshd.hostKeyFingerprint()))
    let result = try await connection.run(
      command: "printf 'hello\\n'; printf 'oops\\n' >&2; exit 3", stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == "hello\n")
    #expect(String(decoding: result.stderr, as: UTF8.self) == "oops\n")
    #expect(result.exitStatus == 3)
    await connection.close()
  }

  @Test func stdinIsDeliveredThenEOF() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let input = Data("line one\nline two with 'quotes' and $dollars\n".utf8)
    let result = try await connection.run(command: "cat; echo done", stdin: input, timeout: .seconds(120))
    #expect(result.stdout == input + Data("done\n".utf8))
    #expect(result.exitStatus == 0)
    await connection.close()
  }

  @Test func largeStdoutAndStderrInterleavedDoNotDeadlock() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    // 200 rounds of 26,214 bytes to stdout and 5,000 to stderr: 5,242,800 + 1,000,000 bytes, interleaved.
    let command = """
      i=0; while [ $i -lt 200 ]; do head -c 26214 /dev/zero | tr '\\0' 'o'; \
      head -c 5000 /dev/zero | tr '\\0' 'e' >&2; i=$((i+1)); done; exit 7
      """
    let result = try await connection.run(command: command, stdin: nil, timeout: .seconds(60))
    #expect(result.stdout.count == 5_242_800)
    #expect(result.stderr.count == 1_000_000)
    #expect(result.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
    #expect(result.stderr.allSatisfy { $0 == UInt8(ascii: "e") })
    #expect(result.exitStatus == 7)
    await connection.close()
  }

  @Test func largeStdinEchoedWhileBeingWrittenDoesNotDeadlock() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    var input = Data(count: 5 * 1024 * 1024)
    for index in input.indices { input[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9) }
    // cat writes back while we are still writing: both windows must keep moving.
    let result = try await connection.run(command: "cat; cat /dev/null >&2", stdin: input, timeout: .seconds(60))
    #expect(result.stdout.count == input.count)
    #expect(result.stdout == input)
    #expect(result.exitStatus == 0)
    await connection.close()
  }

  @Test func severalCommandsRunInSequenceOnOneConnection() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    for step in ["audit", "apply", "verify"] {
      let result = try await connection.run(command: "echo \(step)", stdin: nil, timeout: .seconds(120))
      #expect(String(decoding: result.stdout, as: UTF8.self) == "\(step)\n")
    }
    await connection.close()
  }

  @Test func theCommandLineReachesTheServerUnchanged() async throws {
    let sshd = try await ThrowawaySSHD.start(forceCommand: "/bin/sh -c 'printf %s \"$SSH_ORIGINAL_COMMAND\"'")
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let command = "powershell.exe -c \"$x='a''b'; `n; ü €\" ; & { exit 3 }"
    let result = try await connection.run(command: command, stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == command)
    await connection.close()
  }

  /// A host cannot make the client hold unbounded output: stdout past the limit closes the channel with a named
  /// error (the connection stays usable); stderr past its limit is cut, counted, and the command goes on.
  @Test func outputIsBounded() async throws {
    let sshd = try await ThrowawaySSHD.start(forceCommand: "/bin/sh -c \"$SSH_ORIGINAL_COMMAND\"")
    defer { sshd.stop() }
    var options = try sshd.trustedOptions()
    options.outputLimit = 1 << 20
    options.errorLimit = 1024
    let connection = try await SSHConnection.connect(options)
    let error = await #expect(throws: SSHError.self) {
      try await connection.run(command: "head -c 3000000 /dev/zero; sleep 60", stdin: nil, timeout: .seconds(120))
    }
    #expect(error?.kind == .outputTooLarge)
    let result = try await connection.run(
      command: "head -c 5000 /dev/zero | tr '\\0' e >&2; echo done", stdin: nil, timeout: .seconds(120))
    #expect(String(decoding: result.stdout, as: UTF8.self) == "done\n")
    let stderr = String(decoding: result.stderr, as: UTF8.self)
    #expect(stderr.hasPrefix(String(repeating: "e", count: 1024) + "\n["))
    #expect(stderr.contains("[3976 more bytes of stderr were dropped]"))
    await connection.close()
  }

  @Test func unknownHostKeyIsRefusedUnderStrictWithItsFingerprint() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let knownHosts = try sshd.writeKnownHosts([])
    let fingerprint = try sshd.hostKeyFingerprint()
    let error = await #expect(throws: SSHError.self) {
      try await SSHConnection.connect(sshd.options(knownHostsFile: knownHosts))
    }
    #expect(error?.kind == .hostKeyUnknown(presented: fingerprint))
    #expect(error?.description.contains(fingerprint) == true)
    #expect(error?.description.contains("ssh-keyscan -p \(sshd.port) 127.0.0.1 >> \(knownHosts)") == true)
    #expect(error?.description.contains("127.0.0.1:\(sshd.port)") == true)
    #expect((try String(contentsOfFile: knownHosts, encoding: .utf8)).isEmpty, "strict must not record the key")
  }

  @Test func missingKnownHostsFileCountsAsUnknown() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let missing = sshd.directory.appendingPathComponent("no-such-known-hosts").path
    let error = await #expect(throws: SSHError.self) {
      try await SSHConnection.connect(sshd.options(knownHostsFile: missing))
    }
    #expect(error?.kind == .hostKeyUnknown(presented: try sshd.hostKeyFingerprint()))
    #expect(error?.message.contains("does not exist") == true)
  }

  @Test func acceptNewRecordsTheKeyAndStrictTrustsItAfterwards() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let knownHosts = sshd.directory.appendingPathComponent("fresh/known_hosts").path
    let first = try await SSHConnection.connect(sshd.options(knownHostsFile: knownHosts, policy: .acceptNew))
    await first.close()
    let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
    #expect(recorded.trimmingCharacters(in: .newlines) == (try sshd.knownHostsLine()))
    let second = try await SSHConnection.connect(sshd.options(knownHostsFile: knownHosts, policy: .strict))
    let result = try await second.run(command: "echo ok", stdin: nil, timeout: .seconds(120))
    #expect(result.stdout == Data("ok\n".utf8))
    await second.close()
  }

  @Test(arguments: [SSHHostKeyPolicy.strict, .acceptNew])
  func changedHostKeyIsRefusedShowingBothFingerprints(policy: SSHHostKeyPolicy) async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let oldKey = sshd.directory.appendingPathComponent("old_host_key").path
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", oldKey])
    let oldPublic = try String(contentsOfFile: oldKey + ".pub", encoding: .utf8).split(separator: " ")
    let knownHosts = try sshd.writeKnownHosts([
      "# a comment", "otherhost ssh-ed25519 \(oldPublic[1])",
      "[127.0.0.1]:\(sshd.port) \(oldPublic[0]) \(oldPublic[1])",
    ])
    let before = try String(contentsOfFile: knownHosts, encoding: .utf8)
    let expected = try ThrowawaySSHD.fingerprint(ofPublicKey: oldKey + ".pub")
    let presented = try sshd.hostKeyFingerprint()
    #expect(expected != presented)
    let error = await #expect(throws: SSHError.self) {
      try await SSHConnection.connect(sshd.options(knownHostsFile: knownHosts, policy: policy))
    }
    #expect(error?.kind == .hostKeyChanged(expected: ["\(expected) (line 3)"], presented: presented))
    #expect(error?.description.contains(expected) == true)
    #expect(error?.description.contains(presented) == true)
    #expect(error?.description.contains("ssh-keygen -R '[127.0.0.1]:\(sshd.port)'") == true)
    #expect((try String(contentsOfFile: knownHosts, encoding: .utf8)) == before, "a changed key is never recorded")
  }

  @Test func commandTimeoutClosesTheChannelAndKeepsTheConnection() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let started = ContinuousClock.now
    let error = await #expect(throws: SSHError.self) {
      try await connection.run(command: "echo partial; sleep 120", stdin: nil, timeout: .milliseconds(500))
    }
    #expect(error?.kind == .commandTimedOut)
    // Not a timing test: far from the 120 s the command would take, however loaded the machine is.
    #expect(ContinuousClock.now - started < .seconds(100), "the command was not cut")
    let after = try await connection.run(command: "echo still here", stdin: nil, timeout: .seconds(120))
    #expect(after.stdout == Data("still here\n".utf8))
    await connection.close()
  }

  /// The command prints, then kills its own sshd session process: the connection breaks mid-command, and the error
  /// carries what arrived before the break.
  @Test func aLostConnectionKeepsTheOutputReceivedBeforeIt() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let error = await #expect(throws: SSHError.self) {
      try await connection.run(
        command: "echo partial; echo oops >&2; sleep 1; kill -9 $PPID; sleep 10", stdin: nil, timeout: .seconds(120))
    }
    #expect(error?.kind == .connectionLost, "\(String(describing: error))")
    #expect(error?.stdout == Data("partial\n".utf8))
    #expect(error?.stderr == Data("oops\n".utf8))
    await connection.close()
  }

  @Test func errorsBeforeACommandRanCarryNoOutput() {
    let error = SSHError(.closed, endpoint: "root@host:22", message: "the connection is closed")
    #expect(error.stdout.isEmpty && error.stderr.isEmpty)
  }

  @Test func cancellingTheTaskStopsTheCommand() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let task = Task { try await connection.run(command: "sleep 120", stdin: nil, timeout: .seconds(600)) }
    try await Task.sleep(for: .milliseconds(300))
    let started = ContinuousClock.now
    task.cancel()
    let outcome = await task.result
    // Not a timing test: far from the 120 s the command would take, however loaded the machine is.
    #expect(ContinuousClock.now - started < .seconds(100), "the command was not stopped")
    #expect(throws: SSHError.self) { try outcome.get() }
    await connection.close()
  }

  @Test func connectionsRunInParallelOnTheirOwnThreads() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let options = try sshd.trustedOptions()
    // More connections than the concurrency pool has threads, each command waiting on the server until all of them
    // have started (a barrier, not a time window, so a loaded machine only makes it slower): if blocking libssh calls
    // ran on the pool, no more commands than its width could be running, and the barrier would never open.
    let count = 2 * ProcessInfo.processInfo.activeProcessorCount + 2
    let barrier = FileManager.default.temporaryDirectory.appendingPathComponent("ssh-barrier-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: barrier, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: barrier) }
    let command =
      "touch \(barrier.path)/$$; n=0; while [ $(ls \(barrier.path) | wc -l) -lt \(count) ] && [ $n -lt 3000 ]; "
      + "do sleep 0.1; n=$((n+1)); done; ls \(barrier.path) | wc -l"
    let seen = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<count {
        group.addTask {
          let connection = try await SSHConnection.connect(options)
          let result = try await connection.run(command: command, stdin: nil, timeout: .seconds(600))
          await connection.close()
          return Int(String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            ?? 0
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    // Every command saw all of them started while it was still running.
    #expect(seen == Array(repeating: count, count: count), "commands running at once: \(seen)")
  }

  @Test func refusedPortFailsWithAnActionableMessage() async throws {
    let sshd = try await ThrowawaySSHD.start()
    var options = try sshd.trustedOptions()
    sshd.stop()
    // A port bound but not listening refuses connections, and holding it keeps parallel tests from taking it.
    let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(holder) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
      }
    }
    try #require(bound)
    let port = Int(UInt16(bigEndian: address.sin_port))
    options.port = port
    #expect(!ThrowawaySSHD.canConnect(port: port))
    let error = await #expect(throws: SSHError.self) { try await SSHConnection.connect(options) }
    #expect(error?.kind == .connectFailed)
    #expect(error?.description.contains("@127.0.0.1:\(port)") == true)
    #expect(error?.description.contains("port \(port)") == true)
  }

  @Test func wrongKeyFailsAuthenticationNamingWhatWasTried() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let otherKey = sshd.directory.appendingPathComponent("other_key").path
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey])
    let options = sshd.options(
      knownHostsFile: try sshd.writeKnownHosts([sshd.knownHostsLine()]),
      authentication: [.publicKeyFile(path: otherKey), .publicKeyFile(path: "/nonexistent/key")])
    let error = await #expect(throws: SSHError.self) { try await SSHConnection.connect(options) }
    #expect(error?.kind == .authenticationFailed)
    #expect(error?.message.contains(otherKey) == true)
    #expect(error?.message.contains("/nonexistent/key does not exist") == true)
  }

  /// A server that takes only public keys is never sent a password, and no one is asked for one; the failure says
  /// which methods the server offered.
  @Test func noPasswordIsAskedForWhenTheServerOffersNone() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let otherKey = sshd.directory.appendingPathComponent("other_key").path
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey])
    let prompted = PromptLog()
    let options = sshd.options(
      knownHostsFile: try sshd.writeKnownHosts([sshd.knownHostsLine()]),
      authentication: [
        .publicKeyFile(path: otherKey), .password(.prompt { text in await prompted.record(text) }),
      ])
    let error = await #expect(throws: SSHError.self) { try await SSHConnection.connect(options) }
    #expect(error?.kind == .authenticationFailed)
    #expect(await prompted.prompts.isEmpty)
    #expect(error?.message.contains("the server offered: publickey;") == true, "\(String(describing: error))")
    #expect(error?.message.contains("password: not offered by the server") == true, "\(String(describing: error))")
  }

  @Test func fallsThroughToTheNextMethodUntilOneWorks() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let options = sshd.options(
      knownHostsFile: try sshd.writeKnownHosts([sshd.knownHostsLine()]),
      authentication: [
        .publicKeyFile(path: "/nonexistent/key"), .password(.environment("WINAUDIT_TEST_UNSET_VARIABLE_0")),
        .publicKeyFile(path: sshd.userKeyPath),
      ])
    let connection = try await SSHConnection.connect(options)
    await connection.close()
  }

  @Test func encryptedKeyUsesThePassphraseFromThePromptOrEnvironment() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let key = sshd.directory.appendingPathComponent("locked_key").path
    try Tool.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "s3cret pass", "-f", key])
    let authorized = sshd.directory.appendingPathComponent("authorized_keys").path
    let existing = try String(contentsOfFile: authorized, encoding: .utf8)
    try (existing + (try String(contentsOfFile: key + ".pub", encoding: .utf8)))
      .write(toFile: authorized, atomically: true, encoding: .utf8)
    let knownHosts = try sshd.writeKnownHosts([sshd.knownHostsLine()])

    let prompted = PromptLog()
    let viaPrompt = try await SSHConnection.connect(
      sshd.options(
        knownHostsFile: knownHosts,
        authentication: [
          .publicKeyFile(path: key, passphrase: .prompt { text in await prompted.record(text) })
        ]))
    await viaPrompt.close()
    #expect(await prompted.prompts == ["Passphrase for key \(key): "])

    let variable = "WINAUDIT_TEST_PASSPHRASE_\(UUID().uuidString.prefix(8))"
    setenv(variable, "s3cret pass", 1)
    defer { unsetenv(variable) }
    let viaEnvironment = try await SSHConnection.connect(
      sshd.options(
        knownHostsFile: knownHosts, authentication: [.publicKeyFile(path: key, passphrase: .environment(variable))]))
    await viaEnvironment.close()

    let error = await #expect(throws: SSHError.self) {
      try await SSHConnection.connect(
        sshd.options(knownHostsFile: knownHosts, authentication: [.publicKeyFile(path: key)]))
    }
    #expect(error?.kind == .authenticationFailed)
    #expect(error?.message.contains("passphrase") == true)
  }

  @Test func closedConnectionRefusesFurtherCommands() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    await connection.close()
    let error = await #expect(throws: SSHError.self) {
      try await connection.run(command: "echo", stdin: nil, timeout: .seconds(120))
    }
    #expect(error?.kind == .closed)
  }

  @Test func droppingTheLastReferenceDisconnects() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    var connection: SSHConnection? = try await SSHConnection.connect(try sshd.trustedOptions())
    _ = try await connection?.run(command: "true", stdin: nil, timeout: .seconds(120))
    connection = nil
    #expect(connection == nil)
  }
}

/// Records prompt texts and answers every prompt with the test passphrase.
actor PromptLog {
  private(set) var prompts: [String] = []

  func record(_ text: String) -> String? {
    prompts.append(text)
    return "s3cret pass"
  }
}

/// RemotePowerShell's command line and stdin travelling over a real SSH connection.
@Suite(.enabled(if: sshdAvailable, "needs /usr/sbin/sshd (apt install openssh-server)"))
struct RemotePowerShellOverSSHTests {
  @Test(arguments: HostShell.allCases)
  func bootstrapCommandAndScriptPayloadArriveIntact(shell: HostShell) async throws {
    // Stand-in for powershell.exe: print the command line, a separator, then the decoded script from stdin.
    let sshd = try await ThrowawaySSHD.start(
      forceCommand: "/bin/sh -c 'printf \"%s\\\\n--\\\\n\" \"$SSH_ORIGINAL_COMMAND\"; cut -d: -f3 | base64 -d'")
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let script =
      "$ErrorActionPreference = 'Stop'\nWrite-Output 'Überprüfung ‘quoted’'\n"
      + String(repeating: "# filler line to make the script long\n", count: 3000)
    let result = try await RemotePowerShellSession(connection: connection)
      .run(script: script, shell: shell, timeout: .seconds(120))
    let command = RemotePowerShellCommand(script: script, shell: shell).commandLine
    #expect(result.stdout == command + "\n--\n" + script)
    #expect(result.errors.isEmpty)
    #expect(result.exitCode == 0)
    await connection.close()
  }
}
