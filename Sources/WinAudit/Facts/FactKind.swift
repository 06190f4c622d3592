/// The fact kinds of the facts JSON schema, spelled as in playbooks and in the collector's output.
public enum FactKind: String, Sendable, Hashable, CaseIterable {
  case registry
  case firewallRules
  case networkProfiles
  case tcpListener
  case service
  case certificates
  case terminalSettings
  case path
  case os
  case machineGuid
}
