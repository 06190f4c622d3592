import Foundation
import PowerShellInterpreter

/// Export-Certificate and Import-Certificate. The lab writes a certificate file as a PEM-like envelope around the
/// certificate's JSON without its private key link, as a real .cer has none: an import brings the certificate back
/// without a usable key (`reg export` of the store's key is what keeps it).
enum CertificateCmdlets {
  static func commands(_ lab: LabContext) -> [PSCommandDefinition] { [exportCertificate(lab), importCertificate(lab)] }

  static let header = "-----BEGIN CERTIFICATE-----"
  static let footer = "-----END CERTIFICATE-----"

  static func fileContent(_ certificate: Certificate) -> String {
    let json = (try? HostState.encoder().encode(certificate)) ?? Data()
    return header + "\r\n" + json.base64EncodedString(options: .lineLength64Characters) + "\r\n" + footer + "\r\n"
  }

  static func certificate(fromFile content: String) -> Certificate? {
    let body = content.replacingOccurrences(of: header, with: "").replacingOccurrences(of: footer, with: "")
      .components(separatedBy: .whitespacesAndNewlines).joined()
    guard let data = Data(base64Encoded: body) else { return nil }
    return try? HostState.decoder().decode(Certificate.self, from: data)
  }

  static func exportCertificate(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Export-Certificate", type: "Microsoft.CertificateServices.Commands.ExportCertificateCommand",
      [
        PSParameterInfo("Cert", type: .object, mandatory: true, fromPipeline: true),
        PSParameterInfo("FilePath", type: .string, mandatory: true, position: 0),
        PSParameterInfo("Type", type: .string, validateSet: ["SST", "CERT", "P7B"]), CommonParameters.force,
        PSParameterInfo("NoClobber", type: .switchParameter),
      ], shouldProcess: true
    ) { context in
      let state = lab.state
      let certificates: [Certificate] = try (context.parameters.list("Cert") ?? []).map { value in
        if let reference = value.asObject?.native as? CertificateReference { return reference.certificate }
        if case .certificate(let path)? = LabPath.parse(PSConvert.toString(value)),
          case .certificate(_, let certificate)? = state.certificateItem(path)
        {
          return certificate
        }
        throw HostErrors.invalidArgument("Cannot bind parameter 'Cert': not a certificate.", target: value)
      }
      guard let filePath = context.parameters.string("FilePath"), let target = LabPath.parse(filePath),
        case .file(let file) = target
      else {
        throw HostErrors.invalidArgument("The FilePath must be a file system path.")
      }
      guard let parent = PathTreeNames.parent(of: file), state.isContainer(.file(parent)), state.exists(.file(parent))
      else {
        throw PSErrorRecord(
          exceptionType: "System.IO.DirectoryNotFoundException",
          message: "Could not find a part of the path '\(FilePath.displayPath(file))'.",
          errorId: "System.IO.DirectoryNotFoundException",
          category: .notSpecified)
      }
      guard context.shouldProcess(target: FilePath.displayPath(file), action: "Export-Certificate") else { return }
      // A .cer / .p7b / .sst holds the certificate, not the link to its private key: imported again, it has none.
      let content = certificates.map { certificate in
        var copy = certificate
        copy.privateKeyContainer = nil
        copy.keyStorage = nil
        return fileContent(copy)
      }.joined()
      lab.box.mutate { $0.files.set(file, FileNode(type: .file, content: content)) }
      let updated = lab.state
      try context.writeObject(ItemObjects.fileItem(updated.files.displayPath(file), state: updated))
    }
  }

  static func importCertificate(_ lab: LabContext) -> PSCommandDefinition {
    .host(
      "Import-Certificate", type: "Microsoft.CertificateServices.Commands.ImportCertificateCommand",
      [
        PSParameterInfo("FilePath", type: .string, mandatory: true, position: 0, fromPipelineByPropertyName: true),
        PSParameterInfo("CertStoreLocation", type: .string), PSParameterInfo("Exportable", type: .switchParameter),
      ], shouldProcess: true
    ) { context in
      let state = lab.state
      let filePath = context.parameters.string("FilePath") ?? ""
      guard case .file(let file)? = LabPath.parse(filePath), let node = state.files.node(at: file), !node.isDirectory
      else {
        throw HostErrors.pathNotFound(filePath)
      }
      guard let certificate = certificate(fromFile: node.content ?? "") else {
        throw PSErrorRecord(
          exceptionType: "System.Security.Cryptography.CryptographicException",
          message: "Cannot find the requested object.\r\n",
          errorId: "System.Security.Cryptography.CryptographicException",
          category: .notSpecified)
      }
      let location = context.parameters.string("CertStoreLocation") ?? "Cert:\\CurrentUser\\My"
      guard case .certificate(let path)? = LabPath.parse(location),
        case .store(let store)? = state.certificateItem(path)
      else {
        throw HostErrors.pathNotFound(location)
      }
      guard context.shouldProcess(target: store, action: "Import certificate") else { return }
      lab.box.mutate { state in
        var list = state.certificates(in: store).filter { $0.thumbprint != certificate.thumbprint }
        list.append(certificate)
        state.certificates[store] = list
      }
      try context.writeObject(ItemObjects.certificateObject(certificate, store: store, lab: lab))
    }
  }
}
