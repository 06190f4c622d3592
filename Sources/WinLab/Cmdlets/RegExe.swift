import Foundation
import PowerShellInterpreter

/// `reg.exe export KEY FILE /y` and `reg.exe import FILE` for the keys of LocalMachine certificate stores
/// (`HKLM\SOFTWARE\Microsoft\SystemCertificates\<store>\Certificates\<thumbprint>`), whose Blob holds a certificate
/// with all its properties, the private key link among them. The lab keeps certificates in its own model, so the Blob
/// in the lab's .reg file is the certificate's JSON in hex. Any other key is not modelled and fails loudly.
///
/// As on Windows, `reg import` reports success on stderr.
enum RegExe {
  static func command(_ lab: LabContext) -> PSNativeCommandDefinition {
    PSNativeCommandDefinition(name: "reg.exe") { context in
      run(arguments: context.arguments, lab: lab, output: context.writeLine, error: context.writeErrorLine)
    }
  }

  static let storesKey = #"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\"#

  /// `(store, thumbprint)` of a certificate key in reg.exe's form (`HKLM\...` or `HKEY_LOCAL_MACHINE\...`).
  static func certificateKey(_ key: String) -> (store: String, thumbprint: String)? {
    var text = key
    if text.uppercased().hasPrefix(#"HKLM\"#) { text = "HKEY_LOCAL_MACHINE" + text.dropFirst(4) }
    guard text.uppercased().hasPrefix(storesKey.uppercased()) else { return nil }
    let parts = text.dropFirst(storesKey.count).split(separator: "\\").map(String.init)
    guard parts.count == 3, parts[1].caseInsensitiveCompare("Certificates") == .orderedSame else { return nil }
    return (parts[0], parts[2].uppercased())
  }

  static func run(arguments: [String], lab: LabContext, output: (String) -> Void, error: (String) -> Void) -> Int32 {
    let verb = arguments.first?.lowercased()
    switch verb {
    case "export":
      guard arguments.count >= 3, let (store, thumbprint) = certificateKey(arguments[1]) else {
        error("winlab: the lab's reg.exe exports only certificate keys under \(storesKey)")
        return 1
      }
      let state = lab.state
      guard let certificate = state.certificates(in: store).first(where: { $0.thumbprint == thumbprint }) else {
        error("ERROR: The system was unable to find the specified registry key or value.")
        return 1
      }
      guard let file = FilePath.canonical(arguments[2]), let parent = PathTreeNames.parent(of: file),
        state.files.node(at: parent)?.isDirectory == true
      else {
        error("ERROR: The system was unable to find the specified registry key or value.")
        return 1
      }
      guard state.files.node(at: file) == nil || arguments.contains(where: { $0.lowercased() == "/y" }) else {
        error("winlab: reg export would ask before overwriting \(arguments[2]); the lab does not model prompts")
        return 1
      }
      let blob = ((try? HostState.encoder().encode(certificate)) ?? Data()).map { String(format: "%02x", $0) }
      let content =
        "Windows Registry Editor Version 5.00\r\n\r\n[" + storesKey + store + #"\Certificates\"# + thumbprint
        + "]\r\n\"Blob\"=hex:" + blob.joined(separator: ",") + "\r\n\r\n"
      lab.box.mutate { $0.files.set(file, FileNode(type: .file, content: content)) }
      output("The operation completed successfully.")
      return 0
    case "import":
      guard arguments.count == 2, let file = FilePath.canonical(arguments[1]),
        let content = lab.state.files.node(at: file)?.content
      else {
        error("ERROR: Error opening the file. There may be a disk or file system error.")
        return 1
      }
      let lines = content.components(separatedBy: .newlines)
      guard let header = lines.first(where: { $0.hasPrefix("[") }),
        let (store, _) = certificateKey(String(header.dropFirst().dropLast())),
        let blobLine = lines.first(where: { $0.hasPrefix("\"Blob\"=hex:") })
      else {
        error("winlab: the lab's reg.exe imports only the certificate keys its reg export wrote")
        return 1
      }
      let bytes = blobLine.dropFirst("\"Blob\"=hex:".count).split(separator: ",").compactMap { UInt8($0, radix: 16) }
      guard let certificate = try? HostState.decoder().decode(Certificate.self, from: Data(bytes)) else {
        error("ERROR: Error accessing the registry.")
        return 1
      }
      lab.box.mutate { state in
        var list = state.certificates(in: store).filter { $0.thumbprint != certificate.thumbprint }
        list.append(certificate)
        state.certificates[store] = list
      }
      error("The operation completed successfully.")
      return 0
    default:
      error("winlab: the lab's reg.exe models only export and import of certificate keys")
      return 1
    }
  }
}
