import ArgumentParser
import DossierCore
import DossierCrypto
import DossierService
import Foundation

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The node's signing key, for signed archive and exchange packages.",
        subcommands: [
            Generate.self, List.self, Export.self, Request.self, Certificate.self, Trust.self, Revoke.self,
            Backup.self,
        ]
    )

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the node's secret keys to a file sealed with a passphrase (read from standard input).",
            discussion: """
                The field key (without it the identity numbers cannot be read) and every signing key, with \
                the certificates, sealed with AES-256 under a passphrase of at least 12 characters read from \
                the first line of standard input. 'dossier backup' leaves these out on purpose: keep this \
                file and its passphrase apart from the backups (another place, another person). It opens \
                with OpenSSL alone: \(PassphraseBox.openSSLCommand) -in FILE
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The file to write (it must not exist yet).") var out: String

        func run() async throws {
            guard let passphrase = readLine(strippingNewline: true), !passphrase.isEmpty else {
                throw ValidationError("Give the passphrase on standard input (one line).")
            }
            try await DossierCommand.perform {
                let names = try await global.open().backUpKeys(to: out, passphrase: passphrase)
                print(
                    "Wrote \(names.count) key files (\(names.joined(separator: ", "))) to \(out), sealed with the passphrase."
                )
            }
        }
    }

    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust another agency's public key, or a root certificate, for checking packages, for a period.",
            discussion: """
                A root certificate (of the certificate authority that certifies agencies' keys) vouches for every \
                agency whose package carries a certificate chain leading to it.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The agency's public key file (from 'dossier keys export'), or a root certificate (PEM).")
        var file: String
        @Option(help: "The credit code of the agency (or of the authority that runs the root).", transform: Parse.code)
        var agency: CreditCode
        @Option(name: .customLong("from"), help: "Trusted from (YYYY-MM-DD; default today).", transform: Parse.date)
        var from: CivilDate?
        @Option(help: "Trusted until (YYYY-MM-DD; default: until revoked).", transform: Parse.date) var until:
            CivilDate?

        func run() async throws {
            try await DossierCommand.perform {
                let key = try await global.open().trustKey(
                    file: file,
                    agency: agency,
                    from: from ?? global.currentDate,
                    until: until
                )
                if let subject = key.subject {
                    print(
                        "Trusted root certificate \(subject), key \(key.keyID) (\(key.algorithm)), of \(key.agencyCode)."
                    )
                } else {
                    print("Trusted key \(key.keyID) (\(key.algorithm)) of \(key.agencyCode).")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a trusted key, or one of this node's earlier keys: packages it signed are refused.",
            discussion: """
                The key this node signs with cannot be revoked: make a new one with 'dossier keys generate --replace' \
                first, then revoke the old one. A revocation is never withdrawn.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: "The key id (16 hex digits, as 'dossier keys list' shows it), or the key's file as it was trusted."
        )
        var key: String
        @Option(help: "Why it is revoked.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                let isKeyID = key.count == 16 && key.allSatisfy(\.isHexDigit)
                guard isKeyID || FileManager.default.fileExists(atPath: key) else {
                    throw ServiceError(
                        .invalid,
                        "'\(key)' is neither a key id (16 hex digits, as 'dossier keys list' shows) nor a key file.",
                        zh: "“\(key)”既不是密钥标识（16 位十六进制，见 dossier keys list），也不是密钥文件。"
                    )
                }
                let keyID = isKeyID ? key : try Dossier.keyID(ofFile: key)
                try await global.open().revokeKey(keyID, reason: reason)
                print("Revoked key \(keyID).")
            }
        }
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the node's signing key (the private key stays in DATA/keys, readable by its owner only)."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "sm2 (SM2 with SM3), ed25519 or ecdsa-p256.") var alg: String = "sm2"
        @Flag(help: "Replace the current key; the old one is kept to check packages it signed.") var replace = false

        func run() async throws {
            guard let algorithm = SignatureAlgorithm(rawValue: alg) else {
                throw ValidationError("--alg must be sm2, ed25519 or ecdsa-p256.")
            }
            try await DossierCommand.perform {
                let info = try await global.open().generateSigningKey(algorithm, replace: replace)
                print("Created a \(info.algorithm) signing key, key id \(info.keyID).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the node's signing keys.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        @Flag(help: "List the trust store (other agencies' keys) instead.") var trusted = false

        func run() async throws {
            try await DossierCommand.perform {
                if trusted {
                    let entries = try await global.open().trustStore()
                    if output.format == .json {
                        print(try JSONOutput.encode(entries.map(TrustedKeyJSON.init)))
                    } else {
                        print(
                            Listing(
                                headers: ["key id", "agency", "kind", "algorithm", "from", "until", "state"],
                                rows: entries.map {
                                    [
                                        $0.keyID, $0.agencyCode, $0.subject.map { "root \($0)" } ?? "key",
                                        $0.algorithm, $0.validFrom.description,
                                        $0.validUntil?.description ?? "", $0.revokedAt == nil ? "trusted" : "revoked",
                                    ]
                                }
                            ).render(output.format)
                        )
                    }
                    return
                }
                let keys = try await global.open().signingKeys()
                if output.format == .json {
                    print(try JSONOutput.encode(keys.map(SigningKeyJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["key id", "algorithm", "state", "certificate", "expires"],
                            rows: keys.map {
                                [
                                    $0.keyID, $0.algorithm,
                                    $0.active ? "active" : $0.revokedAt == nil ? "kept" : "revoked",
                                    $0.certificate ?? "",
                                    $0.certificateExpires ?? "",
                                ]
                            }
                        ).render(output.format)
                    )
                }
            }
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a certificate request for the active key, to send to the certificate authority.",
            discussion: """
                The authority (the one inspectors trust) returns a certificate; install it with \
                'dossier keys certificate FILE'. The request holds only the public key and the names given.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The agency's name, as the certificate should show it.") var organization: String
        @Option(help: "A name for this key, e.g. 'Dossier 档案签名'.") var name: String = "Dossier"
        @Option(help: "Two-letter country code.") var country: String = "CN"

        func run() async throws {
            try await DossierCommand.perform {
                await print(
                    try global.open().certificateRequest(organization: organization, name: name, country: country),
                    terminator: ""
                )
            }
        }
    }

    struct Certificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the certificate issued for the active key; packages then carry it.",
            discussion: """
                FILE is PEM: the node's certificate first, then any intermediate certificates. The certificate \
                must be for the active key, allow signing, and be valid today.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The certificate file (PEM).") var file: String

        func run() async throws {
            try await DossierCommand.perform {
                let info = try await global.open().installCertificate(file: file)
                print(
                    "Installed the certificate \(info.certificate ?? "?") for key \(info.keyID), valid until \(info.certificateExpires ?? "?")."
                )
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the active key's public half (PEM), for other agencies and inspectors."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                print(try node.exportPublicKey(), terminator: "")
                // On standard error, so the key file stays a plain PEM file.
                if let agency = try await node.agency() {
                    printError(
                        "This key speaks for \(agency.name) (\(agency.code)): trust it with --agency \(agency.code)."
                    )
                } else {
                    printError("This node does not yet say which agency it speaks for ('dossier agency set').")
                }
            }
        }
    }
}
