import Foundation
import Testing

/// `dossier report`: the tables' figures against SQL written independently over a demo node,
/// a table whose data was made inconsistent by hand, and the files written.
@Suite struct ReportCommandTests {
    /// The part of a table's JSON these tests read.
    struct Table: Decodable {
        struct Row: Decodable {
            var label: String
            var kind: String
            var values: [Int]
        }
        struct Check: Decodable {
            var check: String
            var cell: String
            var expected: Int
            var actual: Int
        }
        var columns: [String]
        var rows: [Row]
        var checks: [Check]

        func value(_ row: String, _ column: String) -> Int? {
            guard let index = columns.firstIndex(of: column) else { return nil }
            return rows.first { $0.label == row }?.values[index]
        }
    }

    static let today = "2026-11-27"

    func table(_ node: DossierNode, _ arguments: [String]) async throws -> Table {
        let result = try await node.succeed(
            ["report", "run"] + arguments + ["--format", "json", "--today", Self.today]
        )
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Table.self, from: result.stdoutData)
    }

    /// Rows of `sql` from the sqlite3 shell, each split at '|'.
    func query(_ node: DossierNode, _ sql: String) async throws -> [[String]] {
        let result = try await ActionRaceTests.sqlite(node, sql)
        try #require(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// In post on `date`, as SQL written for this test.
    static func inPost(_ date: String) -> String {
        "p.occupies = 1 AND p.valid_from <= '\(date)' AND (p.valid_until IS NULL OR p.valid_until > '\(date)')"
    }

    /// 职务职级层次 by hand: the higher of post and rank, as DOMAIN.md's equivalences place them.
    static let levelSQL = """
        CASE
          WHEN p.post IN ('state-head','state-deputy','province-head','province-deputy') THEN '省部级及以上'
          WHEN p.post = 'bureau-head' OR p.rank = 'L1-inspector' THEN '厅局级正职'
          WHEN p.post = 'bureau-deputy' OR p.rank = 'L2-inspector' THEN '厅局级副职'
          WHEN p.post = 'division-head' OR p.rank IN ('L1-researcher','L2-researcher') THEN '县处级正职'
          WHEN p.post = 'division-deputy' OR p.rank IN ('L3-researcher','L4-researcher') THEN '县处级副职'
          WHEN p.post = 'section-head' OR p.rank IN ('L1-principal','L2-principal') THEN '乡科级正职'
          WHEN p.post = 'section-deputy' OR p.rank IN ('L3-principal','L4-principal') THEN '乡科级副职'
          WHEN p.rank = 'L1-clerk' THEN '科员级'
          WHEN p.rank = 'L2-clerk' THEN '办事员级'
          ELSE '未定级' END
        """

    @Test(.timeLimit(.minutes(10)))
    func tablesEqualIndependentSQLOverADemoNodeAtThreeDates() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "20000", "--seed", "7", "--today", Self.today])
            for date in ["2021-12-31", "2024-06-30", Self.today] {
                // Table 2: level × organisation level × sex.
                let level = try await table(node, ["level", "--as-of", date])
                let levelNames = [
                    "central": "中央", "province": "省", "sub-province": "副省级", "prefecture": "地市", "county": "县",
                    "township": "乡",
                ]
                let byLevel = try await query(
                    node,
                    """
                    SELECT \(Self.levelSQL), o.level, CASE ps.sex WHEN '1' THEN '男' ELSE '女' END, count(*)
                    FROM placement p JOIN person ps ON ps.id = p.person_id JOIN organization o ON o.id = p.org_id
                    WHERE \(Self.inPost(date)) GROUP BY 1, 2, 3
                    """
                )
                #expect(!byLevel.isEmpty)
                var total = 0
                for row in byLevel {
                    let column = "\(levelNames[row[1]]!)/\(row[2])"
                    #expect(level.value(row[0], column) == Int(row[3]), "\(date) \(row[0]) \(column)")
                    total += Int(row[3])!
                }
                #expect(level.value("合计", "合计") == total)
                #expect(level.checks.allSatisfy { $0.expected == $0.actual })

                // Table 3: age bands on the date.
                let age = try await table(node, ["age", "--as-of", date])
                let bands = try await query(
                    node,
                    """
                    WITH a AS (
                      SELECT CAST(substr('\(date)', 1, 4) AS INTEGER) - CAST(substr(ps.birth_date, 1, 4) AS INTEGER)
                             - (substr(ps.birth_date, 6) > substr('\(date)', 6)) AS age
                      FROM placement p JOIN person ps ON ps.id = p.person_id WHERE \(Self.inPost(date)))
                    SELECT CASE WHEN age <= 30 THEN '30岁及以下' WHEN age <= 35 THEN '31至35岁' WHEN age <= 40 THEN '36至40岁'
                                WHEN age <= 45 THEN '41至45岁' WHEN age <= 50 THEN '46至50岁' WHEN age <= 55 THEN '51至55岁'
                                ELSE '56岁及以上' END, count(*)
                    FROM a GROUP BY 1
                    """
                )
                for row in bands { #expect(age.value("合计", row[0]) == Int(row[1]), "\(date) \(row[0])") }

                // Table 6: approved and occupied per unit and category.
                let establishment = try await table(node, ["establishment", "--as-of", date])
                let names = [
                    "admin": "行政编制", "legal": "政法专项编制", "pscs": "参公事业编制", "inst-full": "全额事业编制",
                    "inst-partial": "差额事业编制", "inst-self": "自收自支事业编制", "service": "工勤编制",
                ]
                let occupied = try await query(
                    node,
                    "SELECT o.name, p.category, count(*) FROM placement p JOIN organization o ON o.id = p.org_id WHERE \(Self.inPost(date)) GROUP BY 1, 2"
                )
                for row in occupied {
                    #expect(
                        establishment.value(row[0], "\(names[row[1]]!)/实有") == Int(row[2]),
                        "\(date) \(row[0]) \(row[1])"
                    )
                }
                let approved = try await query(
                    node,
                    """
                    SELECT o.name, q.category, q.approved FROM establishment_quota q JOIN organization o ON o.id = q.org_id
                    WHERE q.id = (SELECT id FROM establishment_quota r WHERE r.org_id = q.org_id AND r.category = q.category
                                  AND r.effective_on <= '\(date)' ORDER BY r.effective_on DESC, r.id DESC LIMIT 1)
                    """
                )
                for row in approved {
                    #expect(
                        establishment.value(row[0], "\(names[row[1]]!)/核定") == Int(row[2]),
                        "\(date) \(row[0]) \(row[1])"
                    )
                }
                #expect(establishment.value("合计", "合计/实有") == total)
            }
        }
    }

    @Test func aPlacementEditedInTheDatabaseFailsTheBalanceAndTheTableIsStillWritten() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "300", "--seed", "7", "--today", Self.today])
            let before = try await table(node, ["movements", "--as-of", Self.today])
            #expect(before.checks.map(\.check) == ["balance"])
            #expect(before.checks[0].expected == before.checks[0].actual)
            // End one open placement of someone in post a month ago, with nothing on the timeline.
            let edit = try await ActionRaceTests.sqlite(
                node,
                """
                UPDATE placement SET valid_until = '2026-10-27'
                WHERE (person_id, valid_from, action_id) = (SELECT person_id, valid_from, action_id FROM placement WHERE valid_until IS NULL AND occupies = 1
                               AND valid_from < '2026-01-01' ORDER BY person_id LIMIT 1);
                """
            )
            try #require(edit.status == 0, "\(edit)")
            let out = scratch.appendingPathComponent("movements.csv").path
            let result = try await node.run([
                "report", "run", "movements", "--format", "csv", "--out", out, "--today", Self.today,
            ])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("校核未通过"), "\(result)")
            #expect(
                result.stderr.contains("expected \(before.checks[0].expected), found \(before.checks[0].actual - 1)")
            )
            let csv = try Data(contentsOf: URL(fileURLWithPath: out))
            #expect(csv.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
            #expect(String(decoding: csv.dropFirst(3), as: UTF8.self).hasPrefix("项目,期初人数,增加/录用"))
            let after = try await table(node, ["movements", "--as-of", Self.today])
            #expect(after.checks[0].expected != after.checks[0].actual)

            // A second placement in force at once for someone in post: counted twice in the
            // groups, once as a person, so the level table's own check fails.
            let doubled = try await ActionRaceTests.sqlite(
                node,
                """
                INSERT INTO placement(person_id, action_id, org_id, category, rank, post, status, occupies, valid_from, valid_until)
                SELECT person_id, action_id, org_id, category, rank, post, status, occupies, '2000-01-01', '2099-01-01'
                FROM placement WHERE valid_until IS NULL AND occupies = 1 ORDER BY person_id DESC LIMIT 1;
                """
            )
            try #require(doubled.status == 0, "\(doubled)")
            let level = try await table(node, ["level", "--as-of", Self.today])
            let rowsAddUp = try #require(level.checks.first { $0.check == "rows-add-up" })
            #expect(rowsAddUp.actual == rowsAddUp.expected + 1)
        }
    }

    @Test func theCasesTableCountsTheOpenCasesTheCaseListShows() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "200", "--seed", "42"])
            let listed = try await node.succeed(["case", "list", "--format", "json", "--limit", "10000"])
            let cases = try #require(try JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
            #expect(!cases.isEmpty)
            let result = try await node.succeed(["report", "run", "cases", "--format", "json"])
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let table = try decoder.decode(Table.self, from: result.stdoutData)
            #expect(table.value("合计", "合计") == cases.count)
            var byRule: [String: Int] = [:]
            for item in cases { byRule[item["rule"] as? String ?? "", default: 0] += 1 }
            #expect(table.rows.filter { $0.kind == "item" }.map { $0.values[0] }.reduce(0, +) == cases.count)
            #expect(byRule.count == table.rows.filter { $0.kind == "item" && $0.values[0] > 0 }.count)
        }
    }

    @Test func listNamesTheTablesAndAnExcelFileNeedsOut() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "50", "--seed", "7", "--today", Self.today])
            let list = try await node.succeed(["report", "list"])
            for name in [
                "movements", "level", "age", "education", "ethnicity-politics", "establishment", "leadership",
                "rank-quotas", "grades", "cases",
            ] {
                #expect(list.stdout.contains(name))
            }
            let excel = try await node.run(["report", "run", "level", "--format", "xlsx"])
            #expect(excel.status == 64)
            #expect(excel.stderr.contains("--out"))
            let unknown = try await node.run(["report", "run", "staff"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("There is no table called 'staff'"))
            // The same table written on two different days is the same file: nothing in it is
            // the day it was written (报出日期 stays a line to fill in unless given).
            var files: [Data] = []
            for (index, day) in ["2026-11-27", "2026-12-02"].enumerated() {
                let out = scratch.appendingPathComponent("level-\(index).xlsx").path
                try await node.succeed([
                    "report", "run", "level", "--as-of", "2026-06-30", "--format", "xlsx", "--out", out, "--today", day,
                ])
                files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
            }
            #expect(files[0].prefix(2) == Data("PK".utf8))
            #expect(files[0] == files[1])
        }
    }
}
