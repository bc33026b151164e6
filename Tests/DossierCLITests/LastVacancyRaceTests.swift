import Foundation
import Testing

/// Several `dossier` processes hiring into one organisation's last vacancy at the same moment.
@Suite struct LastVacancyRaceTests {
    static let approved = 3
    static let contenders = 6

    @Test(arguments: 1...3)
    func exactlyOneOfSeveralProcessesGetsTheLastVacancy(round: Int) async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(100 + round)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "RaceBureau\(round)")
            try await node.setQuota(org: org, approved: Self.approved)
            for seat in 1..<Self.approved {
                try await node.addPerson(idNumber: Fixture.identityNumber(seat), org: org, hiredOn: "2021-03-01")
            }

            // Start every process before waiting for any, so they really overlap.
            let candidates = (0..<Self.contenders).map { Fixture.identityNumber(100 + $0) }
            let running = try candidates.map {
                try node.start(DossierNode.personAdd(idNumber: $0, org: org, hiredOn: "2021-06-01"))
            }
            var results: [CommandResult] = []
            for process in running { results.append(try await process.finish()) }

            let winners = results.indices.filter { results[$0].status == 0 }
            #expect(winners.count == 1, "\(results.map(\.description).joined(separator: "\n"))")
            for result in results where result.status != 0 {
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
                #expect(result.stderr.contains("no vacancy"), "\(result)")
            }

            let rows = try await node.quotaRows(["--org", org])
            #expect(rows == [QuotaRow(org: org, category: "admin", approved: 3, occupied: 3, vacant: 0, over: 0)])

            let people = try await node.people(reveal: true)
            #expect(people.count == Self.approved)
            if let winner = winners.first {
                #expect(people.contains { $0.idNumber == candidates[winner] })
            }
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify)")
            let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "1000"])
            let actions = try JSONDecoder().decode([AuditAction].self, from: log.stdoutData)
            #expect(actions.filter { $0.action == "person.add" }.count == Self.approved)
        }
    }
}

extension LastVacancyRaceTests {
    @Test func anImportAndSeveralSingleHiresRaceForOneVacancyAndOneWins() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(200)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "ImportRaceBureau")
            try await node.setQuota(org: org, approved: 1)
            var row = Dictionary(uniqueKeysWithValues: PeopleCSV.importColumns.map { ($0, "") })
            for (column, value) in [
                ("id_number", Fixture.identityNumber(300)), ("name", "李导入"), ("ethnicity", "01"), ("education", "20"),
                ("political_status", "13"), ("org_code", org), ("category", "admin"), ("status", "active"),
                ("hired_on", "2021-06-01"),
            ] {
                row[column] = value
            }
            let file = scratch.appendingPathComponent("one.csv")
            try PeopleCSV(columns: PeopleCSV.importColumns, rows: [row]).write(file)

            var running = [try node.start(["person", "import", file.path])]
            for index in 0..<3 {
                running.append(
                    try node.start(
                        DossierNode.personAdd(
                            idNumber: Fixture.identityNumber(310 + index),
                            org: org,
                            hiredOn: "2021-06-01"
                        )
                    )
                )
            }
            var results: [CommandResult] = []
            for process in running { results.append(try await process.finish()) }
            #expect(
                results.filter { $0.status == 0 }.count == 1,
                "\(results.map(\.description).joined(separator: "\n"))"
            )
            #expect(results.allSatisfy { $0.status == 0 || $0.status == 1 })
            for result in results where result.status == 1 {
                #expect(result.stdout.isEmpty && result.stderr.contains("no vacancy"), "\(result)")
            }
            #expect(try await node.quotaRows(["--org", org]).map(\.occupied) == [1])
            #expect(try await node.people().count == 1)
            #expect(try await node.run(["audit", "verify"]).status == 0)
        }
    }
}

/// The part of an audit entry these tests read.
struct AuditAction: Decodable {
    var seq: Int64
    var action: String
    var details: String
}
