import Testing
import WinLab

@Suite("console encodings")
struct ShellEncodingTests {
  @Test func oem437() {
    #expect(ConsoleEncoding.oem437.encode("café ü ½ █") == [99, 97, 102, 0x82, 32, 0x81, 32, 0xAB, 32, 0xDB])
    #expect(ConsoleEncoding.oem437.encode("Ø") == [UInt8(ascii: "?")])
    #expect(ConsoleEncoding.oem437.encode("😀") == [UInt8(ascii: "?")])
  }

  @Test func oem850() {
    #expect(ConsoleEncoding.oem850.encode("Ø×ã") == [0x9D, 0x9E, 0xC6])
    #expect(ConsoleEncoding.oem850.encode("₧") == [UInt8(ascii: "?")])
  }

  @Test(arguments: [ConsoleEncoding.oem437, .oem850])
  func everyByteRoundTrips(encoding: ConsoleEncoding) {
    let bytes = (0...255).map { UInt8($0) }
    #expect(encoding.encode(encoding.decode(bytes)) == bytes)
  }

  @Test func utf8HasNoByteOrderMark() {
    #expect(ConsoleEncoding.utf8.encode("é") == [0xC3, 0xA9])
    #expect(ConsoleEncoding(codePage: 65001) == .utf8)
    #expect(ConsoleEncoding(codePage: 932) == nil)
  }

  @Test func clixmlEscapes() {
    #expect(
      CLIXMLErrorStream.escape("a<b>&\"c\"\r\n_x\t") == "a&lt;b&gt;&amp;&quot;c&quot;_x000D__x000A__x005F_x_x0009_")
    var stream = CLIXMLErrorStream()
    let first = stream.record(stream: "Error", text: "line one\r\nline two\r\n")
    #expect(
      first
        == "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
        + "<S S=\"Error\">line one_x000D__x000A_</S><S S=\"Error\">line two_x000D__x000A_</S>")
    #expect(stream.record(stream: "Error", text: "3") == "<S S=\"Error\">3_x000D__x000A_</S>")
    #expect(stream.finish() == "</Objs>")
  }
}
