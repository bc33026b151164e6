import ArgumentParser
import DossierCrypto
import DossierService

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The node's signing key, for signed archive and exchange packages.",
        subcommands: [Generate.self, List.self, Export.self]
    )

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

        func run() throws {
            try DossierCommand.perform {
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
