import Testing

@Test func placeholder_WinLabTests() {}
