/// The outside-in probe of an RDP listener (MS-RDPBCGR 2.2.1.1 and 2.2.1.2): placeholder until the module lands.
enum RDPProbeModule {}
