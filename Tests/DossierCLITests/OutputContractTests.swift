import DossierCore
import Foundation
import Testing

/// The JSON shapes that later work and outside checks rely on (issue 2, "Contracts").
@Suite struct OutputContractTests {
    static let contractKeys = ["id", "name", "id_number", "org", "category", "rank", "status"]

    @Test func quotaShowJSONHasConsistentIntegerCountsForEveryRow() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "200", "--seed", "3"])
            let result = try await node.succeed(["quota", "show", "--format", "json"])
            let objects = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            #expect(!objects.isEmpty)
            for object in objects {
                #expect(object["org"] is String && object["category"] is String, "\(object)")
                for key in ["approved", "occupied", "vacant", "over"] {
                    #expect(object[key] is Int, "\(key) in \(object)")
                }
            }
            let rows = try JSONDecoder().decode([QuotaRow].self, from: result.stdoutData)
            for row in rows {
                #expect((try? CreditCode(row.org)) != nil, "\(row)")
                #expect(EstablishmentCategory(codeOrName: row.category)?.code == row.category, "\(row)")
                #expect(row.vacant == max(row.approved - row.occupied, 0), "\(row)")
                #expect(row.over == max(row.occupied - row.approved, 0), "\(row)")
            }
            #expect(rows.reduce(0) { $0 + $1.occupied } == 200)
        }
    }

    @Test func quotaShowAsOfADateCountsOnlyTheHiresInForceThen() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "DateBureau")
            try await node.setQuota(org: org, approved: 3, from: "2020-01-01")
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2021-05-01")
            try await node.addPerson(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2022-05-01")
            try await node.addPerson(idNumber: Fixture.identityNumber(3), org: org, hiredOn: "2022-06-01")
            // The quota is cut after the unit was staffed: over quota (超编) from then on.
            try await node.setQuota(org: org, approved: 1, from: "2023-01-01")

            func row(_ date: String) async throws -> QuotaRow {
                try #require(try await node.quotaRows(["--org", org, "--date", date]).first)
            }
            #expect(
                try await row("2021-04-30")
                    == QuotaRow(org: org, category: "admin", approved: 3, occupied: 0, vacant: 3, over: 0)
            )
            #expect(
                try await row("2021-05-01")
                    == QuotaRow(org: org, category: "admin", approved: 3, occupied: 1, vacant: 2, over: 0)
            )
            #expect(
                try await row("2022-05-31")
                    == QuotaRow(org: org, category: "admin", approved: 3, occupied: 2, vacant: 1, over: 0)
            )
            #expect(
                try await row("2022-12-31")
                    == QuotaRow(org: org, category: "admin", approved: 3, occupied: 3, vacant: 0, over: 0)
            )
            #expect(
                try await row("2023-01-01")
                    == QuotaRow(org: org, category: "admin", approved: 1, occupied: 3, vacant: 0, over: 2)
            )
            #expect(try await node.quotaRows(["--org", org]).first?.over == 2)
        }
    }

    @Test func personListJSONMasksIdentityNumbersUnlessRevealedByAnAdmin() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "120", "--seed", "4"])
            let masked = try await node.people()
            let revealed = try await node.people(reveal: true)
            #expect(masked.count == 120)
            #expect(masked.map(\.id) == revealed.map(\.id))
            for (shown, full) in zip(masked, revealed) {
                #expect(shown.idNumber.wholeMatch(of: /[0-9]{6}\*{12}/) != nil, "\(shown)")
                #expect((try? ResidentID(full.idNumber)) != nil, "\(full)")
                #expect(shown.idNumber == ResidentID.mask(full.idNumber))
                #expect(shown.idNumber.prefix(6) == full.idNumber.prefix(6))
                #expect(!shown.name.isEmpty)
                #expect(shown.org.map { (try? CreditCode($0)) != nil } == true, "\(shown)")
                #expect(shown.category.flatMap(EstablishmentCategory.init(codeOrName:)) != nil, "\(shown)")
                #expect(shown.status.flatMap(PersonStatus.init(codeOrName:)) != nil, "\(shown)")
            }
            #expect(Set(revealed.map(\.idNumber)).count == revealed.count)
        }
    }

    @Test func personListJSONHasEveryContractKeyEvenWhenTheValueIsAbsent() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(2)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "KeyBureau")
            try await node.setQuota(org: org, approved: 2)
            // No --rank: the person has no rank, and the object must still say so.
            try await node.addPerson(idNumber: Fixture.identityNumber(7), org: org, hiredOn: "2021-01-04")
            let result = try await node.succeed(["person", "list", "--format", "json"])
            let objects = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            #expect(objects.count == 1)
            for object in objects {
                for key in Self.contractKeys {
                    #expect(object.keys.contains(key), "person list --format json lacks '\(key)': \(result.stdout)")
                }
            }
        }
    }

    @Test func personFindPrintsTheOneObjectOrExitsOne() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "30", "--seed", "5"])
            let revealed = try await node.people(reveal: true)
            let target = try #require(revealed.dropFirst(7).first)

            let found = try await node.succeed(["person", "find", "--id-number", target.idNumber, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: found.stdoutData) as? [String: Any])
            #expect(object["id"] as? Int == Int(target.id))
            let person = try JSONDecoder().decode(PersonRow.self, from: found.stdoutData)
            #expect(person.idNumber == ResidentID.mask(target.idNumber))
            #expect(person.name == target.name && person.org == target.org && person.category == target.category)
            #expect(!found.stdout.contains(target.idNumber))

            let shown = try await node.succeed(
                ["person", "find", "--id-number", target.idNumber, "--format", "json", "--reveal"]
            )
            #expect(try JSONDecoder().decode(PersonRow.self, from: shown.stdoutData).idNumber == target.idNumber)

            let onFile = Set(revealed.map(\.idNumber))
            let absent = try #require((0...999).lazy.map { Fixture.identityNumber($0) }.first { !onFile.contains($0) })
            let missing = try await node.run(["person", "find", "--id-number", absent, "--format", "json"])
            #expect(missing.status == 1, "\(missing)")
            #expect(missing.stdout.isEmpty, "\(missing)")
            #expect(missing.stderr.hasPrefix("dossier: "), "\(missing)")
            #expect(!missing.stderr.contains(absent), "\(missing)")
        }
    }
}
