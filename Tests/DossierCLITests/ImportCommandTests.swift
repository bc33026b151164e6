import DossierCore
import Foundation
import Testing

/// `dossier person import`: all or nothing, every problem reported, nothing written on refusal.
@Suite struct ImportCommandTests {
    /// What an outsider can see of the database: every person (revealed), every headcount, the audit head.
    private func snapshot(_ node: DossierNode) async throws -> [Data] {
        var parts: [Data] = []
        for arguments in [
            ["person", "list", "--format", "json", "--limit", "100000", "--reveal"],
            ["quota", "show", "--format", "json"],
            ["quota", "show", "--format", "json", "--posts"],
        ] {
            parts.append(try await node.succeed(arguments).stdoutData)
        }
        // The audit log without the entries of the reveals above (reads, not changes).
        let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "1000000"]).stdoutData
        let entries = try #require(try JSONSerialization.jsonObject(with: log) as? [[String: Any]])
        let kept = entries.filter { $0["action"] as? String != "person.reveal" }
        parts.append(try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]))
        return parts
    }

    @Test func aFileSavedAsGB18030IsReadAsSuchAndAFileForcedAsUTF8SaysWhatToDo() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let generated = scratch.appendingPathComponent("people.csv")
            try await node.succeed(["demo", "--people", "12", "--seed", "5", "--people-csv", generated.path])
            // As Excel or WPS save it in China: GB18030 (iconv, the system's own converter).
            let gb = scratch.appendingPathComponent("people-gb18030.csv")
            let converted = try await runCommand(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "iconv -f UTF-8 -t GB18030 \"$0\" > \"$1\"", generated.path, gb.path],
                scratch: scratch
            )
            try #require(converted.status == 0, "\(converted)")
            try #require(String(data: try Data(contentsOf: gb), encoding: .utf8) == nil, "the file is not UTF-8")
            let before = try await snapshot(node)

            let forced = try await node.run(["person", "import", gb.path, "--encoding", "utf-8"])
            #expect(forced.status == 1, "\(forced)")
            #expect(forced.stderr.contains("saved as GBK?"), "\(forced)")
            #expect(forced.stderr.contains("--encoding gb18030"), "\(forced)")
            #expect(try await snapshot(node) == before, "a refused import writes nothing")

            let imported = try await node.run(["person", "import", gb.path])
            #expect(imported.status == 0, "\(imported)")
            let names = Set(try PeopleCSV.read(generated).rows.compactMap { $0["name"] })
            let filed = Set(try await node.people().map(\.name))
            #expect(!names.isEmpty && names.isSubset(of: filed), "names read from GB18030: \(filed)")
        }
    }

    @Test func aBadFileIsRefusedWithEveryProblemAndChangesNothingThenTheGoodFileImports() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let generated = scratch.appendingPathComponent("people.csv")
            try await node.succeed(["demo", "--people", "60", "--seed", "11", "--people-csv", generated.path])
            let file = try PeopleCSV.read(generated)
            #expect(Set(file.columns) == Set(PeopleCSV.importColumns))
            try #require(file.rows.count >= 40)

            // Half the people go in first, so the database is not empty.
            let half = file.rows.count / 2
            let first = PeopleCSV(columns: file.columns, rows: Array(file.rows[..<half]))
            let rest = PeopleCSV(columns: file.columns, rows: Array(file.rows[half...]))
            let firstURL = scratch.appendingPathComponent("first.csv")
            try first.write(firstURL)
            try await node.succeed(["person", "import", firstURL.path])

            // A unit with a single slot, for a row that would exceed its quota.
            let small = Fixture.creditCode(1)
            try await node.addOrganization(code: small, name: "SmallBureau")
            try await node.setQuota(org: small, approved: 1, from: "2000-01-01")

            func changed(_ row: [String: String], _ column: String, _ value: String) -> [String: String] {
                var row = row
                row[column] = value
                return row
            }
            var ownA = rest.rows[8]
            ownA["id_number"] = Fixture.identityNumber(2, born: "1980-01-02")
            ownA["org_code"] = small
            ownA["category"] = "admin"
            ownA["post"] = ""
            ownA["hired_on"] = "2020-01-02"
            var ownB = ownA
            ownB["id_number"] = Fixture.identityNumber(1, born: "1980-01-02")
            ownB["hired_on"] = "2020-06-01"
            let validID = rest.rows[0]["id_number"]!
            let wrongCheck = String(validID.dropLast()) + (validID.last == "0" ? "1" : "0")
            // The 17th character is odd for men (1) and even for women (2).
            let sexDigit = Int(String(Array(rest.rows[5]["id_number"]!)[16]))!
            let wrongSex = sexDigit % 2 == 1 ? "2" : "1"
            let lines: [String] = [
                rest.line(changed(rest.rows[0], "id_number", wrongCheck)),  // row 2: bad check character
                rest.line(changed(rest.rows[1], "hired_on", "2021-02-30")),  // row 3: impossible date
                rest.line(changed(rest.rows[2], "org_code", Fixture.creditCode(999))),  // row 4: unknown organisation
                rest.line(rest.rows[3]),  // row 5: good
                rest.line(rest.rows[3]),  // row 6: the same identity number again
                rest.line(rest.rows[4]).split(separator: ",", omittingEmptySubsequences: false).dropLast()
                    .joined(separator: ","),  // row 7: a value short
                first.line(first.rows[0]),  // row 8: already on file
                rest.line(changed(rest.rows[5], "sex", wrongSex)),  // row 9: sex disagrees
                rest.line(ownA),  // row 10: good, takes SmallBureau's only slot
                rest.line(ownB),  // row 11: over SmallBureau's quota
                rest.line(changed(rest.rows[6], "ethnicity", "ZZ")),  // row 12: unknown code
                rest.line(changed(rest.rows[7], "name", "")),  // row 13: missing required value
            ]
            let expected: [(row: Int, column: String?)] = [
                (2, "id_number"), (3, "hired_on"), (4, "org_code"), (6, "id_number"), (7, nil), (8, "id_number"),
                (9, "sex"), (11, "category"), (12, "ethnicity"), (13, "name"),
            ]
            let badURL = scratch.appendingPathComponent("bad.csv")
            try rest.write(badURL, lines: lines)

            let before = try await snapshot(node)
            for dryRun in [false, true] {
                let result = try await node.run(["person", "import", badURL.path] + (dryRun ? ["--dry-run"] : []))
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                let problemLines = result.stderrLines.filter { $0.hasPrefix("row ") }
                for (row, column) in expected {
                    let prefix = column.map { "row \(row), \($0)" } ?? "row \(row):"
                    #expect(problemLines.contains { $0.hasPrefix(prefix) }, "no line starting '\(prefix)' in \(result)")
                }
                let problemRows = Set(problemLines.compactMap { Int($0.dropFirst(4).prefix { $0.isNumber }) })
                #expect(problemRows == Set(expected.map(\.row)), "\(result)")
                let last = try #require(result.stderrLines.last)
                #expect(last.hasPrefix("dossier: "), "\(result)")
                #expect(last.contains("\(problemLines.count) problems in 10 of 12 rows"), "\(result)")
                #expect(result.stderrLines.count == problemLines.count + 1, "\(result)")
                for line in lines {
                    for value in line.split(separator: ",") where value.count == 18 && value.first!.isNumber {
                        if (try? CreditCode(String(value))) == nil {
                            #expect(!result.stderr.contains(value), "an identity number in clear: \(result)")
                        }
                    }
                }
                #expect(try await snapshot(node) == before)
            }

            // The rest of the generated file, with its columns reversed and a byte order mark.
            let good = PeopleCSV(columns: rest.columns.reversed(), rows: rest.rows)
            let goodURL = scratch.appendingPathComponent("good.csv")
            try good.write(goodURL, byteOrderMark: true)
            let rehearsal = try await node.run(["person", "import", goodURL.path, "--dry-run"])
            #expect(rehearsal.status == 0, "\(rehearsal)")
            #expect(rehearsal.stderr.isEmpty, "\(rehearsal)")
            #expect(try await snapshot(node) == before)

            let imported = try await node.run(["person", "import", goodURL.path])
            #expect(imported.status == 0, "\(imported)")
            #expect(imported.stdout.contains(String(rest.rows.count)), "\(imported)")
            let people = try await node.people(reveal: true)
            #expect(people.count == file.rows.count)
            #expect(Set(people.map(\.idNumber)) == Set(file.rows.map { $0["id_number"]! }))
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify)")
        }
    }

    @Test func quotedFieldsAndCRLFLineEndingsAreReadAsRFC4180Says() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "QuotedBureau")
            try await node.setQuota(org: org, approved: 5)
            let names = ["张三", "李,四", "Wang \"Wu\""]
            // Every value quoted, as spreadsheet exports do to keep codes like 01 intact.
            func quoted(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var text = PeopleCSV.importColumns.map(quoted).joined(separator: ",") + "\r\n"
            for (index, name) in names.enumerated() {
                let values: [String: String] = [
                    "id_number": Fixture.identityNumber(10 + index), "name": name, "ethnicity": "01", "education": "20",
                    "political_status": "13", "org_code": org, "category": "admin", "status": "active",
                    "hired_on": "2021-06-01",
                ]
                text += PeopleCSV.importColumns.map { quoted(values[$0] ?? "") }.joined(separator: ",") + "\r\n"
            }
            let file = scratch.appendingPathComponent("quoted.csv")
            try Data(text.utf8).write(to: file)

            let result = try await node.run(["person", "import", file.path])
            #expect(result.status == 0, "\(result)")
            #expect(try await node.people().map(\.name) == names)
        }
    }
}
