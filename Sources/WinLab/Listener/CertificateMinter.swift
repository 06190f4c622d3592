import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A real certificate the lab made: what a TLS handshake presents for a modelled certificate.
public struct MintedCertificate: Sendable, Equatable {
  /// Upper-case hex SHA-1 over the DER, which is what Windows calls the thumbprint.
  public var thumbprint: String
  /// The certificate's DER encoding.
  public var der: [UInt8]
  /// The certificate and its private key, PEM, in that order (what the listener double loads).
  public var pem: String
}

/// Mints key pairs and X.509 certificates for the lab, so the thumbprints in a host state are those of certificates
/// a TLS client really receives.
public enum CertificateMinter {
  /// Which key to make. Windows makes RSA 2048 keys for the RDP self-signed certificate.
  public enum KeyKind: Sendable {
    case rsa2048
    case p256
  }

  /// The key the lab mints with: P-256, not Windows' RSA 2048. Minting the sample fleet's ~50 certificates with RSA
  /// made `winlab up` twice as slow (12 s against 6 s, BoringSSL's key generation in a debug build); no check reads
  /// the key type, only the thumbprint, subject, issuer and validity.
  public static let labKey = KeyKind.p256

  /// Mints a certificate for `subject`, signed by a fresh key under `issuer`'s name (self-signed when they are equal;
  /// for a CA-issued certificate the lab has no CA, and no client of the lab verifies the chain).
  public static func mint(
    subject: String, issuer: String, notBefore: Date, notAfter: Date, key kind: KeyKind = .rsa2048
  ) throws -> MintedCertificate {
    let privateKey: X509.Certificate.PrivateKey
    let keyPEM: String
    switch kind {
    case .rsa2048:
      let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
      privateKey = X509.Certificate.PrivateKey(key)
      keyPEM = key.pemRepresentation
    case .p256:
      let key = P256.Signing.PrivateKey()
      privateKey = X509.Certificate.PrivateKey(key)
      keyPEM = key.pemRepresentation
    }
    // X.509 cannot encode a notAfter before notBefore; a modelled certificate never has one, but a hand-edited state
    // could.
    let end = max(notAfter, notBefore.addingTimeInterval(1))
    let certificate = try X509.Certificate(
      version: .v3, serialNumber: X509.Certificate.SerialNumber(), publicKey: privateKey.publicKey,
      notValidBefore: notBefore, notValidAfter: end, issuer: distinguishedName(issuer),
      subject: distinguishedName(subject),
      extensions: try X509.Certificate.Extensions {
        KeyUsage(digitalSignature: true, keyEncipherment: true)
        try ExtendedKeyUsage([.serverAuth])
      }, issuerPrivateKey: privateKey)
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    let der = serializer.serializedBytes
    let certificatePEM = PEMDocument(type: "CERTIFICATE", derBytes: der).pemString
    return MintedCertificate(
      thumbprint: thumbprint(of: der), der: der, pem: certificatePEM + "\n" + keyPEM + "\n")
  }

  /// The Windows thumbprint of a DER certificate: SHA-1 over the DER, upper-case hex.
  public static func thumbprint(of der: [UInt8]) -> String {
    Insecure.SHA1.hash(data: der).map { String(format: "%02X", $0) }.joined()
  }

  /// A Windows-style name (`CN=rdp.example.com, O=Example, DC=example, DC=com`, most specific first) as a
  /// DistinguishedName. Values that the attribute's ASN.1 string type cannot hold, or a name that does not parse,
  /// become one common name holding the whole text, so any modelled subject can be minted.
  static func distinguishedName(_ text: String) -> DistinguishedName {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    var attributes: [RelativeDistinguishedName.Attribute] = []
    for part in parts {
      guard let equals = part.firstIndex(of: "=") else { return commonNameOnly(text) }
      let key = part[..<equals].uppercased()
      let value = String(part[part.index(after: equals)...])
      let attribute: RelativeDistinguishedName.Attribute?
      switch key {
      case "CN": attribute = .init(type: .RDNAttributeType.commonName, utf8String: value)
      case "O": attribute = .init(type: .RDNAttributeType.organizationName, utf8String: value)
      case "OU": attribute = .init(type: .RDNAttributeType.organizationalUnitName, utf8String: value)
      case "L": attribute = .init(type: .RDNAttributeType.localityName, utf8String: value)
      case "S", "ST": attribute = .init(type: .RDNAttributeType.stateOrProvinceName, utf8String: value)
      case "C": attribute = try? .init(type: .RDNAttributeType.countryName, printableString: value)
      case "DC": attribute = try? .init(type: .RDNAttributeType.domainComponent, ia5String: value)
      default: attribute = nil
      }
      guard let attribute else { return commonNameOnly(text) }
      attributes.append(attribute)
    }
    guard !attributes.isEmpty else { return commonNameOnly(text) }
    return DistinguishedName(attributes.reversed().map { RelativeDistinguishedName($0) })
  }

  private static func commonNameOnly(_ text: String) -> DistinguishedName {
    let value = text.hasPrefix("CN=") ? String(text.dropFirst(3)) : text
    return DistinguishedName([RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: value))])
  }
}
