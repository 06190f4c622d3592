/// What a fact should be. The simple forms compare one value; the relations compare a fact with other facts (the
/// firewall with the listening port and the active network profiles, the listener certificate with a store).
enum Expectation: Sendable, Hashable {
  case equals(FactValue)
  case notEquals(FactValue)
  /// Membership: the value is one of these.
  case oneOf([FactValue])
  case noneOf([FactValue])
  /// The value exists (not absent, not an empty list).
  case present
  case absent
  case atLeast(Double)
  case atMost(Double)
  /// A list contains this value.
  case contains(FactValue)
  /// A date (or every date in a list) is at least this many days in the future.
  case validForDays(Int)
  /// The value equals another fact's value (listener port = PortNumber).
  case equalsFact(FactPath)
  /// Firewall rules let the port in for every active network profile.
  case firewallAllows(FirewallRequirement)
  /// No enabled inbound Block rule (a Block rule wins over every Allow rule) covers the port on an active profile.
  case firewallNotBlocked(FirewallRequirement)
  /// A thumbprint names a certificate in a store, with a readable private key and enough validity left.
  case certificateIn(CertificateRequirement)
  /// An SDDL security descriptor grants and does not deny the given accounts.
  case acl(ACLRequirement)

  /// The other facts this expectation reads.
  var factReferences: [String] {
    switch self {
    case .equalsFact(let path): [path.fact]
    case .firewallAllows(let requirement), .firewallNotBlocked(let requirement):
      (requirement.portFact.map { [$0.fact] } ?? []) + (requirement.profilesFact.map { [$0] } ?? [])
        + (requirement.settingsFact.map { [$0] } ?? [])
    case .certificateIn(let requirement): requirement.certificatesFacts
    default: []
    }
  }
}

/// What `firewallAllows` needs from a set of firewall rules.
struct FirewallRequirement: Sendable, Hashable {
  /// `TCP` or `UDP`.
  var `protocol`: String
  /// A fixed port; ignored when `portFact` is set.
  var port: Int?
  /// A fact holding the port (the PortNumber registry fact).
  var portFact: FactPath?
  /// A networkProfiles fact: every active profile must be covered. Without it any enabled rule will do.
  var profilesFact: String?
  /// A firewallProfiles fact: a profile whose firewall is off lets everything in, one whose default inbound action is
  /// Allow needs no rule, one that ignores local rules counts only Group Policy rules.
  var settingsFact: String?
  /// The program and service the traffic goes to (TermService in svchost.exe): a Block rule for another program or
  /// service does not block it. Nil: any.
  var program: String?
  var service: String?
  /// Only these rules (by Name) count; empty means every rule of the fact. The Remote Desktop group also holds
  /// RemoteDesktop-Shadow-In-TCP, whose LocalPort is Any but which only admits RdpSa.exe, so it must not count as
  /// opening PortNumber.
  var rules: [String]

  init(
    protocol: String = "TCP", port: Int? = nil, portFact: FactPath? = nil, profilesFact: String? = nil,
    rules: [String] = []
  ) {
    self.protocol = `protocol`
    self.port = port
    self.portFact = portFact
    self.profilesFact = profilesFact
    self.rules = rules
  }
}

/// What `certificateIn` needs: the thumbprint must be in one of these certificates facts (the self-signed listener
/// certificate lives in `Remote Desktop`, a custom one in `My`), usable by the listener.
struct CertificateRequirement: Sendable, Hashable {
  var certificatesFacts: [String]
  var privateKeyReadable: Bool
  /// Days of validity the certificate must have left.
  var validForDays: Int?

  init(certificatesFacts: [String], privateKeyReadable: Bool = true, validForDays: Int? = nil) {
    self.certificatesFacts = certificatesFacts
    self.privateKeyReadable = privateKeyReadable
    self.validForDays = validForDays
  }
}

/// What `acl` needs from a security descriptor. Accounts are SIDs (`S-1-5-18`), so checks work on localized Windows.
/// Reading, creating and denial are judged for the account's token (a service account acts through Everyone,
/// Authenticated Users, Users and SERVICE too), deny entries first.
struct ACLRequirement: Sendable, Hashable {
  /// Accounts that must have an allow entry with full control.
  var fullControl: [String]
  /// Accounts whose token no deny entry names.
  var notDenied: [String]
  /// Accounts whose token may read data.
  var canRead: [String]
  /// Accounts whose token may create files in the folder (TermService making a new key file in MachineKeys).
  var canCreate: [String]

  init(fullControl: [String] = [], notDenied: [String] = [], canRead: [String] = [], canCreate: [String] = []) {
    self.fullControl = fullControl
    self.notDenied = notDenied
    self.canRead = canRead
    self.canCreate = canCreate
  }
}
