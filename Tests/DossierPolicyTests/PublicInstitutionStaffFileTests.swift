import DossierCore
import DossierPolicyFiles
import Foundation
import Testing

@testable import DossierPolicy

/// `public-institution-staff.yaml`: the assessment rules of 事业单位 staff and service workers.
@Suite struct PublicInstitutionStaffFileTests {
    static let file = "policies/public-institution-staff.yaml"

    static func shipped() throws -> String {
        try #require(PolicyFiles.shippedText(PublicInstitutionStaffFile.fileName))
    }

    @Test func theShippedFileHoldsTheFiguresOfTheInstitutionScale() throws {
        #expect(PolicyFiles.names.contains(PublicInstitutionStaffFile.fileName))
        let dated = try PublicInstitutionStaffFile.load(yaml: Self.shipped())
        #expect(dated.versions.map(\.from) == [CivilDate(year: 2019, month: 6, day: 1)!])
        #expect(
            dated.latest
                == AssessmentPolicy(
                    scale: .publicInstitution,
                    excellentWarnPercent: 20,
                    excellentRefusePercent: 25,
                    consecutiveFailuresForCase: 2,
                    failureDraftsDemotion: false
                )
        )
    }

    @Test(
        arguments: [
            ("failure_drafts_demotion: false", "failure_drafts_demotion: false\nsteps: []", 16, "unknown key 'steps'"),
            (
                "{ warn: 20, refuse: 25 }", "{ warn: -1, refuse: 25 }", 13,
                "excellent_share warn must be a whole percentage"
            ),
            (
                "{ warn: 20, refuse: 25 }", "{ warn: 20, refuse: 25, cap: 30 }", 13,
                "unknown key 'cap' in excellent_share"
            ),
            (
                "consecutive_failures_for_case: 2", "consecutive_failures_for_case: two", 14,
                "must be a positive whole number"
            ),
            ("failure_drafts_demotion: false\n", "", 1, "failure_drafts_demotion is missing (true or false)"),
        ]
    )
    func aBrokenFileIsRefusedNamingTheFileTheLineAndTheReason(
        old: String,
        new: String,
        line: Int,
        reason: String
    ) throws {
        let text = try Self.shipped().replacingOccurrences(of: old, with: new)
        let error = #expect(throws: PolicyError.self) {
            try PublicInstitutionStaffFile.load(yaml: text, file: Self.file)
        }
        guard let error else { return }
        #expect(error.file == Self.file)
        let place = line == 1 ? "the version starting on line 1: " : "the version starting on line 1, at line \(line): "
        #expect(error.reason.hasPrefix(place), "\(error.reason)")
        #expect(error.reason.contains(reason), "\(error.reason)")
    }
}
