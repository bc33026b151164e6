import DossierCore
import DossierPolicyFiles
import DossierTestSupport
import Foundation
import Testing

@testable import DossierPolicy

/// One adapter per kind of policy file, chosen by the kind a file names; every shipped file loads
/// through its adapter, and the node's whole set loads with the new policies in it.
@Suite struct PolicyAdapterTests {
    @Test func everyShippedFileHasOneAdapterAndLoadsThroughIt() throws {
        let kinds = PolicyKinds.kindNames.components(separatedBy: ", ")
        #expect(Set(kinds).count == kinds.count)
        #expect(kinds.count == 10)
        for name in PolicyFiles.names {
            let expected = PolicyKinds.kind(fileName: name)
            #expect(expected != nil, "\(name)")
            let text = try #require(PolicyFiles.shippedText(name), "\(name)")
            // The file names its kind (or, holding comments only, is known by its name), and
            // validating it as a file on its own picks that kind.
            let checked = try PolicySource.shipped.validate(text, file: name)
            #expect(checked.kind == expected)
        }
        let entries = PolicySource.shipped.entries()
        #expect(entries.map(\.source.name) == PolicyFiles.names)
        for entry in entries {
            #expect(entry.problem == nil, "\(entry.source.name): \(String(describing: entry.problem))")
            #expect(!entry.source.isNodeCopy)
        }
        #expect(entries.first { $0.kind == LocalRulesFile.kind }?.versions.isEmpty == true)
        #expect(entries.first { $0.kind == DocumentPolicyFile.kind }?.versions.map(\.effectiveFrom) == [nil])
    }

    @Test func theShippedSetCarriesThePromotionAndInstitutionRules() throws {
        let set = try PolicySource.shipped.policySet()
        let day = CivilDate(year: 2026, month: 11, day: 1)!
        let promotion = try #require(set.promotion).at(day)
        #expect(promotion.steps[.principal1]?.to == .researcher4)
        #expect(promotion.steps[.principal1]?.months == 24)
        #expect(promotion.postCountsAs[.divisionDeputy] == .researcher4)
        #expect(SanctionKind.allCases.map(promotion.months(of:)) == [6, 12, 18, 24, 24])
        #expect(set.assessment(.civilService, on: day)?.excellentRefusePercent == 25)
        #expect(set.assessment(.publicInstitution, on: day)?.failureDraftsDemotion == false)
    }

    @Test func anUnknownOrMissingKindIsRefusedWithTheFileAndTheLine() {
        let unknown = #expect(throws: PolicyError.self) {
            try PolicyKinds.adapter(for: "# 职级\nkind: rank-table\nversion: 1\n", file: "mine.yaml")
        }
        #expect(unknown?.file == "mine.yaml")
        #expect(unknown?.reason.hasPrefix("line 2: kind 'rank-table' is not a policy Dossier knows (") == true)
        #expect(unknown?.reason.contains("civil-service-ranks-2019") == true)

        let missing = #expect(throws: PolicyError.self) {
            try PolicyKinds.adapter(for: "version: 1\n", file: "mine.yaml")
        }
        #expect(missing?.reason.contains("it does not say its kind") == true)
    }

    @Test func aFeedFormatCheckedAloneIsReadAsTheFeedItNames() throws {
        let name = FeedFormatFile.fileName(.payroll)
        let text = try #require(PolicyFiles.shippedText(name))
        let checked = try PolicySource.shipped.validate(text, file: "payroll-copy.yaml")
        #expect(checked.kind == FeedFormatFile.kind)
        #expect(!checked.versions.isEmpty)
    }

    @Test func aNodeCopyIsReadInsteadOfTheShippedFileAndABrokenOneIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(LocalRulesFile.fileName).path
        try
            "kind: local-rules\nversion: 1\neffective_from: 2027-01-01\npolicy: civil-service-ranks-2019\nexcellent_months: 3\n"
            .write(toFile: path, atomically: false, encoding: .utf8)
        let source = PolicySource(folder: folder.path)
        let promotion = try #require(try source.policySet().promotion)
        #expect(promotion.at(CivilDate(year: 2026, month: 12, day: 31)!).excellentMonths == 6)
        #expect(promotion.at(CivilDate(year: 2027, month: 1, day: 1)!).excellentMonths == 3)
        let shown = try source.inForce(CivilServiceRanksFile.fileName, on: CivilDate(year: 2027, month: 3, day: 1)!)
        #expect(shown.localRule?.from == CivilDate(year: 2027, month: 1, day: 1)!)
        #expect(shown.version?.effectiveFrom == CivilDate(year: 2019, month: 6, day: 1)!)

        try "kind: local-rules\nversion: 1\neffective_from: 2027-01-01\npolicy: pay\n"
            .write(toFile: path, atomically: false, encoding: .utf8)
        let error = #expect(throws: PolicyError.self) { try source.policySet() }
        #expect(error?.file == path)
        #expect(error?.reason.contains("at line 4: policy 'pay'") == true, "\(String(describing: error))")
        let entry = source.entries().first { $0.kind == LocalRulesFile.kind }
        #expect(entry?.source.isNodeCopy == true)
        #expect(entry?.problem?.file == path)
    }
}
