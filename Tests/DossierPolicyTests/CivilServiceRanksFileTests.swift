import DossierCore
import DossierPolicyFiles
import DossierTestSupport
import Foundation
import Testing

@testable import DossierPolicy

/// `civil-service-ranks-2019.yaml`: the promotion, assessment and sanction figures of civil
/// servants, checked against the rank ladder, refused whole with the file, line and reason.
@Suite struct CivilServiceRanksFileTests {
    static let file = "policies/civil-service-ranks-2019.yaml"

    static func shipped() throws -> String {
        try #require(PolicyFiles.shippedText(CivilServiceRanksFile.fileName))
    }

    /// The shipped text with `old` (which must occur exactly once) replaced by `new`.
    static func edited(_ old: String, _ new: String) throws -> String {
        let parts = try shipped().components(separatedBy: old)
        try #require(parts.count == 2, "'\(old)' occurs \(parts.count - 1) times")
        return parts.joined(separator: new)
    }

    func load(_ text: String) throws(PolicyError) -> Dated<PromotionPolicy> {
        try CivilServiceRanksFile.load(yaml: text, ladder: RankLadder.shippedVersions, file: Self.file)
    }

    @Test func theShippedFileHoldsTheFiguresOfThe2019Rules() throws {
        #expect(PolicyFiles.names.contains(CivilServiceRanksFile.fileName))
        let dated = try load(try Self.shipped())
        #expect(dated.versions.map(\.from) == [CivilDate(year: 2019, month: 6, day: 1)!])
        let policy = dated.latest
        // 四级调研员 needs 24 months as 一级主任科员; 一级巡视员 48 as 二级巡视员.
        #expect(policy.steps[.principal1] == .init(to: .researcher4, from: .principal1, months: 24))
        #expect(policy.steps[.inspector2] == .init(to: .inspector1, from: .inspector2, months: 48))
        #expect(policy.steps[.researcher2]?.months == 36)
        #expect(policy.steps.count == 11)
        #expect(policy.steps[.inspector1] == nil)
        #expect(policy.postCountsAs[.divisionDeputy] == .researcher4)
        #expect(policy.postCountsAs[.bureauDeputy] == .inspector2)
        #expect(policy.postCountsAs[.sectionDeputy] == .principal4)
        #expect(policy.excellentMonths == 6)
        #expect(policy.uncountedGrades == [.basicallyCompetent, .incompetent, .undetermined])
        #expect(policy.sanctionMonths == [.warning: 6, .demerit: 12, .majorDemerit: 18, .demotion: 24, .removal: 24])
        #expect(policy.enforcement == .refuse)
        #expect(
            policy.assessment
                == AssessmentPolicy(
                    scale: .civilService,
                    excellentWarnPercent: 20,
                    excellentRefusePercent: 25,
                    consecutiveFailuresForCase: 2,
                    failureDraftsDemotion: true
                )
        )
    }

    @Test func ranksMayBeWrittenByCode() throws {
        let text = try Self.edited("to: 四级调研员,   from: 一级主任科员", "to: L4-researcher, from: L1-principal")
        #expect(try load(text).latest.steps[.principal1]?.to == .researcher4)
    }

    @Test func withoutACaseCountNoCaseIsOpened() throws {
        let text = try Self.edited("consecutive_failures_for_case: 2\n", "")
        #expect(try load(text).latest.assessment.consecutiveFailuresForCase == nil)
    }

    /// One broken edit of the shipped file: the line the refusal must name and words of its reason.
    struct Breakage: Sendable, CustomStringConvertible {
        var old: String
        var new: String
        var line: Int
        var reason: String
        var description: String { reason }
    }

    static let breakages: [Breakage] = [
        // A rank the ladder does not hold.
        .init(
            old: "to: 四级调研员,   from: 一级主任科员",
            new: "to: 五级调研员,   from: 一级主任科员",
            line: 35,
            reason: "to '五级调研员' is not a rank of the rank ladder in force on 2019-06-01"
        ),
        .init(
            old: "from: 一级主任科员",
            new: "from: 主任科员",
            line: 35,
            reason: "from '主任科员' is not a rank of the rank ladder"
        ),
        // A missing step: the whole steps section is named.
        .init(
            old: "  - { to: 四级调研员,   from: 一级主任科员, months: 24 }\n",
            new: "",
            line: 29,
            reason: "steps has no step to 四级调研员: every rank of the ladder but the lowest needs one"
        ),
        // A step given twice: the second is named, with the first's line.
        .init(
            old: "  - { to: 四级调研员,   from: 一级主任科员, months: 24 }\n",
            new: "  - { to: 四级调研员,   from: 一级主任科员, months: 24 }\n  - { to: 四级调研员, from: 一级主任科员, months: 30 }\n",
            line: 36,
            reason: "the step to 四级调研员 is given twice (also on line 35)"
        ),
        // A step of two rungs.
        .init(
            old: "from: 一级主任科员",
            new: "from: 二级主任科员",
            line: 35,
            reason: "a step goes one rung: the rank just below 四级调研员 is 一级主任科员, not 二级主任科员"
        ),
        // A step to the lowest rank.
        .init(
            old: "  - { to: 一级科员,     from: 二级科员,     months: 24 }\n",
            new: "  - { to: 一级科员,     from: 二级科员,     months: 24 }\n  - { to: 二级科员, from: 一级科员, months: 24 }\n",
            line: 41,
            reason: "nobody is promoted to 二级科员: it is the lowest rank of the ladder"
        ),
        // Months that are not a positive whole number.
        .init(
            old: "from: 一级主任科员, months: 24",
            new: "from: 一级主任科员, months: 0",
            line: 35,
            reason: "the months of the step to 四级调研员 must be a positive whole number, not '0'"
        ),
        .init(
            old: "from: 一级主任科员, months: 24",
            new: "from: 一级主任科员, months: 1.5",
            line: 35,
            reason: "must be a positive whole number, not '1.5'"
        ),
        .init(
            old: "from: 一级主任科员, months: 24 }",
            new: "from: 一级主任科员, months: 24, note: 试行 }",
            line: 35,
            reason: "unknown key 'note' in a step"
        ),
        // Posts.
        .init(
            old: "  县处级副职: 四级调研员",
            new: "  县处级助理: 四级调研员",
            line: 45,
            reason: "'县处级助理' is not a leadership post"
        ),
        .init(
            old: "  县处级副职: 四级调研员",
            new: "  县处级副职: 五级调研员",
            line: 45,
            reason: "the rank of 县处级副职 '五级调研员' is not a rank of the rank ladder"
        ),
        .init(
            old: "  县处级副职: 四级调研员",
            new: "  县处级副职: 四级调研员\n  division-deputy: 三级调研员",
            line: 46,
            reason: "posts_count_as gives 县处级副职 twice"
        ),
        // Grades: only civil-service grades, never 优秀.
        .init(
            old: "[基本称职, 不称职, 不定等次]",
            new: "[基本称职, 不称职, 良好]",
            line: 50,
            reason: "uncounted_grades: '良好' is not a grade whose year can be left out (称职, 基本称职, 不称职, 不定等次)"
        ),
        .init(
            old: "[基本称职, 不称职, 不定等次]",
            new: "[基本称职, 优秀]",
            line: 50,
            reason: "uncounted_grades: '优秀' is not a grade whose year can be left out"
        ),
        .init(
            old: "[基本称职, 不称职, 不定等次]",
            new: "[基本合格, 不称职]",
            line: 50,
            reason: "uncounted_grades: '基本合格' is not a grade whose year can be left out"
        ),
        // Sanctions: known kinds, all five, positive months.
        .init(old: "  警告: 6", new: "  训诫: 6", line: 53, reason: "'训诫' is not a sanction kind (警告, 记过, 记大过, 降级, 撤职)"),
        .init(old: "  撤职: 24\n", new: "", line: 52, reason: "sanction_months does not give the months of 撤职"),
        .init(old: "  警告: 6", new: "  警告: -6", line: 53, reason: "the months of 警告 must be a positive whole number"),
        .init(old: "  警告: 6", new: "  警告: 6\n  warning: 3", line: 54, reason: "sanction_months gives 警告 twice"),
        // What approving someone not eligible does.
        .init(
            old: "not_eligible: refuse",
            new: "not_eligible: block",
            line: 59,
            reason: "not_eligible must be refuse or warn, not 'block'"
        ),
        // The 优秀 share.
        .init(
            old: "{ warn: 20, refuse: 25 }",
            new: "{ warn: 30, refuse: 25 }",
            line: 61,
            reason: "excellent_share warn (30) must not be above refuse (25)"
        ),
        .init(
            old: "{ warn: 20, refuse: 25 }",
            new: "{ warn: 20, refuse: 120 }",
            line: 61,
            reason: "excellent_share refuse must be a whole percentage from 0 to 100, not '120'"
        ),
        .init(old: "{ warn: 20, refuse: 25 }", new: "{ warn: 20 }", line: 61, reason: "excellent_share has no refuse"),
        .init(
            old: "consecutive_failures_for_case: 2",
            new: "consecutive_failures_for_case: 0",
            line: 62,
            reason: "consecutive_failures_for_case must be a positive whole number, not '0'"
        ),
        .init(
            old: "failure_drafts_demotion: true",
            new: "failure_drafts_demotion: sometimes",
            line: 63,
            reason: "failure_drafts_demotion must be true or false"
        ),
        // Unknown keys, and keys left out.
        .init(
            old: "excellent_months: 6\n",
            new: "excellent_months: 6\nexcellent_month: 6\n",
            line: 50,
            reason: "unknown key 'excellent_month'"
        ),
        .init(old: "not_eligible: refuse\n", new: "", line: 1, reason: "not_eligible is missing (refuse or warn)"),
    ]

    @Test(arguments: breakages)
    func aBrokenFileIsRefusedNamingTheFileTheLineAndTheReason(_ breakage: Breakage) throws {
        let text = try Self.edited(breakage.old, breakage.new)
        let error = #expect(throws: PolicyError.self) { try load(text) }
        guard let error else { return }
        #expect(error.file == Self.file)
        #expect(error.description.contains(Self.file))
        let place =
            breakage.line == 1
            ? "the version starting on line 1: " : "the version starting on line 1, at line \(breakage.line): "
        #expect(error.reason.hasPrefix(place), "\(error.reason)")
        #expect(error.reason.contains(breakage.reason), "\(error.reason)")
    }

    @Test func aBrokenLaterVersionRefusesTheWholeFileAndDatesMustIncrease() throws {
        let shipped = try Self.shipped()
        let body = String(shipped[try #require(shipped.range(of: "kind: civil-service-ranks-2019")).lowerBound...])
        let later = body.replacingOccurrences(of: "effective_from: 2019-06-01", with: "effective_from: 2027-01-01")
        let lines = shipped.split(separator: "\n", omittingEmptySubsequences: false).count
        // The two versions load; the second is in force from its date.
        let good = shipped + "---\n" + later.replacingOccurrences(of: "警告: 6", with: "警告: 9")
        let dated = try load(good)
        #expect(dated.at(CivilDate(year: 2026, month: 12, day: 31)!).months(of: .warning) == 6)
        #expect(dated.at(CivilDate(year: 2027, month: 1, day: 1)!).months(of: .warning) == 9)

        // A broken second version: nothing loads, and the refusal names the second version.
        let broken = shipped + "---\n" + later.replacingOccurrences(of: "not_eligible: refuse", with: "not_eligible: x")
        let error = #expect(throws: PolicyError.self) { try load(broken) }
        #expect(
            error?.reason.contains("the version starting on line \(lines + 1)") == true,
            "\(String(describing: error))"
        )

        // A second version that does not come after the first.
        let early = shipped + "---\n" + body.replacingOccurrences(of: "2019-06-01", with: "2019-01-01")
        let order = #expect(throws: PolicyError.self) { try load(early) }
        #expect(order?.reason.contains("does not come after the version before it") == true)
        #expect(order?.file == Self.file)
    }
}
