import DossierCore
import DossierPolicyFiles
import DossierTestSupport
import Foundation
import Testing

@testable import DossierPolicy

/// `local-rules.yaml` (实施细则): single figures of the civil-service and public-institution
/// rules changed from a date, everything else as the policy says on each day.
@Suite struct LocalRulesFileTests {
    static let file = "policies/local-rules.yaml"

    static func base() throws -> Dated<PromotionPolicy> {
        let text = try #require(PolicyFiles.shippedText(CivilServiceRanksFile.fileName))
        return try CivilServiceRanksFile.load(yaml: text, ladder: RankLadder.shippedVersions)
    }

    static func institution() throws -> Dated<AssessmentPolicy> {
        try PublicInstitutionStaffFile.load(
            yaml: #require(PolicyFiles.shippedText(PublicInstitutionStaffFile.fileName))
        )
    }

    static func context() throws -> PolicyContext {
        PolicyContext(ladder: RankLadder.shippedVersions, promotion: try base(), publicInstitution: try institution())
    }

    func load(_ text: String) throws(PolicyError) -> LocalRules {
        let context: PolicyContext
        do { context = try Self.context() } catch { fatalError("the shipped policies do not load: \(error)") }
        return try LocalRulesFile.load(yaml: text, file: Self.file, context: context)
    }

    static func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    @Test func theShippedFileHoldsCommentsOnlyAndChangesNothing() throws {
        #expect(PolicyFiles.names.contains(LocalRulesFile.fileName))
        let text = try #require(PolicyFiles.shippedText(LocalRulesFile.fileName))
        let rules = try load(text)
        #expect(rules.rules.isEmpty)
        let base = try Self.base()
        #expect(try rules.applied(to: base) == base)
        #expect(try rules.applied(to: Self.institution()) == Self.institution())
        #expect(try LocalRulesFile.versions(of: text, file: Self.file).isEmpty)
    }

    @Test func aChangedFigureHoldsFromItsDateAndNothingElseChanges() throws {
        let rules = try load(
            """
            kind: local-rules
            version: 1
            effective_from: 2027-01-01
            policy: civil-service-ranks-2019
            steps:
              - { to: 四级调研员, months: 36 }
            excellent_share: { warn: 15 }
            sanction_months: { 警告: 9 }

            """
        )
        let base = try Self.base()
        let changed = try rules.applied(to: base)
        #expect(changed.versions.map(\.from) == [Self.day("2019-06-01"), Self.day("2027-01-01")])
        let before = changed.at(Self.day("2026-12-31"))
        let after = changed.at(Self.day("2027-01-01"))
        #expect(before == base.latest)
        #expect(after.steps[.principal1]?.months == 36)
        #expect(after.assessment.excellentWarnPercent == 15)
        #expect(after.assessment.excellentRefusePercent == 25)
        #expect(after.sanctionMonths[.warning] == 9)
        // Everything the rule does not name stays as the policy says.
        var expected = base.latest
        expected.steps[.principal1]?.months = 36
        expected.assessment.excellentWarnPercent = 15
        expected.sanctionMonths[.warning] = 9
        #expect(after == expected)
        #expect(rules.inForce(CivilServiceRanksFile.kind, on: Self.day("2026-12-31")) == nil)
        #expect(rules.inForce(CivilServiceRanksFile.kind, on: Self.day("2027-06-01"))?.line == 1)
    }

    @Test func aLaterRuleReplacesTheEarlierAndEachPolicyHasItsOwnDates() throws {
        let rules = try load(
            """
            # Two changes to the civil service, and one, from the same day, to public institutions.
            kind: local-rules
            version: 1
            effective_from: 2027-01-01
            policy: civil-service-ranks-2019
            excellent_share: { warn: 15, refuse: 20 }
            ---
            kind: local-rules
            version: 1
            effective_from: 2027-01-01
            policy: public-institution-staff
            consecutive_failures_for_case: 3
            ---
            kind: local-rules
            version: 1
            effective_from: 2028-01-01
            policy: civil-service-ranks-2019
            not_eligible: warn

            """
        )
        let civil = try rules.applied(to: Self.base())
        #expect(civil.at(Self.day("2027-06-01")).assessment.excellentRefusePercent == 20)
        #expect(civil.at(Self.day("2027-06-01")).enforcement == .refuse)
        // From 2028 the later rule is the one in force: the share is the policy's again.
        #expect(civil.at(Self.day("2028-01-01")).assessment.excellentRefusePercent == 25)
        #expect(civil.at(Self.day("2028-01-01")).enforcement == .warn)
        let institution = try rules.applied(to: Self.institution())
        #expect(institution.at(Self.day("2026-12-31")).consecutiveFailuresForCase == 2)
        #expect(institution.at(Self.day("2027-01-01")).consecutiveFailuresForCase == 3)
        #expect(institution.at(Self.day("2027-01-01")).scale == .publicInstitution)
    }

    /// A broken local rule: the line the refusal must name and words of its reason.
    struct Breakage: Sendable, CustomStringConvertible {
        var body: String
        var line: Int
        var reason: String
        var description: String { reason }
    }

    static let breakages: [Breakage] = [
        .init(
            body: "policy: promotion-rules\n",
            line: 4,
            reason:
                "policy 'promotion-rules' is not one local rules can change (civil-service-ranks-2019 or public-institution-staff)"
        ),
        .init(body: "excellent_months: 3\n", line: 1, reason: "policy is missing"),
        .init(
            body: "policy: civil-service-ranks-2019\nposts_count_as: { 县处级副职: 三级调研员 }\n",
            line: 5,
            reason: "unknown key 'posts_count_as' in a local rule for civil-service-ranks-2019"
        ),
        .init(
            body: "policy: public-institution-staff\nfailure_drafts_demotion: true\n",
            line: 5,
            reason: "unknown key 'failure_drafts_demotion' in a local rule for public-institution-staff"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nsteps:\n  - { to: 五级调研员, months: 36 }\n",
            line: 6,
            reason: "to '五级调研员' is not a rank of the rank ladder in force on 2027-01-01"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nsteps:\n  - { to: 四级调研员, from: 一级主任科员, months: 36 }\n",
            line: 6,
            reason: "unknown key 'from' in a changed step"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nsteps:\n  - { to: 二级科员, months: 36 }\n",
            line: 6,
            reason: "civil-service-ranks-2019 in force on 2027-01-01 has no step to 二级科员 to change"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nsteps:\n  - { to: 四级调研员, months: 0 }\n",
            line: 6,
            reason: "the months of the step to 四级调研员 must be a positive whole number, not '0'"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nsanction_months: { 罚款: 6 }\n",
            line: 5,
            reason: "'罚款' is not a sanction kind"
        ),
        .init(
            body: "policy: civil-service-ranks-2019\nnot_eligible: ignore\n",
            line: 5,
            reason: "not_eligible must be refuse or warn, not 'ignore'"
        ),
        // The share as changed must still warn before it refuses.
        .init(
            body: "policy: civil-service-ranks-2019\nexcellent_share: { warn: 30 }\n",
            line: 5,
            reason: "excellent_share warn (30) would be above refuse (25)"
        ),
        .init(
            body: "policy: public-institution-staff\nconsecutive_failures_for_case: 0\n",
            line: 5,
            reason: "consecutive_failures_for_case must be a positive whole number"
        ),
    ]

    @Test(arguments: breakages)
    func aBrokenLocalRuleIsRefusedNamingTheFileTheLineAndTheReason(_ breakage: Breakage) {
        let text = "kind: local-rules\nversion: 1\neffective_from: 2027-01-01\n" + breakage.body
        let error = #expect(throws: PolicyError.self) { try load(text) }
        guard let error else { return }
        #expect(error.file == Self.file)
        let place =
            breakage.line == 1
            ? "the version starting on line 1: " : "the version starting on line 1, at line \(breakage.line): "
        #expect(error.reason.hasPrefix(place), "\(error.reason)")
        #expect(error.reason.contains(breakage.reason), "\(error.reason)")
    }

    @Test func datesMustIncreaseForEachPolicy() {
        let text = """
            kind: local-rules
            version: 1
            effective_from: 2028-01-01
            policy: civil-service-ranks-2019
            excellent_months: 3
            ---
            kind: local-rules
            version: 1
            effective_from: 2027-01-01
            policy: civil-service-ranks-2019
            excellent_months: 4

            """
        let error = #expect(throws: PolicyError.self) { try load(text) }
        #expect(
            error?.reason
                == "the version starting on line 7: effective_from 2027-01-01 does not come after the version before it for policy civil-service-ranks-2019 (2028-01-01)"
        )
    }
}
