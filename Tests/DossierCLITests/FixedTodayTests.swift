import Foundation
import Testing

/// A node run "on" a fixed date (`--today`, hidden from help) answers as of that date wherever
/// an answer depends on today, so a script replaying a day gets the same answers on any real day.
@Suite struct FixedTodayTests {
    @Test func everyDefaultDateIsTheFixedDayAndNotTheRealOne() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "ClockBureau")
            try await node.setQuota(org: org, approved: 3, from: "2000-01-01")
            // Hired "today" on 2021-03-01: the hire date is the fixed day.
            let number = Fixture.identityNumber(7, born: "1990-02-01")
            var add = DossierNode.personAdd(idNumber: number, org: org, hiredOn: "x")
            add.removeLast(2)
            try await node.succeed(add + ["--today", "2021-03-01"])
            let people = try await node.people()
            let id = try #require(people.first?.id)

            func show(_ extra: [String]) async throws -> [String: Any] {
                let result = try await node.succeed(["person", "show", String(id), "--format", "json"] + extra)
                return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
            }
            // On the day before the hire the person was nowhere; on the real today they are in post.
            let before = try await show(["--today", "2021-02-28"])
            #expect(before["org"] is NSNull, "\(before)")
            #expect(try await show(["--today", "2021-03-01"])["since"] as? String == "2021-03-01")
            #expect(try await show([])["org"] as? String == org)

            // `quota show` without --date on a fixed day is `quota show --date` that day.
            let fixed = try await node.quotaRows(["--today", "2021-02-28"])
            let dated = try await node.quotaRows(["--date", "2021-02-28"])
            let real = try await node.quotaRows()
            #expect(fixed == dated)
            #expect(fixed.map(\.occupied) == [0])
            #expect(real.map(\.occupied) == [1])

            // An identity number born after the fixed day is refused as born in the future.
            var early = DossierNode.personAdd(
                idNumber: Fixture.identityNumber(8, born: "1995-05-05"),
                org: org,
                hiredOn: "x"
            )
            early.removeLast(2)
            let refused = try await node.run(early + ["--today", "1990-01-01"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("1990-01-01"), "\(refused.stderr)")
        }
    }

    /// `$DOSSIER_TODAY` fixes the day for every command a script runs (the README tour test runs
    /// on one); `--today` on a command still wins, and a mistyped date stops the command.
    @Test func theEnvironmentFixesTheDayForEveryCommand() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(2)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "ClockBureau")
            try await node.setQuota(org: org, approved: 3, from: "2000-01-01")
            var add = DossierNode.personAdd(
                idNumber: Fixture.identityNumber(9, born: "1990-02-01"),
                org: org,
                hiredOn: "x"
            )
            add.removeLast(2)
            let hired = try await node.run(add, environment: ["DOSSIER_TODAY": "2021-03-01"])
            #expect(hired.status == 0, "\(hired)")
            let id = try #require(try await node.people().first?.id)
            let shown = try await node.run(
                ["person", "show", String(id), "--format", "json"],
                environment: ["DOSSIER_TODAY": "2021-02-28"]
            )
            #expect(shown.status == 0, "\(shown)")
            let person = try #require(try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])
            // On the day before the hire, by the environment's clock, the person was nowhere.
            #expect(person["org"] is NSNull, "\(person)")
            let real = try await node.succeed(["person", "show", String(id), "--format", "json"])
            #expect(real.stdout.contains("\"since\" : \"2021-03-01\""), "\(real)")
            let before = try await node.quotaRows(["--today", "2021-02-28"])
            let fromEnvironment = try await node.run(
                ["quota", "show", "--format", "json"],
                environment: ["DOSSIER_TODAY": "2021-02-28"]
            )
            #expect(fromEnvironment.status == 0)
            #expect(before.map(\.occupied) == [0])
            #expect(fromEnvironment.stdout.contains("\"occupied\" : 0"), "\(fromEnvironment)")

            // --today on the command wins over the environment's day.
            let both = try await node.run(
                ["quota", "show", "--format", "json", "--today", "2021-03-01"],
                environment: ["DOSSIER_TODAY": "2021-02-28"]
            )
            #expect(both.stdout.contains("\"occupied\" : 1"), "\(both)")

            let wrong = try await node.run(["quota", "show"], environment: ["DOSSIER_TODAY": "1.3.2021"])
            #expect(wrong.status == 64, "\(wrong)")
            #expect(wrong.stderr.contains("DOSSIER_TODAY") && wrong.stderr.contains("YYYY-MM-DD"), "\(wrong)")
        }
    }

    @Test func theTodayOptionIsHiddenFromHelp() async throws {
        try await withScratchDirectory { scratch in
            let help = try await dossier(["person", "list", "--help"], scratch: scratch)
            #expect(help.status == 0)
            #expect(!help.stdout.contains("--today"))
        }
    }
}
