/// Builds many lab hosts from one: the benchmark needs dozens of healthy hosts that differ only in identity.
public enum Fleet {
  /// `count` copies of `template`, named `<prefix>-001`..., each with its own computer name, MachineGuid (and so its
  /// own self-signed certificate key file and thumbprint).
  public static func healthyClones(count: Int, from template: HostState, prefix: String = "bench")
    -> [(name: String, state: HostState)]
  {
    (0..<max(count, 0)).map { $0 + 1 }.map { index in
      let name = prefix + "-" + String(format: "%03d", index)
      let guid = cloneGuid(prefix: prefix, index: index)
      return (name, template.withIdentity(computerName: name.uppercased(), machineGuid: guid))
    }
  }

  /// A stable, GUID-shaped id per clone.
  static func cloneGuid(prefix: String, index: Int) -> String {
    let hex = Fingerprint.thumbprint(of: prefix + "#" + String(index)).lowercased()
    let chars = Array(hex)
    let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }
    return groups.joined(separator: "-")
  }
}

extension HostState {
  /// The same host under another computer name and MachineGuid: key files named after the old MachineGuid and the
  /// self-signed certificates issued to the old name follow, so the copy is as consistent as the original.
  public func withIdentity(computerName newName: String, machineGuid newGuid: String) -> HostState {
    var copy = self
    let oldName = computerName
    let oldGuid = machineGuid
    copy.computerName = newName
    copy.registry.setValue(RegistryKeys.cryptography, "MachineGuid", .string(newGuid))
    var renamedThumbprints: [String: String] = [:]
    for (store, list) in certificates.entries {
      copy.certificates[store] = list.map { certificate in
        var renamed = certificate
        if let oldGuid, let container = certificate.privateKeyContainer, container.hasSuffix("_" + oldGuid) {
          renamed.privateKeyContainer = String(container.dropLast(oldGuid.count)) + newGuid
        }
        if certificate.isSelfSigned, certificate.subject.caseInsensitiveCompare("CN=" + oldName) == .orderedSame {
          renamed.subject = "CN=" + newName
          renamed.issuer = renamed.subject
          renamed.thumbprint = Fingerprint.thumbprint(
            of: renamed.subject + "|" + newGuid + "|" + certificate.thumbprint)
          renamedThumbprints[certificate.thumbprint] = renamed.thumbprint
        }
        return renamed
      }
    }
    if let oldGuid {
      for path in files.descendants(of: MachineKeys.directory) where path.hasSuffix("_" + oldGuid) {
        copy.files.move(path, to: String(path.dropLast(oldGuid.count)) + newGuid)
      }
    }
    if let configured = configuredListenerThumbprint, let renamed = renamedThumbprints[configured],
      let bytes = Hex.bytes(renamed)
    {
      copy.registry.setValue(RegistryKeys.rdpTcp, "SSLCertificateSHA1Hash", .binary(bytes))
    }
    return copy
  }
}
