import Testing

@Test func placeholder_PowerShellInterpreterTests() {}
