import ArgumentParser
import DossierCore
import DossierCrypto
import DossierService

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The node's signing key, for signed archive and exchange packages.",
        subcommands: [Generate.self, List.self, Export.self, Trust.self, Revoke.self]
    )

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust another agency's public key (PEM) for checking its packages, for a period."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The agency's public key file (from 'dossier keys export').") var file: String
        @Option(help: "The agency's credit code.", transform: Parse.code) var agency: CreditCode
        @Option(name: .customLong("from"), help: "Trusted from (YYYY-MM-DD; default today).", transform: Parse.date)
        var from: CivilDate?
        @Option(help: "Trusted until (YYYY-MM-DD; default: until revoked).", transform: Parse.date) var until:
            CivilDate?

        func run() throws {
            try DossierCommand.perform {
                let key = try global.open().trustKey(file: file, agency: agency, from: from ?? .today(), until: until)
                print("Trusted key \(key.keyID) (\(key.algorithm)) of \(key.agencyCode).")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a trusted key: its packages are refused.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key id (16 hex digits).") var keyID: String
        @Option(help: "Why it is revoked.") var reason: String

        func run() throws {
            try DossierCommand.perform {
                try global.open().revokeKey(keyID, reason: reason)
                print("Revoked key \(keyID).")
            }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the node's signing key (the private key stays in DATA/keys, readable by its owner only)."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "sm2 (SM2 with SM3), ed25519 or ecdsa-p256.") var alg: String = "sm2"
        @Flag(help: "Replace the current key; the old one is kept to check packages it signed.") var replace = false

        func run() throws {
            guard let algorithm = SignatureAlgorithm(rawValue: alg) else {
                throw ValidationError("--alg must be sm2, ed25519 or ecdsa-p256.")
            }
            try DossierCommand.perform {
                let info = try global.open().generateSigningKey(algorithm, replace: replace)
                print("Created a \(info.algorithm) signing key, key id \(info.keyID).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the node's signing keys.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        @Flag(help: "List the trust store (other agencies' keys) instead.") var trusted = false

        func run() throws {
            try DossierCommand.perform {
                if trusted {
                    let entries = try global.open().trustStore()
                    if output.format == .json {
                        print(try JSONOutput.encode(entries))
                    } else {
                        print(
                            Listing(
                                headers: ["key id", "agency", "algorithm", "from", "until", "state"],
                                rows: entries.map {
                                    [
                                        $0.keyID, $0.agencyCode, $0.algorithm, $0.validFrom.description,
                                        $0.validUntil?.description ?? "", $0.revokedAt == nil ? "trusted" : "revoked",
                                    ]
                                }
                            ).render(output.format)
                        )
                    }
                    return
                }
                let keys = try global.open().signingKeys()
                if output.format == .json {
                    print(try JSONOutput.encode(keys))
                } else {
                    print(
                        Listing(
                            headers: ["key id", "algorithm", "state"],
                            rows: keys.map { [$0.keyID, $0.algorithm, $0.active ? "active" : "kept"] }
                        ).render(output.format)
                    )
                }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the active key's public half (PEM), for other agencies and inspectors."
        )
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try DossierCommand.perform {
                print(try global.open().exportPublicKey(), terminator: "")
            }
        }
    }
}
