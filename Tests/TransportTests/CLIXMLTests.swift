import Foundation
import PropertyBased
import RemotePowerShell
import Testing

@Suite struct CLIXMLTests {
  static let namespace = "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\""

  /// What 5.1 writes for `Write-Error 'Registry key not found'` run with -EncodedCommand and stderr redirected.
  static let writeErrorSample =
    "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(namespace)><Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\">"
    + "<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64>"
    + "<PR N=\"Record\"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>"
    + "<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>"
    + "<S S=\"Error\">Registry key not found_x000D__x000A_</S>"
    + "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S>"
    + "<S S=\"Error\">+ Write-Error 'Registry key not found'_x000D__x000A_</S>"
    + "<S S=\"Error\">+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~_x000D__x000A_</S>"
    + "<S S=\"Error\">    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException_x000D__x000A_</S>"
    + "<S S=\"Error\">    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException_x000D__x000A_</S>"
    + "<S S=\"Error\"> _x000D__x000A_</S></Objs>"

  @Test func decodesA51ErrorRecordAndDropsProgress() {
    #expect(
      CLIXMLDecoder.errorLines(Self.writeErrorSample) == [
        "Registry key not found",
        "At line:1 char:1",
        "+ Write-Error 'Registry key not found'",
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException",
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException",
      ])
  }

  @Test func progressOnlyGivesNoLines() {
    let progressOnly =
      "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)>"
      + CLIXMLEncoder.preparingModulesProgressRecord + "</Objs>"
    #expect(CLIXMLDecoder.decode(progressOnly).isEmpty)
  }

  @Test func severalHeadersAndBlocksAreAllRead() {
    // Ansible issue 69550: nested headers, then several <Objs> documents back to back.
    let stderr =
      "#< CLIXML\r\n#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)><S S=\"Error\">first_x000D__x000A_</S>"
      + "</Objs><Objs Version=\"1.1.0.1\" \(Self.namespace)><S S=\"Error\">second_x000D__x000A_</S></Objs>"
    #expect(CLIXMLDecoder.errorLines(stderr) == ["first", "second"])
  }

  @Test func fragmentsWithoutLineEndsAreJoinedWithinABlock() {
    let stderr =
      "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)><S S=\"Error\">a long </S><S S=\"Error\">message"
      + "_x000A_</S><S S=\"Error\">next line</S></Objs>"
    #expect(CLIXMLDecoder.errorLines(stderr) == ["a long message", "next line"])
  }

  @Test func escapesEntitiesAndSurrogatePairsAreDecoded() {
    let stderr =
      "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)><S S=\"Error\">Path &lt;C:\\a&amp;b&gt; "
      + "_xD83D__xDE00_ tab_x0009_end _x005F_x0041_ _x00e9_ &#x263A; &quot;q&quot;_x000D__x000A_</S></Objs>"
    #expect(CLIXMLDecoder.errorLines(stderr) == ["Path <C:\\a&b> 😀 tab\tend _x0041_ é ☺ \"q\""])
  }

  @Test func unpairedSurrogateBecomesReplacementCharacter() {
    #expect(CLIXMLDecoder.unescapeSerializedString("a_xD800_b") == "a\u{FFFD}b")
    #expect(CLIXMLDecoder.unescapeSerializedString("_x12G4_ _x12_") == "_x12G4_ _x12_")
  }

  @Test func warningsAndOtherStreamsKeepTheirNames() {
    let messages: [CLIXMLMessage] = [
      .init(stream: "Error", text: "bad"), .init(stream: "warning", text: "careful"),
      .init(stream: "verbose", text: "detail"),
    ]
    let decoded = CLIXMLDecoder.decode(CLIXMLEncoder.encode(messages))
    #expect(decoded == messages)
    #expect(CLIXMLDecoder.errorLines(CLIXMLEncoder.encode(messages)) == ["bad"])
  }

  @Test func plainStderrAroundCLIXMLIsKept() {
    let stderr = "plain before\r\n" + CLIXMLEncoder.encode(errorLines: ["inside"]) + "\r\nplain after\n"
    #expect(CLIXMLDecoder.errorLines(stderr) == ["plain before", "inside", "plain after"])
    #expect(CLIXMLDecoder.errorLines("just text\nand more\n\n") == ["just text", "and more"])
  }

  @Test func truncatedOrBrokenXMLNeverCrashesAndKeepsText() {
    let cut = String(Self.writeErrorSample.prefix(700))
    let lines = CLIXMLDecoder.errorLines(cut)
    #expect(lines.first == "Registry key not found")
    #expect(CLIXMLDecoder.errorLines("a < b and c > d") == ["a < b and c > d"])
    #expect(CLIXMLDecoder.errorLines("<Objs><S S=\"Error\">x</S").first?.hasPrefix("x") == true)
  }

  @Test func encoderWritesThe51Format() {
    #expect(
      CLIXMLEncoder.encode(errorLines: ["Access <denied> & _x"])
        == "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)><S S=\"Error\">"
        + "Access &lt;denied&gt; &amp; _x005F_x_x000D__x000A_</S></Objs>")
    #expect(
      CLIXMLEncoder.encode(errorLines: [], progressRecord: true)
        == "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" \(Self.namespace)>"
        + CLIXMLEncoder.preparingModulesProgressRecord + "</Objs>")
    #expect(CLIXMLEncoder.escapeSerializedString("a\u{0}b\u{7F}😀") == "a_x0000_b_x007F__xD83D__xDE00_")
  }

  @Test func encodeThenDecodeGivesTheLinesBack() async {
    let line = HostileStrings.generator.map { text in
      // A line is one line: the decoder splits at CR and LF and drops blank lines.
      String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }.map(Character.init)) + "x"
    }
    await propertyCheck(count: 300, input: line.array(of: 0...6), Gen.bool) { lines, progress in
      let encoded = CLIXMLEncoder.encode(errorLines: lines, progressRecord: progress)
      #expect(CLIXMLDecoder.errorLines(encoded) == lines)
      #expect(CLIXMLDecoder.errorLines("noise\r\n" + encoded + encoded) == ["noise"] + lines + lines)
    }
  }
}
