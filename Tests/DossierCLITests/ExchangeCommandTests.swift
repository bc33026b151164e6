import Foundation
import Testing

/// `dossier exchange …` and `dossier agency …` through the built executable: two nodes in two
/// data directories, as the README's tour does it, with the JSON contracts scripts rely on.
@Suite struct ExchangeCommandTests {
    private struct ImportJSON: Decodable {
        var kind: String
        var person: Int64?
        var draft: Int64?
        var status: String
    }

    private struct PendingJSON: Decodable {
        var action: Int64
        var person: Int64
        var to: String
        var exported_on: String
        var days_waiting: Int
    }

    private static func number(after prefix: String, in text: String) -> Int64? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int64(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func aTransferGoesFromOneNodeToTheOtherAndItsReceiptComesBack() async throws {
        try await withScratchDirectory { scratch in
            let a = DossierNode(scratch: scratch, name: "a")
            let b = DossierNode(scratch: scratch, name: "b")
            let agencyA = Fixture.creditCode(601)
            let agencyB = Fixture.creditCode(602)
            let orgA = Fixture.creditCode(611)
            let orgB = Fixture.creditCode(612)
            try await a.succeed(["init", "--agency", agencyA, "--agency-name", "甲厅"])
            try await b.succeed(["init"])
            let unset = try await b.run(["agency", "show"])
            #expect(unset.status == 1 && unset.stderr.contains("agency set"), "\(unset)")
            try await b.succeed(["agency", "set", agencyB, "--name", "乙厅"])
            let shown = try await b.succeed(["agency", "show", "--format", "json"])
            #expect(
                try JSONDecoder().decode([String: String].self, from: shown.stdoutData)
                    == ["code": agencyB, "name": "乙厅"]
            )
            for (node, org, agency) in [(a, orgA, agencyA), (b, orgB, agencyB)] {
                try await ActionRaceTests.addMakerAndChecker(node)
                try await node.addOrganization(code: org, name: "Office")
                try await node.setQuota(org: org, approved: 3)
                try await node.succeed(["keys", "generate", "--alg", "ed25519"])
                let key = try await node.succeed(["keys", "export"])
                #expect(key.stderr.contains("speaks for") && key.stderr.contains(agency), "\(key)")
                try Data(key.stdoutData).write(to: scratch.appendingPathComponent("\(agency).pem"))
            }
            try await a.succeed([
                "keys", "trust", scratch.appendingPathComponent("\(agencyB).pem").path, "--agency", agencyB,
            ])
            try await b.succeed([
                "keys", "trust", scratch.appendingPathComponent("\(agencyA).pem").path, "--agency", agencyA,
            ])
            let person = try await ActionRaceTests.addPerson(a, number: 731, org: orgA)

            let drafted = try await a.succeed([
                "action", "draft", String(person), "--kind", "transfer-out", "--on", "2026-11-02", "--to", agencyB,
                "--reason", "转任", "--as", "officer",
            ])
            let transferOut = try #require(Self.number(after: "Drafted as number ", in: drafted.stdout), "\(drafted)")
            try await a.succeed(["action", "approve", String(transferOut), "--as", "approver"])
            let package = scratch.appendingPathComponent("transfer.tar").path
            let exported = try await a.succeed([
                "exchange", "export", "--action", String(transferOut), "--out", package,
            ])
            #expect(exported.stdout.isEmpty && exported.stderr.isEmpty, "\(exported)")
            let pending = try await a.succeed(["exchange", "pending", "--format", "json", "--today", "2026-12-04"])
            let rows = try JSONDecoder().decode([PendingJSON].self, from: pending.stdoutData)
            #expect(rows.map(\.action) == [transferOut] && rows.first?.to == agencyB, "\(pending)")
            // The archive verifier, on the receiving node, accepts the transfer package as a package.
            try await b.succeed(["archive", "verify", package])

            let placement = ["--org", orgB, "--category", "admin", "--on", "2026-11-09", "--format", "json"]
            let imported = try await b.succeed(["exchange", "import", package, "--as", "officer"] + placement)
            let result = try JSONDecoder().decode(ImportJSON.self, from: imported.stdoutData)
            #expect(result.kind == "transfer" && result.status == "imported", "\(imported)")
            let again = try await b.succeed(["exchange", "import", package, "--as", "officer"] + placement)
            #expect(try JSONDecoder().decode(ImportJSON.self, from: again.stdoutData).status == "already-imported")
            let draft = try #require(result.draft)
            try await b.succeed(["action", "approve", String(draft), "--as", "approver"])
            let receipt = scratch.appendingPathComponent("receipt.tar").path
            try await b.succeed(["exchange", "receipt", "--action", String(draft), "--out", receipt, "--as", "officer"])

            let closed = try await a.succeed(["exchange", "import", receipt, "--format", "json", "--as", "officer"])
            let answer = try JSONDecoder().decode(ImportJSON.self, from: closed.stdoutData)
            #expect(answer.kind == "receipt" && answer.person == person && answer.draft == nil, "\(closed)")
            let none = try await a.succeed(["exchange", "pending", "--format", "json"])
            #expect(try JSONDecoder().decode([PendingJSON].self, from: none.stdoutData).isEmpty)
            #expect(try await b.quotaRows(["--org", orgB]).map(\.occupied) == [1])
        }
    }
}
