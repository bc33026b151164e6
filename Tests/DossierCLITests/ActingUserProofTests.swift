import Foundation
import Testing

/// Who acts on the command line: the administrator by holding the data directory, anyone else
/// only with their API token or their password; every audit entry says how the actor was proven.
@Suite struct ActingUserProofTests {
    /// A demo node with one organisation that has room, and the arguments of a hire into it.
    private func node(_ scratch: URL) async throws -> (node: DossierNode, hire: (Int) -> [String]) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["demo", "--people", "10", "--seed", "3"])
        let org = Fixture.creditCode(7)
        try await node.addOrganization(code: org, name: "ProofBureau")
        try await node.setQuota(org: org, approved: 5)
        return (node, { DossierNode.personAdd(idNumber: Fixture.identityNumber($0), org: org, hiredOn: "2022-03-01") })
    }

    /// The audit log's last entry, decoded, with its details object.
    private func lastEntry(
        _ node: DossierNode
    ) async throws -> (actor: String, action: String, details: [String: String]) {
        let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "100000"])
        let entries = try #require(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        let last = try #require(entries.last)
        let details = try #require(last["details"] as? String)
        return (
            try #require(last["actor"] as? String),
            try #require(last["action"] as? String),
            try JSONDecoder().decode([String: String].self, from: Data(details.utf8))
        )
    }

    @Test func namingAnotherUserWithoutProofIsRefusedAndChangesNothing() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            let before = try await node.auditHead()
            for environment in [["DOSSIER_TOKEN": ""], ["DOSSIER_USER": "officer", "DOSSIER_TOKEN": ""]] {
                let arguments = hire(1) + (environment["DOSSIER_USER"] == nil ? ["--as", "officer"] : [])
                let refused = try await node.run(arguments, environment: environment)
                #expect(refused.status == 1, "\(refused)")
                #expect(refused.stderr.contains("needs proof that you are officer"), "\(refused)")
                #expect(refused.stderr.contains("DOSSIER_TOKEN"), "\(refused)")
            }
            #expect(try await node.auditHead() == before)
            #expect(try await node.people().count == 10)
        }
    }

    @Test func theAdministratorActsByHoldingTheDataDirectoryAndTheEntrySaysSo() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            try await node.succeed(hire(1))
            let entry = try await lastEntry(node)
            #expect(entry.actor == "admin" && entry.action == "person.add")
            #expect(entry.details["proven_by"] == "data-directory")
        }
    }

    @Test func aTokenProvesItsOwnerWithOrWithoutTheirName() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            let token = try #require(try await node.token(for: "officer"))
            try await node.succeed(hire(1) + ["--as", "officer"])
            var entry = try await lastEntry(node)
            #expect(entry.actor == "officer" && entry.details["proven_by"] == "token")

            // The token alone names its owner.
            let alone = try await node.run(hire(2), environment: ["DOSSIER_TOKEN": token])
            #expect(alone.status == 0, "\(alone)")
            entry = try await lastEntry(node)
            #expect(entry.actor == "officer" && entry.details["proven_by"] == "token")
        }
    }

    @Test func oneUsersTokenDoesNotLetThemActAsAnotherToApproveTheirOwnDraft() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            let officerToken = try #require(try await node.token(for: "officer"))
            let drafted = try await node.succeed(hire(1) + ["--as", "officer", "--for-approval"])
            // "Filed as file number N; the hire is draft D, waiting for approval."
            let draft = try #require(
                drafted.stdout.split(separator: " ").drop { $0 != "draft" }.dropFirst().first.flatMap {
                    Int($0.trimmingCharacters(in: .punctuationCharacters))
                },
                "\(drafted)"
            )
            let before = try await node.auditHead()
            for claimed in ["approver", "admin"] {
                let approval = try await node.run(
                    ["action", "approve", String(draft), "--as", claimed],
                    environment: ["DOSSIER_TOKEN": officerToken]
                )
                #expect(approval.status == 1, "\(approval)")
                #expect(approval.stderr.contains("is not one of '\(claimed)''s tokens"), "\(approval)")
            }
            let forged = try await node.run(
                ["action", "approve", String(draft), "--as", "approver"],
                environment: ["DOSSIER_TOKEN": "dsr_" + String(repeating: "0", count: 64)]
            )
            #expect(forged.status == 1 && forged.stderr.contains("not valid"), "\(forged)")
            #expect(try await node.auditHead() == before)

            // The approver's own token approves, and the entry says how they were proven.
            try await node.succeed(["action", "approve", String(draft), "--as", "approver"])
            let entry = try await lastEntry(node)
            #expect(entry.actor == "approver" && entry.action == "action.approve")
            #expect(entry.details["proven_by"] == "token")
        }
    }

    /// Runs `dossier ARGUMENTS` at a pseudo-terminal and types `typed` once it asks for a
    /// password, as a person would (Python's `pty`; everything the terminal showed is `stdout`).
    private func atTerminal(
        _ node: DossierNode,
        _ arguments: [String],
        typing typed: String
    ) async throws
        -> CommandResult
    {
        let driver = """
            import os, pty, sys
            typed = sys.argv[1].encode() + b"\\n"
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[2], sys.argv[2:])
            shown = b""
            while True:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
                if typed and b"Password for" in shown:
                    os.write(fd, typed)
                    typed = b""
            sys.stdout.write(shown.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """
        return try await runCommand(
            URL(fileURLWithPath: "/usr/bin/python3"),
            ["-c", driver, typed, try DossierBinary.require().path] + arguments + ["--data", node.directory.path],
            environment: DossierBinary.environment(),
            scratch: node.scratch
        )
    }

    /// Runs `dossier ARGUMENTS` at a pseudo-terminal, answering each prompt of `answers` (in
    /// order) as it appears; everything the terminal showed is `stdout`.
    private func atTerminal(
        _ node: DossierNode,
        _ arguments: [String],
        answering answers: [(prompt: String, typed: String)]
    ) async throws -> CommandResult {
        let driver = """
            import os, pty, sys
            pairs = sys.argv[1].split("\\x1f")
            answers = [(pairs[i].encode(), pairs[i + 1].encode() + b"\\n") for i in range(0, len(pairs), 2)]
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[2], sys.argv[2:])
            shown = b""
            answered = 0
            while True:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
                found = shown.find(answers[0][0], answered) if answers else -1
                if found >= 0:
                    prompt, typed = answers.pop(0)
                    answered = found + len(prompt)
                    os.write(fd, typed)
            sys.stdout.write(shown.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """
        let pairs = answers.flatMap { [$0.prompt, $0.typed] }.joined(separator: "\u{1F}")
        return try await runCommand(
            URL(fileURLWithPath: "/usr/bin/python3"),
            ["-c", driver, pairs, try DossierBinary.require().path] + arguments + ["--data", node.directory.path],
            environment: DossierBinary.environment(),
            scratch: node.scratch
        )
    }

    @Test func aNewPasswordTypedAtATerminalIsAskedTwiceUnseenAndTwoThatDifferChangeNothing() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            let password = "correct horse battery"
            let differ = try await atTerminal(
                node,
                ["user", "password", "officer"],
                answering: [("New password for officer:", password), ("again:", "correct horse battery!")]
            )
            #expect(differ.status == 1 && differ.stdout.contains("differ; nothing was changed"), "\(differ)")
            #expect(!differ.stdout.contains(password), "the typed password must not be echoed")
            let unchanged = try await atTerminal(node, hire(1) + ["--as", "officer"], typing: password)
            #expect(unchanged.status == 1, "the password was not changed: \(unchanged)")

            let set = try await atTerminal(
                node,
                ["user", "password", "officer"],
                answering: [("New password for officer:", password), ("again:", password)]
            )
            #expect(set.status == 0 && set.stdout.contains("Set the password of officer."), "\(set)")
            #expect(!set.stdout.contains(password), "the typed password must not be echoed")
            let proven = try await atTerminal(node, hire(1) + ["--as", "officer"], typing: password)
            #expect(proven.status == 0, "the new password proves the officer: \(proven)")
        }
    }

    @Test func aPasswordTypedAtATerminalProvesTheUserAndAWrongOneIsRecorded() async throws {
        try await withScratchDirectory { scratch in
            let (node, hire) = try await node(scratch)
            let password = "correct horse battery"
            let passwordFile = scratch.appendingPathComponent("password")
            try Data((password + "\n").utf8).write(to: passwordFile)
            let set = try await runCommand(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "exec \"$0\" \"$@\" < \"\(passwordFile.path)\"", try DossierBinary.require().path]
                    + ["user", "password", "officer", "--data", node.directory.path],
                environment: DossierBinary.environment(),
                scratch: scratch
            )
            #expect(set.status == 0, "\(set)")

            let wrong = try await atTerminal(node, hire(1) + ["--as", "officer"], typing: "not the password")
            #expect(wrong.status == 1, "\(wrong)")
            #expect(wrong.stdout.contains("Password for officer:"), "\(wrong)")
            #expect(wrong.stdout.contains("The password for 'officer' is wrong"), "\(wrong)")
            #expect(!wrong.stdout.contains("not the password"), "the typed password must not be echoed")
            var entry = try await lastEntry(node)
            #expect(entry.action == "auth.failure" && entry.details["client"] == "command line")
            #expect(try await node.people().count == 10)

            let right = try await atTerminal(node, hire(1) + ["--as", "officer"], typing: password)
            #expect(right.status == 0, "\(right)")
            #expect(!right.stdout.contains(password), "the typed password must not be echoed")
            entry = try await lastEntry(node)
            #expect(entry.actor == "officer" && entry.action == "person.add")
            #expect(entry.details["proven_by"] == "password")
        }
    }
}
