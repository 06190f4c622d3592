import Testing

@testable import WinAudit

/// The default number of hosts in flight follows the machine: 16 per core within 16...128, half for fixes, never
/// more than the open-file limit carries.
@Suite("Default concurrency")
struct DefaultConcurrencyTests {
  @Test func followsTheCoresWithinBounds() {
    #expect(DefaultConcurrency.audit(cores: 1, openFiles: nil) == 16)
    #expect(DefaultConcurrency.audit(cores: 2, openFiles: nil) == 32)
    #expect(DefaultConcurrency.audit(cores: 4, openFiles: nil) == 64)
    #expect(DefaultConcurrency.audit(cores: 64, openFiles: nil) == 128)
    #expect(DefaultConcurrency.fix(cores: 2, openFiles: nil) == 16)
    #expect(DefaultConcurrency.fix(cores: 64, openFiles: nil) == 64)
  }

  @Test func neverMoreThanTheOpenFileLimitCarries() throws {
    // 1024 open files: (1024 - 64) / 4 = 240 hosts fit; 256 files: 48; 100 files: 9.
    #expect(DefaultConcurrency.audit(cores: 64, openFiles: 1024) == 128)
    #expect(DefaultConcurrency.audit(cores: 64, openFiles: 256) == 48)
    #expect(DefaultConcurrency.audit(cores: 2, openFiles: 100) == 9)
    #expect(DefaultConcurrency.audit(cores: 2, openFiles: 10) == 1)
    // And the default on this machine is one the budget accepts.
    let here = DefaultConcurrency.audit()
    #expect(try DescriptorBudget.ensure(concurrency: here) >= DescriptorBudget.needed(concurrency: here))
  }
}
