import DossierTestSupport
import Foundation
import Testing

/// `dossier reconcile import`: a feed goes in all or nothing, problems one per line on stderr
/// with their row numbers, and identity numbers never in clear in the database file.
@Suite struct ReconcileCommandTests {
    private let header = "公民身份号码,姓名,单位统一社会信用代码,险种类型,个人缴费状态,离退休标志,状态变更日期"

    @Test func aFeedImportsEndToEndAndABadOneIsRefusedWithItsProblemsAndExitStatusOne() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            let known = Fixture.identityNumber(42)
            let stranger = Fixture.identityNumber(43, born: "1970-03-04")
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "FeedBureau")
            try await node.setQuota(org: org, approved: 2)
            try await node.addPerson(idNumber: known, org: org, hiredOn: "2021-01-04")

            let good = scratch.appendingPathComponent("社保.csv")
            try (header + "\n\(known),张测试,\(org),110,2,0,2026-10-01\n\(stranger),王外人,\(org),310,1,0,2025-01-01\n")
                .write(to: good, atomically: true, encoding: .utf8)
            let bad = scratch.appendingPathComponent("bad.csv")
            try (header + "\n\(known),张测试,\(org),110,1,0,2026-10-01\n\(known),张测试,\(org),999,1,0,2026-10-01\n")
                .write(to: bad, atomically: true, encoding: .utf8)
            let arguments = ["reconcile", "import", "--kind", "social-insurance", "--as-of", "2026-11-01"]

            // A bad file: exit 1, the problem on stderr with its row, nothing written.
            let headBefore = try await node.auditHead()
            let refused = try await node.run(arguments + [bad.path])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderrLines.contains { $0.hasPrefix("row 3, 险种类型 \"999\": ") }, "\(refused)")
            #expect(refused.stderrLines.last?.contains("nothing was written") == true, "\(refused)")
            #expect(try await node.auditHead() == headBefore)

            // A dry run, then the real import, in JSON.
            let rehearsed = try await node.succeed(arguments + ["--dry-run", good.path])
            #expect(rehearsed.stdout.contains("Checked 2 rows"), "\(rehearsed)")
            #expect(try await node.auditHead() == headBefore)
            let imported = try await node.succeed(arguments + ["--format", "json", good.path])
            let summary = try #require(try JSONSerialization.jsonObject(with: imported.stdoutData) as? [String: Any])
            #expect(summary["rows"] as? Int == 2)
            #expect(summary["encoding"] as? String == "utf-8")
            #expect(summary["feed"] as? Int == 1)
            #expect(summary["kind"] as? String == "social-insurance")
            #expect(try await node.auditHead() != headBefore)

            // The same file again: refused, saying when and by whom.
            let again = try await node.run(arguments + [good.path])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already imported") && again.stderr.contains("by admin"), "\(again)")

            // Neither number is in the database file in clear; the names are.
            var bytes = try Data(contentsOf: node.databaseURL)
            if let wal = FileManager.default.contents(atPath: node.databaseURL.path + "-wal") { bytes.append(wal) }
            for number in [known, stranger] {
                #expect(bytes.range(of: Data(number.prefix(17).utf8)) == nil, "an identity number is in the file")
            }
            #expect(bytes.range(of: Data("王外人".utf8)) != nil)
            for output in [refused, rehearsed, imported, again] {
                #expect(!output.stdout.contains(known.prefix(17)) && !output.stderr.contains(known.prefix(17)))
            }
        }
    }

    @Test func aFeedImportsFromTheFirstSheetOfAWorkbook() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            let known = Fixture.identityNumber(42)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "FeedBureau")
            try await node.setQuota(org: org, approved: 2)
            try await node.addPerson(idNumber: known, org: org, hiredOn: "2021-01-04")
            let rows = [header, "\(known),张测试,\(org),110,2,0,2026-10-01"].map {
                $0.split(separator: ",").map(String.init)
            }
            let book = scratch.appendingPathComponent("社保.xlsx")
            try TestWorkbook.write(rows: rows, to: book.path)
            let arguments = ["reconcile", "import", "--kind", "social-insurance", "--as-of", "2026-11-01", book.path]

            let refused = try await node.run(arguments + ["--encoding", "gb18030"])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("Excel workbook"), "\(refused)")
            let imported = try await node.succeed(arguments)
            #expect(
                imported.stdout.contains("Imported 1 rows") && imported.stdout.contains("xlsx, first sheet"),
                "\(imported)"
            )

            // Not a workbook, though named like one: refused in plain words.
            let fake = scratch.appendingPathComponent("fake.xlsx")
            try "公民身份号码\n".write(to: fake, atomically: true, encoding: .utf8)
            let notABook = try await node.run(Array(arguments.dropLast()) + [fake.path])
            #expect(notABook.status == 1)
            #expect(notABook.stderr.contains("not an Excel workbook (.xlsx)"), "\(notABook)")
        }
    }

    @Test func aRunOpensCasesOnceAndAConfirmedCaseLeavesADraftInTheQueue() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            let known = Fixture.identityNumber(42)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "FeedBureau")
            try await node.setQuota(org: org, approved: 2)
            try await node.addPerson(idNumber: known, org: org, hiredOn: "2021-01-04")
            let feed = scratch.appendingPathComponent("社保.csv")
            try (header + "\n\(known),张测试,\(org),110,2,0,2026-10-01\n\(known),张测试,\(org),310,1,0,2021-01-04\n")
                .write(to: feed, atomically: true, encoding: .utf8)
            try await node.succeed([
                "reconcile", "import", "--kind", "social-insurance", "--as-of", "2026-11-01", feed.path,
            ])

            let run = ["reconcile", "run", "--as-of", "2026-11-20", "--format", "json"]
            func counts(_ result: CommandResult) throws -> [String: Int] {
                let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
                return object.compactMapValues { $0 as? Int }
            }
            let first = try counts(try await node.succeed(run))
            #expect(first["opened"] == 1 && first["already_open"] == 0 && first["cleared"] == 0, "\(first)")
            let second = try counts(try await node.succeed(run))
            #expect(second["opened"] == 0 && second["already_open"] == 1, "\(second)")

            let listed = try await node.succeed(["case", "list", "--format", "json"])
            let cases = try #require(try JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
            #expect(cases.count == 1)
            let opened = try #require(cases.first)
            for key in ["id", "person", "rule", "org", "opened_on", "due_on", "status"] {
                #expect(opened.keys.contains(key), "case list --format json lacks \(key)")
            }
            #expect(opened["rule"] as? String == "contributions-stopped")
            #expect(opened["person"] as? Int == 1)
            #expect(opened["org"] as? String == org)
            #expect(opened["opened_on"] as? String == "2026-11-20")
            #expect(opened["due_on"] as? String == "2026-12-10")
            #expect(opened["status"] as? String == "open")

            let shown = try await node.succeed(["case", "show", "1"])
            #expect(shown.stdout.contains("row 2"), "\(shown)")
            #expect(!shown.stdout.contains(known.prefix(17)))

            let resolved = try await node.succeed([
                "case", "resolve", "1", "--outcome", "confirmed", "--note", "已离岗, 社保停缴",
            ])
            #expect(resolved.stdout.contains("draft 1"), "\(resolved)")
            let queue = try await node.succeed(["action", "list", "--format", "json"])
            let drafts = try #require(try JSONSerialization.jsonObject(with: queue.stdoutData) as? [[String: Any]])
            #expect(drafts.count == 1)
            #expect(drafts.first?["kind"] as? String == "awol")

            let none = try await node.succeed(["case", "list", "--format", "json"])
            #expect((try JSONSerialization.jsonObject(with: none.stdoutData) as? [Any])?.isEmpty == true)
            let all = try await node.succeed(["case", "list", "--status", "all", "--format", "json"])
            let every = try #require(try JSONSerialization.jsonObject(with: all.stdoutData) as? [[String: Any]])
            #expect(every.first?["status"] as? String == "resolved")
            #expect(every.first?["outcome"] as? String == "confirmed")

            // A resolution without a note is refused with exit status 1 or 64, and says why.
            let noNote = try await node.run(["case", "resolve", "1", "--outcome", "dismissed", "--note", " "])
            #expect(noNote.status != 0)
        }
    }
}
