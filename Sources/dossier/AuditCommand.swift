import ArgumentParser
import DossierCore
import DossierService

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit log: verify it, print its head, read it.",
        subcommands: [Verify.self, Head.self, Log.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry's hash and link; name the first entry that does not match.",
            discussion:
                "Exits 0 when the whole chain verifies, 1 otherwise. Compare the head with one you kept (dossier audit head) to detect a removed tail."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DossierCommand.perform {
                let result = try await global.open().verifyAudit()
                if let broken = result.firstBroken {
                    printError(
                        "dossier: the audit log does not verify at entry \(broken): \(result.problem ?? "mismatch"). \(result.checked) entries before it are sound."
                    )
                    throw ExitCode.failure
                }
                print(
                    "The audit log verifies: \(result.checked) entries, head \(result.headSeq ?? 0) \(result.headHash ?? "")"
                )
            }
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the last entry's sequence number and hash, to keep somewhere outside Dossier."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                guard let head = try await global.open().auditHead() else {
                    print("The audit log is empty.")
                    return
                }
                if output.format == .json {
                    print(try JSONOutput.encode(AuditEntryJSON(head)))
                } else {
                    print("\(head.seq) \(head.hash)")
                }
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print audit entries, oldest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Start after this sequence number.") var after: Int64 = 0
        @Option(help: "At most this many entries.") var limit = 100

        func run() async throws {
            try await DossierCommand.perform {
                let entries = try await global.open().auditLog(after: after, limit: limit)
                if output.format == .json {
                    print(try JSONOutput.encode(entries.map(AuditEntryJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["seq", "at", "actor", "action", "subject", "details"],
                            rows: entries.map { [String($0.seq), $0.at, $0.actor, $0.action, $0.subject, $0.details] }
                        ).render(output.format)
                    )
                }
            }
        }
    }
}
