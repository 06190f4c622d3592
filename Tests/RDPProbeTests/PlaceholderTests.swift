import Testing

@testable import RDPProbe

@Test func moduleBuilds() {}
