import DossierCore
import DossierPolicyFiles
import DossierReportFiles
import Foundation
import Testing

@testable import DossierPolicy

/// Table definitions (`Reports/tables/*.yaml`) and the groupings (`Reports/dimensions.yaml`):
/// the shipped ones load, and a broken one is refused with its file, line and reason.
@Suite struct ReportDefinitionFileTests {
    private let level = """
        kind: report
        version: 1
        number: 2
        title: 职务职级层次
        measure: headcount
        rows: level
        columns: [org-level, sex]
        checks:
          - rows-add-up

        """

    private func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            let definition = try ReportDefinitionFile.load(yaml: text, name: "mine", file: "reports/mine.yaml")
            Issue.record("accepted: \(definition)", sourceLocation: sourceLocation)
            return ""
        } catch {
            #expect(error.file == "reports/mine.yaml", sourceLocation: sourceLocation)
            return error.description
        }
    }

    private static var ladder: Dated<RankLadder> {
        get throws { try PolicySource.shipped.ladder() }
    }

    @Test func theShippedTablesAndGroupingsLoad() throws {
        let catalog = try ReportSource(folder: nil).catalog(ladder: Self.ladder)
        #expect(catalog.definitions.map(\.number) == Array(1...10))
        let dimensions = catalog.dimensions.at(CivilDate(year: 2026, month: 12, day: 31)!)
        #expect(dimensions.levels.count == 10)
        #expect(dimensions.levels.last?.isRest == true)
        #expect(dimensions.ageBands.map(\.label).first == "30岁及以下")
        #expect(dimensions.education.first?.codes == ["10", "11", "14"])
        #expect(dimensions.politicalStatus.first?.codes == ["01", "02"])
        let level = try #require(catalog.definition("level"))
        #expect(level.rows == .level)
        #expect(level.columns == [.orgLevel, .sex])
        #expect(level.checks == [.rowsAddUp, .sameTotalAs("movements")])
    }

    @Test func aWellFormedDefinitionReadsAsWritten() throws {
        let definition = try ReportDefinitionFile.load(
            yaml: level + "filter: { category: [行政编制, pscs] }\n",
            name: "mine",
            file: "mine.yaml"
        )
        #expect(definition.number == 2)
        #expect(definition.facts == [.rank, .post, .orgLevel, .sex])
        #expect(definition.filter == [.category: ["admin", "pscs"]])
    }

    @Test func anUnknownDimensionIsRefusedWithItsLine() {
        let text = level.replacingOccurrences(of: "columns: [org-level, sex]", with: "columns: [org-level, gender]")
        let message = refusal(text)
        #expect(message.contains("at line 7"), "\(message)")
        #expect(message.contains("'gender' is not a dimension"), "\(message)")
    }

    @Test func anUnknownKeyAndAMissingTitleAreRefused() {
        #expect(refusal(level + "colour: red\n").contains("unknown key 'colour'"))
        #expect(refusal(level.replacingOccurrences(of: "title: 职务职级层次\n", with: "")).contains("title is missing"))
    }

    @Test func aCheckThatDoesNotSuitTheTableIsRefused() {
        let message = refusal(level + "  - balance\n")
        #expect(message.contains("'balance' is not a check of a headcount table"), "\(message)")
        #expect(message.contains("line 10"), "\(message)")
    }

    @Test func movementsReasonsMustBeActionsAndCountedOnce() {
        let movements = """
            kind: report
            version: 1
            number: 1
            title: 人员数量变化
            measure: movements
            additions:
              - { label: 录用, actions: [录用] }
              - { label: 调入, actions: [调入, 录用] }
            reductions:
              - { label: 离开, actions: [辞职, leave] }

            """
        #expect(refusal(movements).contains("录用 is already counted under another reason"))
        let fixed = movements.replacingOccurrences(of: "[调入, 录用]", with: "[调入]")
        let message = refusal(fixed)
        #expect(message.contains("'leave' is not a personnel action"), "\(message)")
        #expect(message.contains("line 10"), "\(message)")
    }

    @Test func aQuotaTableTakesNeitherColumnsNorAFilter() {
        let quota = """
            kind: report
            version: 1
            number: 6
            title: 编制使用
            measure: establishment
            rows: organization

            """
        #expect(refusal(quota + "columns: [sex]\n").contains("a quota table's columns are fixed"))
        #expect(refusal(quota + "filter: { sex: [男] }\n").contains("leave filter out"))
    }

    @Test func aCrossCheckNamingNoTableIsRefusedByTheCatalogue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try (level + "  - same-total-as: nowhere\n").write(
            to: folder.appendingPathComponent("mine.yaml"),
            atomically: true,
            encoding: .utf8
        )
        #expect {
            _ = try ReportSource(folder: folder.path).catalog(ladder: Self.ladder)
        } throws: { error in
            "\(error)".contains("mine.yaml")
                && "\(error)".contains(
                    "line 10: the check same-total-as names the table 'nowhere', which does not exist"
                )
        }
    }

    @Test func aNodeFileAddsATableAndReplacesAShippedOneOfTheSameName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try level.replacingOccurrences(of: "number: 2", with: "number: 19").write(
            to: folder.appendingPathComponent("mine.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try level.replacingOccurrences(of: "title: 职务职级层次", with: "title: 本地层次表").write(
            to: folder.appendingPathComponent("level.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let catalog = try ReportSource(folder: folder.path).catalog(ladder: Self.ladder)
        #expect(catalog.definitions.count == 11)
        #expect(catalog.definitions.last?.name == "mine")
        #expect(catalog.definition("level")?.title == "本地层次表")
    }

    @Test func groupingsPlacingOneCodeTwiceOrOverlappingBandsAreRefused() throws {
        let text = try #require(ReportFiles.dimensionsText)
        let twice = text.replacingOccurrences(
            of: "{ label: 大学本科, codes: [大学本科] }",
            with: "{ label: 大学本科, codes: [大学本科, 研究生] }"
        )
        #expect {
            _ = try ReportDimensionsFile.load(yaml: twice, ladder: Self.ladder)
        } throws: { error in
            "\(error)".contains("the code 10 is placed in two groups of education")
        }
        let overlap = text.replacingOccurrences(
            of: "{ label: 31至35岁, min: 31, max: 35 }",
            with: "{ label: 31至35岁, min: 30, max: 35 }"
        )
        #expect {
            _ = try ReportDimensionsFile.load(yaml: overlap, ladder: Self.ladder)
        } throws: { error in
            "\(error)".contains("overlaps the one before it")
        }
    }
}
