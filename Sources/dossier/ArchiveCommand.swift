import ArgumentParser
import DossierArchive
import DossierService
import Foundation

struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Signed archive packages of a person's whole file, and checking them offline.",
        discussion: """
            A package is a BagIt bag in a tar file: the record (data/record.json), the documents by class, \
            SHA-256 and SM3 manifests, and a signature over the tag manifest. See Archives/README.md for \
            checking one with stock tools only.
            """,
        subcommands: [Pack.self, Verify.self, List.self, Extract.self]
    )

    struct Pack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pack a person's file into a signed package.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Option(help: "Where to write it (default: DATA/packages/PACKAGE-ID.tar).") var out: String?
        @Flag(help: "Compress with zstd.") var zstd = false

        func run() async throws {
            try await DossierCommand.perform {
                let summary = try await global.open().packArchive(personID: person, out: out, zstd: zstd)
                print("Packed \(summary.files) files (\(summary.payloadBytes) bytes), signed by key \(summary.keyID):")
                print(summary.path)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a package: structure and safety, every digest, the signature and its key.",
            discussion: """
                Prints a report by aspect — authenticity 真实性, integrity 完整性, usability 可用性, security 安全性 — \
                and exits 0 only if all hold. The signer must be trusted: the node's own keys, the node's trust \
                store, or a public key or root certificate given with --trust (no node is needed then). A package \
                whose signer holds a certificate is trusted when that certificate chains to a trusted root and is \
                valid today.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The package file.") var file: String
        @Option(help: "A public key or root certificate (PEM) to trust; may be repeated.") var trust: [String] = []

        func run() async throws {
            try await DossierCommand.perform {
                let brought = try PackageInspection.anchors(fromFiles: trust)
                // On a node, the node's use case (its trust store and revocations too); without
                // one, only what was brought along with --trust.
                let report =
                    await global.directory.exists
                    ? try global.open().verifyPackage(at: file, alsoTrusted: brought)
                    : PackageInspection.verify(path: file, trusted: brought)
                if output.format == .json {
                    print(try JSONOutput.encode(VerificationReportJSON(report)))
                } else {
                    print(
                        "Package \(report.packageID ?? "?"): \(report.files) files, \(report.payloadBytes) bytes, key \(report.keyID ?? "?")"
                    )
                    if let signer = report.signer { print("Signed by: \(signer) (certificate)") }
                    for aspect in VerificationReport.Aspect.allCases {
                        let problems = report.problems[aspect] ?? []
                        print("\(aspect.chineseName) \(aspect.rawValue): \(problems.isEmpty ? "holds" : "FAILS")")
                        for problem in problems { print("  - \(problem)") }
                    }
                }
                if !report.passed { throw ExitCode.failure }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a package's files (checked, not extracted).")
        @Argument(help: "The package file.") var file: String

        func run() async throws {
            do {
                for entry in try PackageExtractor.list(path: file) { print("\(entry.size)\t\(entry.path)") }
            } catch {
                printError("dossier: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract a package into a new folder (files only, checked before anything is written)."
        )
        @Argument(help: "The package file.") var file: String
        @Argument(help: "The folder to create.") var folder: String

        func run() async throws {
            do {
                try PackageExtractor.extract(path: file, to: folder)
                print("Extracted into \(folder).")
            } catch {
                printError("dossier: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
