import Foundation
import SSHClient
import Testing

/// A long-lived process on one exec channel (`SSHConnection.startProcess`), against a real OpenSSH server: a shell
/// loop that answers each line with `END <line>`, as the framed PowerShell loop answers each script.
@Suite(.enabled(if: sshdAvailable, "needs /usr/sbin/sshd (apt install openssh-server)"))
struct SSHProcessTests {
  static let echoLoop =
    "while IFS= read -r l; do [ -z \"$l\" ] && exit 7; printf 'out %s\\n' \"$l\"; "
    + "printf 'err %s\\n' \"$l\" >&2; printf 'tail'; printf '\\nEND %s\\n' \"$l\"; done"

  @Test func answersArriveWhileTheProcessKeepsRunning() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let process = try await connection.startProcess(command: Self.echoLoop, timeout: .seconds(120))
    for word in ["one", "two", "three"] {
      let answer = try await process.exchange(
        send: Data("\(word)\n".utf8), until: Data("\nEND ".utf8), timeout: .seconds(120))
      #expect(String(decoding: answer.stdout, as: UTF8.self) == "out \(word)\ntail\nEND \(word)\n")
      #expect(String(decoding: answer.stderr, as: UTF8.self).contains("err \(word)"))
    }
    #expect(await process.finish(farewell: Data("\n".utf8), timeout: .seconds(60)) == 7)
    // The connection still runs one-shot commands after the process ended.
    let result = try await connection.run(command: "echo after", stdin: nil, timeout: .seconds(120))
    #expect(result.stdout == Data("after\n".utf8))
    await connection.close()
  }

  @Test func aHungAnswerTimesOutAndTheProcessIsGone() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let process = try await connection.startProcess(
      command: "read l; printf 'started\\n'; sleep 600", timeout: .seconds(120))
    do {
      // Long enough for `started` to arrive on a loaded machine: the assertion below is about what came before the
      // timeout, so the timeout must not be what decides whether it came.
      _ = try await process.exchange(send: Data("x\n".utf8), until: Data("\nEND ".utf8), timeout: .seconds(15))
      Issue.record("a process that never answers must time out")
    } catch let error as SSHError {
      #expect(error.kind == .commandTimedOut)
      #expect(String(decoding: error.stdout, as: UTF8.self) == "started\n")
    }
    do {
      _ = try await process.exchange(send: Data("y\n".utf8), until: Data("\nEND ".utf8), timeout: .seconds(60))
      Issue.record("a timed-out process takes no more requests")
    } catch let error as SSHError {
      #expect(error.kind == .closed)
    }
    await connection.close()
  }

  /// A connected host whose SSH server stops answering (overloaded) is reported as slow, with the command's time,
  /// never as "the server refused": for a one-shot command and for a long-lived process alike.
  @Test func aServerTooBusyToOpenAChannelIsSlowNotRefusing() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    for longLived in [false, true] {
      let connection = try await SSHConnection.connect(try sshd.trustedOptions())
      sshd.signalSessions(SIGSTOP)
      do {
        if longLived {
          _ = try await connection.startProcess(command: "cat", timeout: .seconds(2))
        } else {
          _ = try await connection.run(command: "echo hi", stdin: nil, timeout: .seconds(2))
        }
        Issue.record("a server that does not answer must time out")
      } catch let error as SSHError {
        #expect(error.kind == .commandTimedOut)
        #expect(error.message.contains("did not open a session channel within 2"), "\(error)")
        #expect(error.advice?.contains("fewer hosts at once") == true)
      }
      sshd.signalSessions(SIGCONT)
      await connection.close()
    }
  }

  @Test func aProcessThatExitsBeforeAnsweringIsReported() async throws {
    let sshd = try await ThrowawaySSHD.start()
    defer { sshd.stop() }
    let connection = try await SSHConnection.connect(try sshd.trustedOptions())
    let process = try await connection.startProcess(command: "read l; printf 'partial'; exit 4", timeout: .seconds(120))
    do {
      _ = try await process.exchange(send: Data("x\n".utf8), until: Data("\nEND ".utf8), timeout: .seconds(120))
      Issue.record("an answer without its end line is no answer")
    } catch let error as SSHError {
      #expect(error.kind == .connectionLost)
      #expect(error.message.contains("ended before it answered"))
      #expect(error.stdout == Data("partial".utf8))
    }
    await connection.close()
  }
}
