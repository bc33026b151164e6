import ArgumentParser
import DossierCore
import DossierService
import Foundation

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a signed backup of the node while it runs (database, document files, policies, public keys).",
        discussion: """
            The backup is one tar file: a consistent copy of the database taken while work goes on, the \
            document files it refers to, the node's own policies and tables, its public keys and \
            certificates, and a manifest of SHA-256 digests signed with the node's key. The secret keys \
            are NOT in it: write them with 'dossier keys backup' and keep that file and its passphrase \
            somewhere else. Restore with 'dossier restore'. Administrators only; recorded in the audit log.
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "The backup file to write (it must not exist yet).") var out: String

    func run() async throws {
        try await DossierCommand.perform {
            let meter = ProgressMeter(label: "backup", unit: .bytes)
            let summary = try await global.open().backUp(to: out) { meter.show($0) }
            meter.end()
            print(
                "Backed up the node to \(summary.path): \(summary.files) files (\(summary.documents) document files), \(summary.bytes) bytes, up to audit entry \(summary.auditHead ?? 0), signed with key \(summary.keyID)."
            )
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new, empty data directory, check it, and only then keep it.",
        discussion: """
            The whole backup is checked before anything is written: every file against the signed \
            manifest. With --keys (the file 'dossier keys backup' wrote; its passphrase is read from the \
            first line of standard input) the keys are put back, the backup must be signed by one of the \
            node's own keys, and the restored node must pass 'dossier check'. Without --keys only the \
            key inside the backup vouches for it, and the node cannot open until its keys are back. \
            A damaged, truncated or altered backup is refused and nothing is left behind.
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var file: String
    @Option(help: "The key backup written by 'dossier keys backup'.") var keys: String?

    func run() async throws {
        var passphrase: String?
        if keys != nil {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Give the key backup's passphrase on standard input (one line).")
            }
            passphrase = line
        }
        try await DossierCommand.perform {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            let checking = ProgressMeter(label: "checking the backup", unit: .bytes, total: size)
            let restoring = ProgressMeter(label: "restoring", unit: .bytes, total: size)
            let summary = try await Dossier.restore(
                from: file,
                into: global.directory,
                keyBackup: keys.map { ($0, passphrase!) }
            ) { phase, bytes in
                switch phase {
                case .checking: checking.show(bytes)
                case .restoring:
                    checking.end()
                    restoring.show(bytes)
                }
            }
            checking.end()
            restoring.end()
            print("Restored \(summary.files) files into \(summary.directory).")
            if summary.signerIsNodeKey {
                print("The backup was signed with the node's key \(summary.keyID).")
            } else {
                print(
                    "The backup was signed with key \(summary.keyID): compare it with the node's key ('dossier keys list' on the old node, or your records). Put the keys back before opening the node."
                )
            }
            if let check = summary.check {
                print(
                    "The restored node passed its check (\(check.examined[.placements] ?? 0) people, \(check.examined[.audit] ?? 0) audit entries)."
                )
            }
        }
    }
}
