import Testing

@Test func placeholder_WinAuditTests() {}
