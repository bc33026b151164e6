import ArgumentParser
import DossierCore
import DossierService

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit log: verify it, print its head, read it, sign checkpoints.",
        subcommands: [Verify.self, Head.self, Log.self, Checkpoint.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry's hash and link, and every signed checkpoint; name the first that fails.",
            discussion:
                "Exits 0 when the whole chain and every checkpoint verify, 1 otherwise. A checkpoint (dossier audit checkpoint) fails when the chain was rewritten after it was signed. Compare the head with one you kept (dossier audit head) to detect a removed tail."
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
                if let problem = result.checkpointProblem {
                    printError("dossier: the audit log does not verify against its signed checkpoints. \(problem)")
                    throw ExitCode.failure
                }
                print(
                    "The audit log verifies: \(result.checked) entries, head \(result.headSeq ?? 0) \(result.headHash ?? ""); \(result.checkpointsChecked) signed checkpoint(s) hold."
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
        static let configuration = CommandConfiguration(
            abstract: "Print audit entries, oldest first (or newest first), with filters.",
            discussion: """
                Times are shown in this machine's time zone (JSON keeps the recorded UTC time). \
                --action takes one action (action.approve) or, ending in a dot, a family (action.). \
                --from and --to are days in this machine's time zone, both included.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Start after this sequence number (before it, with --newest-first).") var after: Int64?
        @Option(help: "At most this many entries.") var limit = 100
        @Option(help: "Only entries about this person (file number).") var person: Int64?
        @Option(help: "Only entries made by this user.") var user: String?
        @Option(help: "Only this action, or a family of them ending in '.' (e.g. action.).") var action: String?
        @Option(help: "From this day (YYYY-MM-DD).", transform: Parse.date) var from: CivilDate?
        @Option(help: "To this day, included (YYYY-MM-DD).", transform: Parse.date) var to: CivilDate?
        @Flag(help: "Newest entries first.") var newestFirst = false

        func run() async throws {
            try await DossierCommand.perform {
                let entries = try await global.open().auditLog(
                    person: person,
                    user: user,
                    action: action,
                    from: from,
                    to: to,
                    newestFirst: newestFirst,
                    cursor: after,
                    limit: limit
                )
                if output.format == .json {
                    print(try JSONOutput.encode(entries.map(AuditEntryJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["seq", "at", "actor", "action", "subject", "details"],
                            rows: entries.map {
                                [
                                    String($0.seq), AuditText.localTime($0.at), $0.actor, $0.action, $0.subject,
                                    $0.details,
                                ]
                            },
                            chineseHeaders: ["序号", "时间", "操作人", "操作", "对象", "内容"]
                        ).render(output.format)
                    )
                    if output.format == .table, entries.count == limit, let last = entries.last {
                        printError("… \(limit) entries shown; --after \(last.seq) for more.")
                    }
                }
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the audit log's head with the node's key (administrators), or print the checkpoints.",
            discussion: """
                A checkpoint is the node's signature over the last entry's number and hash, the time and the \
                agency's credit code. 'dossier audit verify' checks every checkpoint against the chain, so a chain \
                rewritten after it fails even though each entry links to the one before. The server signs one \
                every day. With --export, prints every checkpoint with the exact text signed and the signature \
                (base64), for an inspector to check with openssl (Archives/README.md).
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Flag(help: "Print every checkpoint, with its signed text and signature, instead of making one.")
        var export = false

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                guard export else {
                    let made = try await node.makeCheckpoint()
                    print(
                        "Signed checkpoint \(made.number): entry \(made.seq) \(made.hash), key \(made.keyID) (\(made.algorithm))."
                    )
                    return
                }
                let checkpoints = try await node.auditCheckpoints()
                if output.format == .json {
                    print(try JSONOutput.encode(checkpoints.map(AuditCheckpointJSON.init)))
                } else {
                    // One block per checkpoint, in the form Archives/README.md cuts apart with sed:
                    // the signed text's own lines, exactly, between the checkpoint's other fields.
                    print(checkpoints.map(AuditCheckpointJSON.exportBlock).joined(separator: "\n"), terminator: "")
                }
            }
        }
    }
}
