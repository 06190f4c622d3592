// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "winaudit",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "winaudit", targets: ["winaudit"]),
    .executable(name: "winlab", targets: ["winlab"]),
    .library(name: "WinAudit", targets: ["WinAudit"]),
    .library(name: "WinLab", targets: ["WinLab"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    // SHA-256 of every script sent, checked by the bootstrap on the host (and computed the same way by the lab).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    // The outside-in RDP probe and the lab's RDP listener double: sockets on an event loop (no thread per host), a
    // real TLS handshake (BoringSSL through swift-nio-ssl) and X.509 parsing and minting (swift-certificates).
    .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.1.0"),
    // The audit history: SQLite (Debian's libsqlite3-dev) in WAL mode, through GRDB.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    // CSV inventories (quoted fields, embedded commas and newlines).
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
  ],
  targets: [
    // libssh from Debian's libssh-dev, wrapped the way SwiftPM wraps sqlite3.
    .systemLibrary(
      name: "CLibSSH",
      pkgConfig: "libssh",
      providers: [.apt(["libssh-dev"])]
    ),
    // Blocking libssh sessions on dedicated threads, exposed as async calls.
    .target(name: "SSHClient", dependencies: ["CLibSSH"]),
    // Quoting, the -EncodedCommand bootstrap, CLIXML decoding and running one script on a host.
    .target(
      name: "RemotePowerShell", dependencies: ["SSHClient", .product(name: "Crypto", package: "swift-crypto")]),
    // What an RDP listener answers from the outside: the X.224 negotiation and the TLS certificate. No Windows
    // knowledge here: it speaks MS-RDPBCGR to an address and a port.
    .target(
      name: "RDPProbe",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        // TLSUserEvent.handshakeCompleted, the event NIOSSL reports a finished handshake with.
        .product(name: "NIOTLS", package: "swift-nio"),
      ]
    ),
    // The product's core: Inventory -> Transport -> Facts -> Findings -> Plan -> Report / Apply.
    // The built-in playbooks (Resources/Playbooks links to the top-level Playbooks folder) and the fixed PowerShell
    // text are compiled into the binary, so what Playbooks/*.yml and the .ps1 files say is exactly what runs.
    .target(
      name: "WinAudit",
      dependencies: [
        "RemotePowerShell", "SSHClient", "RDPProbe", .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
        // The playbook's SHA-256 in reports.
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftCSV", package: "SwiftCSV"),
      ],
      resources: [
        .embedInCode("Resources/Playbooks"), .embedInCode("PowerShell/Scripts"),
        .embedInCode("Facts/Kinds/Collectors"),
      ]
    ),
    .executableTarget(
      name: "winaudit",
      dependencies: [
        "WinAudit", "RemotePowerShell", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // A Windows PowerShell 5.1 subset: parser, evaluator, language-level cmdlets.
    .target(name: "PowerShellInterpreter"),
    // The Windows host double: modelled host state, host cmdlets, login shell, lab orchestration.
    .target(
      name: "WinLab",
      dependencies: [
        "PowerShellInterpreter", "RemotePowerShell", .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOTLS", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
      ]
    ),
    .executableTarget(
      name: "winlab",
      dependencies: ["WinLab", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "PowerShellInterpreterTests", dependencies: ["PowerShellInterpreter"]),
    .testTarget(
      name: "RDPProbeTests",
      dependencies: [
        "RDPProbe", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]
    ),
    .testTarget(
      name: "WinLabTests",
      dependencies: [
        "WinLab", "PowerShellInterpreter", "RemotePowerShell", .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .testTarget(
      name: "TransportTests",
      dependencies: [
        "SSHClient", "RemotePowerShell", .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "WinAuditTests",
      dependencies: [
        "WinAudit", "RemotePowerShell", "RDPProbe", .product(name: "PropertyBased", package: "swift-property-based"),
        // Reads the CSV report back with an independent RFC 4180 parser; reads the Kubernetes sample.
        .product(name: "SwiftCSV", package: "SwiftCSV"), .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["References", "Support/psparse.py"]
    ),
    .testTarget(
      name: "EndToEndTests", dependencies: ["WinAudit", "WinLab", "RemotePowerShell", "SSHClient", "RDPProbe"]),
  ]
)
