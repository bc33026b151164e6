import Foundation
import Testing

/// The database file alone reveals no identity (or phone) number, and neither do masked listings or logs.
@Suite struct IdentityNumbersAtRestTests {
    /// The bytes of the database file and of its write-ahead log, when there is one.
    private func databaseBytes(_ node: DossierNode) throws -> Data {
        var bytes = try Data(contentsOf: node.databaseURL)
        if let wal = FileManager.default.contents(atPath: node.databaseURL.path + "-wal") { bytes.append(wal) }
        return bytes
    }

    @Test func theDatabaseFileHoldsNoIdentityOrPhoneNumberInClear() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "50", "--seed", "6"])
            let listing = try await node.succeed(["person", "list", "--format", "json", "--limit", "1000", "--reveal"])
            let people = try #require(try JSONSerialization.jsonObject(with: listing.stdoutData) as? [[String: Any]])
            let numbers = people.compactMap { $0["id_number"] as? String }
            let phones = people.compactMap { $0["phone"] as? String }
            #expect(numbers.count == 50)
            #expect(numbers.allSatisfy { $0.utf8.count == 18 && !$0.contains("*") })
            #expect(phones.count > 20 && phones.allSatisfy { !$0.contains("*") })

            let bytes = try databaseBytes(node)
            #expect(bytes.count > 10_000)
            for number in numbers {
                #expect(bytes.range(of: Data(number.utf8)) == nil, "\(number) is in the database file")
                #expect(bytes.range(of: Data(number.prefix(17).utf8)) == nil, "\(number.prefix(17)) is in the file")
            }
            for phone in phones {
                #expect(bytes.range(of: Data(phone.utf8)) == nil, "\(phone) is in the database file")
            }
            // The names are there in clear, so the search above can find what is there.
            if let name = people.first?["name"] as? String {
                #expect(bytes.range(of: Data(name.utf8)) != nil)
            }

            for format in ["table", "json", "csv"] {
                let masked = try await node.succeed(["person", "list", "--format", format, "--limit", "1000"])
                for number in numbers {
                    #expect(!masked.stdout.contains(number.prefix(17)), "\(number) in `person list --format \(format)`")
                    #expect(!masked.stderr.contains(number.prefix(17)))
                }
                for phone in phones {
                    #expect(!masked.stdout.contains(phone), "a phone number in `person list --format \(format)`")
                }
            }
            let audit = try await node.succeed(["audit", "log", "--limit", "100000", "--format", "json"])
            for number in numbers { #expect(!audit.stdout.contains(number.prefix(17))) }
        }
    }

    @Test func verboseLogsNameNoIdentityNumber() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            let number = Fixture.identityNumber(42)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "LogBureau")
            try await node.setQuota(org: org, approved: 1)
            let trace = ["DOSSIER_LOG_LEVEL": "trace"]
            let commands: [[String]] = [
                DossierNode.personAdd(idNumber: number, org: org, hiredOn: "2021-01-04"),
                DossierNode.personAdd(idNumber: number, org: org, hiredOn: "2021-01-04"),
                ["person", "find", "--id-number", number],
                ["person", "list", "--format", "json"],
            ]
            for arguments in commands {
                let result = try await node.run(arguments, environment: trace)
                #expect(!result.stderr.contains(number.prefix(17)), "\(result)")
                #expect(!result.stdout.contains(number.prefix(17)), "\(result)")
            }
            let bytes = try databaseBytes(node)
            #expect(bytes.range(of: Data(number.prefix(17).utf8)) == nil)
        }
    }
}
