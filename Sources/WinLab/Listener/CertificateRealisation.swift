import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension HostState {
  /// Replaces every certificate's stand-in thumbprint by that of a real certificate minted with the same subject,
  /// issuer and validity, and rewrites every place in the state that names the old thumbprint: the certificate
  /// stores, registry values holding it (SSLCertificateSHA1Hash as BINARY, or as a string) and registry key names
  /// containing it (`SystemCertificates\<store>\Certificates\<thumbprint>`). A thumbprint that names no certificate
  /// (a dangling SSLCertificateSHA1Hash) is kept. Returns the minted certificates.
  public mutating func realiseCertificates(
    mint: (Certificate) throws -> MintedCertificate
  ) rethrows -> [MintedCertificate] {
    var minted: [MintedCertificate] = []
    var renamed: [String: String] = [:]
    for (store, list) in certificates.entries {
      var realised: [Certificate] = []
      for certificate in list {
        var copy = certificate
        if let done = renamed[certificate.thumbprint] {
          copy.thumbprint = done
        } else {
          let real = try mint(certificate)
          minted.append(real)
          renamed[certificate.thumbprint] = real.thumbprint
          copy.thumbprint = real.thumbprint
        }
        realised.append(copy)
      }
      certificates[store] = realised
    }
    renameThumbprintsInRegistry(renamed)
    return minted
  }

  private mutating func renameThumbprintsInRegistry(_ renamed: [String: String]) {
    let byBytes = Dictionary(
      renamed.compactMap { old, new in Hex.bytes(old).flatMap { o in Hex.bytes(new).map { (o, $0) } } },
      uniquingKeysWith: { first, _ in first })
    for path in registry.nodes.keys {
      guard let key = registry.node(at: path) else { continue }
      for (name, value) in key.entries {
        switch value {
        case .binary(let bytes):
          if let new = byBytes[bytes] { registry.update(path) { $0[name] = .binary(new) } }
        case .string(let text):
          if let new = renamed[text.uppercased()] { registry.update(path) { $0[name] = .string(new) } }
        default: break
        }
      }
    }
    for path in registry.nodes.keys {
      let leaf = PathTreeNames.leaf(of: path)
      if let new = renamed[leaf.uppercased()], let parent = PathTreeNames.parent(of: path) {
        registry.move(path, to: PathTreeNames.join(parent, new))
      }
    }
  }
}

extension HostDirectory {
  /// Mints the real certificate for `certificate` and keeps its PEM in `tls/THUMBPRINT.pem` (mode 0600).
  public func mintCertificate(
    subject: String, issuer: String, notBefore: Date, notAfter: Date,
    key: CertificateMinter.KeyKind = CertificateMinter.labKey
  ) throws -> MintedCertificate {
    let minted = try CertificateMinter.mint(
      subject: subject, issuer: issuer, notBefore: notBefore, notAfter: notAfter, key: key)
    try writePrivate(Data(minted.pem.utf8), to: certificatePEM(minted.thumbprint))
    return minted
  }

  /// Realises every certificate of `state` (see `HostState.realiseCertificates`), keeping their PEMs here.
  public func realiseCertificates(of state: inout HostState, key: CertificateMinter.KeyKind = CertificateMinter.labKey)
    throws
  {
    _ = try state.realiseCertificates { certificate in
      try mintCertificate(
        subject: certificate.subject, issuer: certificate.issuer, notBefore: certificate.notBefore,
        notAfter: certificate.notAfter, key: key)
    }
  }

  /// The minter a lab session uses for certificates the host makes itself (TermService's self-signed one).
  public var certificateMinting: CertificateMinting {
    let directory = self
    return { request in
      try? directory.mintCertificate(
        subject: request.subject, issuer: request.issuer, notBefore: request.notBefore, notAfter: request.notAfter
      ).thumbprint
    }
  }

  /// Writes a file only its owner can read: it holds a private key.
  func writePrivate(_ data: Data, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    chmod(url.deletingLastPathComponent().path, 0o700)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
    else { throw LabShellError("cannot write \(temporary.path)") }
    guard rename(temporary.path, url.path) == 0 else {
      unlink(temporary.path)
      throw LabShellError("cannot replace \(url.path): \(String(cString: strerror(errno)))")
    }
  }
}
