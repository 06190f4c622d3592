import Testing
import WinAudit

/// A concurrency the process cannot open files for is refused before any host is contacted, with the figure that fits.
@Suite("file descriptor budget")
struct DescriptorBudgetTests {
  @Test func aModestConcurrencyFits() throws {
    let limit = try DescriptorBudget.ensure(concurrency: 32)
    #expect(limit >= DescriptorBudget.needed(concurrency: 32))
  }

  @Test func anImpossibleConcurrencyIsRefusedWithWhatFits() {
    #expect {
      try DescriptorBudget.ensure(concurrency: 100_000_000)
    } throws: { error in
      let message = (error as? UsageError)?.message ?? ""
      return message.contains("--concurrency 100000000 needs about") && message.contains("ulimit -Hn")
        && message.contains("use --concurrency ")
    }
  }
}
