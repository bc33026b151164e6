import Foundation
import Testing

/// Hires and exits through the command line: an exit frees the slot from its date, not before.
@Suite struct PersonLifecycleTests {
    @Test func anExitFreesTheSlotFromItsDateOnly() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "OneSeatBureau")
            try await node.setQuota(org: org, approved: 1)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-01-01")

            // An earlier start would still hold the seat on 2022-01-01, when it is taken.
            let earlier = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2021-01-01")
            )
            #expect(earlier.status == 1 && earlier.stderr.contains("no vacancy"), "\(earlier)")

            try await node.succeed(["person", "exit", "1", "--kind", "resign", "--on", "2023-01-01"])
            let beforeExit = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2022-12-31")
            )
            #expect(beforeExit.status == 1 && beforeExit.stderr.contains("no vacancy"), "\(beforeExit)")
            try await node.addPerson(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2023-01-01")

            let again = try await node.run(["person", "exit", "1", "--kind", "retire", "--on", "2023-06-01"])
            #expect(again.status == 1 && again.stdout.isEmpty && again.stderr.hasPrefix("dossier: "), "\(again)")

            for date in ["2021-12-31", "2022-01-01", "2022-12-31", "2023-01-01", "2024-01-01"] {
                let rows = try await node.quotaRows(["--org", org, "--date", date])
                #expect(rows.map(\.occupied) == [date < "2022-01-01" ? 0 : 1], "on \(date): \(rows)")
            }
            let timeline = try await node.succeed(["person", "timeline", "1", "--format", "json"])
            let entries = try #require(try JSONSerialization.jsonObject(with: timeline.stdoutData) as? [Any])
            #expect(entries.count == 2)
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify)")
        }
    }

    @Test func aCorrectionWithoutADateKeepsTheDateOfTheActionItCorrects() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "CorrectionBureau")
            try await node.setQuota(org: org, approved: 2)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-01-01")
            try await node.succeed(["user", "add", "checker", "--role", "approver", "--whole-node"])
            let hire = try #require(
                try ActionRaceTests.actionIDs(
                    try await node.succeed(["person", "timeline", "1", "--format", "json"]).stdoutData,
                    kind: "hire"
                ).first
            )
            // Corrects the rank only: no --on.
            let drafted = try await node.succeed([
                "action", "draft", "1", "--kind", "correct", "--target", String(hire), "--rank", "L2-clerk",
            ])
            let draft = try #require(
                drafted.stdout.split(separator: " ").compactMap { Int($0.filter(\.isNumber)) }.first
            )
            try await node.succeed(["action", "approve", String(draft), "--as", "checker"])
            // Still placed from 2022-01-01, now at 二级科员.
            for date in ["2022-01-01", "2024-06-01"] {
                let rows = try await node.quotaRows(["--org", org, "--date", date])
                #expect(rows.map(\.occupied) == [1], "on \(date): \(rows)")
            }
            let shown = try await node.succeed(["person", "show", "1", "--date", "2022-06-01", "--format", "json"])
            let person = try #require(try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])
            #expect(person["rank"] as? String == "L2-clerk", "\(person)")
        }
    }
}
