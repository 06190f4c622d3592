import Foundation
import PowerShellInterpreter

extension PSValue {
  /// A local DateTime (lab hosts run in UTC).
  static func date(_ date: Date) -> PSValue { .dateTime(PSDateTime(date: date, kind: .local)) }
  static func strings(_ strings: [String]) -> PSValue { .array(PSArray.strings(strings)) }
  static func enumeration(_ type: PSEnumType, _ value: Int64) -> PSValue { .enumValue(type.value(value)) }
}

/// The objects the item cmdlets return: RegistryKey, FileInfo/DirectoryInfo, X509Certificate2 and stores.
enum ItemObjects {
  static func object(for path: LabPath, lab: LabContext, state: HostState) -> PSValue {
    switch path {
    case .registry(let key): return registryKey(key, lab: lab, state: state)
    case .file(let file): return fileItem(file, state: state)
    case .certificate(let cert):
      switch state.certificateItem(cert) {
      case .certificate(let store, let certificate):
        return certificateObject(certificate, store: store, lab: lab)
      case .store(let name): return certificateStore(name, path: cert)
      case .location(let name): return certificateLocation(name)
      case .root, nil: return .null
      }
    }
  }

  /// PSPath and friends, as every provider item carries them.
  static func addProviderProperties(_ object: PSObject, _ path: LabPath) {
    let (pspath, drive, provider): (String, String, String)
    switch path {
    case .registry(let key):
      (pspath, drive, provider) = (RegistryPath.providerPath(key), "HKLM", "Microsoft.PowerShell.Core\\Registry")
    case .file(let file):
      (pspath, drive, provider) = (
        FilePath.providerPath(file), String(file.prefix(1)), "Microsoft.PowerShell.Core\\FileSystem"
      )
    case .certificate(let cert):
      (pspath, drive, provider) = (cert.providerPath, "Cert", "Microsoft.PowerShell.Security\\Certificate")
    }
    object.addProperty("PSPath", .string(pspath))
    let parentPath: String
    switch path.parent {
    case .registry(let key)?: parentPath = RegistryPath.providerPath(key)
    case .file(let file)?: parentPath = FilePath.providerPath(file)
    case .certificate(let cert)?: parentPath = cert.providerPath
    case nil: parentPath = ""
    }
    object.addProperty("PSParentPath", .string(parentPath))
    object.addProperty("PSChildName", .string(path.leaf))
    object.addProperty("PSDrive", .string(drive))
    object.addProperty("PSProvider", .string(provider))
  }

  // MARK: Registry

  /// A registry value as .NET returns it: DWORD Int32, QWORD Int64, REG_EXPAND_SZ expanded, MULTI_SZ string[].
  static func psValue(_ value: RegistryValue, environment: [String: String]) -> PSValue {
    switch value {
    case .dword(let number): .int(Int32(bitPattern: number))
    case .qword(let number): .long(Int64(bitPattern: number))
    case .string(let text): .string(text)
    case .expandString(let text): .string(expandEnvironment(text, environment))
    case .multiString(let lines): .strings(lines)
    case .binary(let bytes): .array(PSArray.bytes(bytes))
    }
  }

  static func expandEnvironment(_ text: String, _ environment: [String: String]) -> String {
    let parts = text.components(separatedBy: "%")
    guard parts.count >= 3 else { return text }
    var result = parts[0]
    var index = 1
    while index < parts.count {
      let name = parts[index]
      if index + 1 < parts.count,
        let value = environment.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame })?.value
      {
        result += value + parts[index + 1]
        index += 2
      } else {
        result += "%" + name
        index += 1
      }
    }
    return result
  }

  static func registryKey(_ key: String, lab: LabContext, state: HostState) -> PSValue {
    let object = PSObject(
      typeName: "Microsoft.Win32.RegistryKey", baseTypes: ["System.MarshalByRefObject", "System.Object"])
    let values = state.registry.node(at: key) ?? .init()
    let name = RegistryPath.nativePath(key)
    object.addProperty("Property", .strings(values.keys))
    object.addProperty("PSPath", .string(RegistryPath.providerPath(key)))
    addProviderProperties(object, .registry(key))
    object.addProperty("PSIsContainer", .bool(true))
    object.addProperty("SubKeyCount", .int(Int32(state.registry.children(of: key).count)))
    object.addProperty("View", .string("Default"))
    object.addProperty("ValueCount", .int(Int32(values.count)))
    object.addProperty("Name", .string(name))
    object.toStringHandler = { name }
    let box = lab.box
    object.addMethod("GetValue") { arguments in
      let valueName = arguments.first.map(PSConvert.toString) ?? ""
      // GetValue(name, default, options): the one option modelled keeps REG_EXPAND_SZ text as stored.
      var expand = true
      if arguments.count >= 3 {
        let options = PSConvert.toString(arguments[2])
        guard options.caseInsensitiveCompare("DoNotExpandEnvironmentNames") == .orderedSame else {
          throw PSErrorRecord(
            exceptionType: "System.Management.Automation.MethodException",
            message:
              "WinLab models RegistryKey.GetValue options only as 'DoNotExpandEnvironmentNames', not '\(options)'",
            errorId: "MethodException", category: .notImplemented)
        }
        expand = false
      }
      guard let value = box.state.registry.node(at: key)?[valueName] else {
        return arguments.dropFirst().first ?? .null
      }
      return psValue(value, environment: expand ? box.state.environmentVariables : [:])
    }
    object.addMethod("GetValueNames") { _ in .strings(box.state.registry.node(at: key)?.keys ?? []) }
    object.addMethod("GetSubKeyNames") { _ in
      .strings(box.state.registry.children(of: key).map(PathTreeNames.leaf))
    }
    object.addMethod("GetValueKind") { arguments in
      let valueName = arguments.first.map(PSConvert.toString) ?? ""
      guard let value = box.state.registry.node(at: key)?[valueName] else {
        throw PSErrorRecord(
          exceptionType: "System.IO.IOException", message: "The specified registry key does not exist.",
          errorId: "IOException", category: .notSpecified)
      }
      return .enumeration(
        HostEnums.registryValueKind, HostEnums.registryValueKind.value(named: value.kindName)?.value ?? 0)
    }
    return .object(object)
  }

  // MARK: File system

  static func fileItem(_ path: String, state: HostState) -> PSValue {
    let node = state.files.node(at: path) ?? .implied
    let isDirectory = PathTreeNames.parent(of: path) == nil || node.isDirectory
    let typeName = isDirectory ? "System.IO.DirectoryInfo" : "System.IO.FileInfo"
    let object = PSObject(
      typeName: typeName, baseTypes: ["System.IO.FileSystemInfo", "System.MarshalByRefObject", "System.Object"])
    let display = FilePath.displayPath(path)
    addProviderProperties(object, .file(path))
    object.addProperty("PSIsContainer", .bool(isDirectory))
    object.addProperty("Mode", .string(isDirectory ? "d-----" : "-a----"))
    object.addProperty("Name", .string(PathTreeNames.parent(of: path) == nil ? display : PathTreeNames.leaf(of: path)))
    object.addProperty("FullName", .string(display))
    let leaf = PathTreeNames.leaf(of: path)
    let extensionStart = leaf.lastIndex(of: ".")
    object.addProperty("Extension", .string(extensionStart.map { String(leaf[$0...]) } ?? ""))
    object.addProperty("BaseName", .string(isDirectory ? leaf : extensionStart.map { String(leaf[..<$0]) } ?? leaf))
    if !isDirectory {
      object.addProperty("Length", .long(Int64(node.content?.utf8.count ?? 0)))
      object.addProperty("DirectoryName", .string(PathTreeNames.parent(of: path).map(FilePath.displayPath) ?? ""))
    }
    object.addProperty("Exists", .bool(true))
    object.addProperty("Attributes", .string(isDirectory ? "Directory" : "Archive"))
    object.addProperty("CreationTime", .date(state.now))
    object.addProperty("LastWriteTime", .date(state.now))
    object.toStringHandler = { isDirectory ? leaf : display }
    return .object(object)
  }

  // MARK: Certificates

  static func certificateObject(_ certificate: Certificate, store: String, lab: LabContext) -> PSValue {
    let object = PSObject(
      typeName: "System.Security.Cryptography.X509Certificates.X509Certificate2",
      baseTypes: ["System.Security.Cryptography.X509Certificates.X509Certificate", "System.Object"])
    let path = CertificatePath(components: ["LocalMachine", store, certificate.thumbprint])
    addProviderProperties(object, .certificate(path))
    object.addProperty("PSIsContainer", .bool(false))
    object.addProperty("Thumbprint", .string(certificate.thumbprint))
    object.addProperty("Subject", .string(certificate.subject))
    object.addProperty("Issuer", .string(certificate.issuer))
    object.addProperty("NotBefore", .date(certificate.notBefore))
    object.addProperty("NotAfter", .date(certificate.notAfter))
    object.addProperty("HasPrivateKey", .bool(certificate.hasPrivateKey))
    object.addProperty("FriendlyName", .string(certificate.friendlyName ?? ""))
    object.addProperty("SerialNumber", .string(String(certificate.thumbprint.suffix(16))))
    let box = lab.box
    let openKey: @Sendable () throws -> PSValue = {
      guard let container = certificate.privateKeyContainer else { return .null }
      guard box.state.hasUsablePrivateKey(certificate, account: SecurityIdentifier.administrators) else {
        throw PSErrorRecord(
          exceptionType: "System.Security.Cryptography.CryptographicException", message: "Keyset does not exist\r\n",
          errorId: "CryptographicException", category: .notSpecified)
      }
      return certificate.keyStorage == .cng
        ? cngKeyObject(container: container) : privateKeyObject(container: container)
    }
    object.addProperty(
      "PrivateKey",
      getter: {
        // .NET Framework's X509Certificate2.PrivateKey only opens CryptoAPI keys.
        if certificate.keyStorage == .cng, certificate.hasPrivateKey {
          throw PSErrorRecord(
            exceptionType: "System.Security.Cryptography.CryptographicException",
            message: "Invalid provider type specified.\r\n", errorId: "CryptographicException", category: .notSpecified)
        }
        return try openKey()
      })
    object.toStringHandler = { "[Subject]\r\n  \(certificate.subject)\r\n\r\n[Issuer]\r\n  \(certificate.issuer)" }
    object.native = CertificateReference(certificate: certificate, store: store, openKey: openKey)
    return .object(object)
  }

  static func privateKeyObject(container: String) -> PSValue {
    let info = PSObject(typeName: "System.Security.Cryptography.CspKeyContainerInfo")
    info.addProperty("UniqueKeyContainerName", .string(container))
    info.addProperty(
      "KeyContainerName", .string(container.hasPrefix(MachineKeys.remoteDesktopKeyPrefix) ? "TSSecKeySet1" : container))
    info.addProperty("MachineKeyStore", .bool(true))
    info.addProperty("Exportable", .bool(false))
    let key = PSObject(
      typeName: "System.Security.Cryptography.RSACryptoServiceProvider",
      baseTypes: [
        "System.Security.Cryptography.RSA", "System.Security.Cryptography.AsymmetricAlgorithm", "System.Object",
      ])
    key.addProperty("CspKeyContainerInfo", .object(info))
    key.addProperty("KeySize", .int(2048))
    return .object(key)
  }

  /// An `RSACng` whose `Key` is the CNG key (`UniqueName` is its file name in `Crypto\Keys`).
  static func cngKeyObject(container: String) -> PSValue {
    let key = PSObject(typeName: "System.Security.Cryptography.CngKey")
    key.addProperty("UniqueName", .string(container))
    key.addProperty("KeyName", .string(container))
    key.addProperty("IsMachineKey", .bool(true))
    key.addProperty("Provider", .string("Microsoft Software Key Storage Provider"))
    let rsa = PSObject(
      typeName: "System.Security.Cryptography.RSACng",
      baseTypes: [
        "System.Security.Cryptography.RSA", "System.Security.Cryptography.AsymmetricAlgorithm", "System.Object",
      ])
    rsa.addProperty("Key", .object(key))
    rsa.addProperty("KeySize", .int(2048))
    return .object(rsa)
  }

  static func certificateStore(_ name: String, path: CertificatePath) -> PSValue {
    let object = PSObject(typeName: "System.Security.Cryptography.X509Certificates.X509Store")
    addProviderProperties(object, .certificate(path))
    object.addProperty("Name", .string(name))
    object.addProperty("Location", .string("LocalMachine"))
    object.addProperty("PSIsContainer", .bool(true))
    object.toStringHandler = { name }
    return .object(object)
  }

  static func certificateLocation(_ name: String) -> PSValue {
    let object = PSObject(typeName: "Microsoft.PowerShell.Commands.X509StoreLocation")
    addProviderProperties(object, .certificate(CertificatePath(components: [name])))
    object.addProperty("Location", .string(name))
    object.addProperty("PSIsContainer", .bool(true))
    object.toStringHandler = { name }
    return .object(object)
  }
}

/// The certificate behind an X509Certificate2 object, so Export-Certificate and Remove-Item find it again.
final class CertificateReference: @unchecked Sendable {
  let certificate: Certificate
  let store: String
  /// `RSACertificateExtensions.GetRSAPrivateKey`: opens the key as the administrator running the script.
  let openKey: @Sendable () throws -> PSValue

  init(certificate: Certificate, store: String, openKey: @escaping @Sendable () throws -> PSValue = { .null }) {
    self.certificate = certificate
    self.store = store
    self.openKey = openKey
  }
}
