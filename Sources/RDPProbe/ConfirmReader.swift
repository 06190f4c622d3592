/// Frames one Connection Confirm out of whatever the socket delivers, keeping at most `TPKTHeader.maximumLength`
/// bytes: a listener that floods or announces a huge PDU is judged without buffering it.
struct ConfirmReader {
  enum Progress: Equatable {
    case needMore
    case complete([UInt8])
    case malformed(MalformedAnswer)
  }

  private var bytes: [UInt8] = []
  private var expected: Int?

  /// Takes from `chunk` only the bytes this PDU still needs; whatever follows is not copied.
  mutating func consume(_ chunk: some Collection<UInt8>) -> Progress {
    var remaining = chunk[...]
    while !remaining.isEmpty {
      let wanted = (expected ?? 4) - bytes.count
      bytes += remaining.prefix(wanted)
      remaining = remaining.dropFirst(wanted)
      if expected == nil {
        do throws(MalformedAnswer) {
          expected = try TPKTHeader.length(of: bytes)
        } catch {
          return .malformed(error)
        }
      }
      if let expected, bytes.count == expected {
        return .complete(bytes)
      }
    }
    return .needMore
  }
}
