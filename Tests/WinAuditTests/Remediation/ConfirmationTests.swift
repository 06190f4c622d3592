import Foundation
import Testing

@testable import WinAudit

#if canImport(Glibc)
  import Glibc
#endif

/// Answers from a list, as if typed.
final class ScriptedInput: ConfirmationInput {
  var answers: [String]
  var prompts: [String] = []
  let isTerminal: Bool

  init(_ answers: [String], isTerminal: Bool = true) {
    self.answers = answers
    self.isTerminal = isTerminal
  }

  func ask(_ prompt: String) -> String? {
    prompts.append(prompt)
    return answers.isEmpty ? nil : answers.removeFirst()
  }
}

@Suite struct ConfirmationTests {
  @Test func yesNoAllQuit() throws {
    let input = ScriptedInput(["y", "n", "maybe", "a"])
    let confirmation = try Confirmation(assumeYes: false, input: input)
    #expect(confirmation.answer("Apply 3 changes to healthy-2019?") == .yes)
    #expect(confirmation.answer("Apply 1 change to b?") == .no)
    #expect(confirmation.answer("Apply 1 change to c?") == .all)
    #expect(confirmation.answer("Apply 1 change to d?") == .all)
    #expect(input.prompts.first == "Apply 3 changes to healthy-2019? [y]es/[n]o/[a]ll/[q]uit ")
    #expect(input.prompts.count == 4)  // "maybe" asked again; d was not asked

    let quitting = try Confirmation(assumeYes: false, input: ScriptedInput(["q", "y"]))
    #expect(!quitting.confirm("a?"))
    #expect(!quitting.confirm("b?"))
  }

  @Test func endOfInputMeansQuit() throws {
    let confirmation = try Confirmation(assumeYes: false, input: ScriptedInput([]))
    #expect(confirmation.answer("a?") == .quit)
  }

  @Test func withoutATerminalItRefusesUnlessYes() throws {
    #expect(throws: UsageError.self) { try Confirmation(assumeYes: false, input: ScriptedInput([], isTerminal: false)) }
    let yes = try Confirmation(assumeYes: true, input: ScriptedInput([], isTerminal: false))
    #expect(yes.confirm("a?"))
  }

  /// A real pseudo-terminal: the prompt is written to it and the typed answers are read back from it.
  @Test(arguments: [("y\n", ConfirmationAnswer.yes), ("n\n", .no), ("a\n", .all), ("q\n", .quit), ("x\nyes\n", .yes)])
  func answersTypedOnAPseudoTerminal(typed: String, expected: ConfirmationAnswer) throws {
    var primary: Int32 = -1
    var secondary: Int32 = -1
    #expect(openpty(&primary, &secondary, nil, nil, nil) == 0)
    defer {
      close(primary)
      close(secondary)
    }
    let terminal = TerminalInput(input: secondary, output: secondary)
    #expect(terminal.isTerminal)
    let devNull = open("/dev/null", O_RDONLY)
    #expect(!TerminalInput(input: devNull, output: devNull).isTerminal)
    close(devNull)
    _ = typed.utf8CString.withUnsafeBufferPointer { write(primary, $0.baseAddress, typed.utf8.count) }
    let confirmation = try Confirmation(assumeYes: false, input: terminal)
    #expect(confirmation.answer("Apply 3 changes to healthy-2019?") == expected)
    // The terminal echoes what was typed and shows the prompt, in either order: read until the prompt arrives.
    var shown = ""
    var buffer = [UInt8](repeating: 0, count: 4096)
    var ready = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
    while !shown.contains("[q]uit"), poll(&ready, 1, 1000) > 0 {
      let count = read(primary, &buffer, buffer.count)
      if count <= 0 { break }
      shown += String(decoding: buffer.prefix(count), as: UTF8.self)
    }
    #expect(shown.contains("Apply 3 changes to healthy-2019? [y]es/[n]o/[a]ll/[q]uit"))
  }
}
