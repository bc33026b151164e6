import DossierCore
import Testing

/// Every refusal of the core reads in Chinese as well as in English (the admin pages show the
/// Chinese), with the same figures and never the identity number.
@Suite struct ChineseRefusalTests {
    private static let day = CivilDate(iso: "2025-03-01")!

    @Test func aQuotaRefusalNamesTheQuotaAndItsFiguresInChinese() {
        let refusal = RuleRefusal.quota(
            .noVacancy(on: Self.day, approved: 3, occupied: 3),
            orgName: "第一局",
            subject: .category(.administrative)
        )
        #expect(refusal.description == "第一局 has no vacancy in 行政编制 (admin) on 2025-03-01: 3 approved, 3 occupied.")
        #expect(refusal.chineseDescription == "第一局的行政编制（admin）在 2025-03-01 没有空编：核定 3 名，已占用 3 名。")
        let post = RuleRefusal.quota(.notEstablished(on: Self.day), orgName: "第一局", subject: .post(.divisionHead))
        #expect(post.chineseDescription == "第一局在 2025-03-01 没有有效的县处级正职领导职数（division-head）。")
    }

    @Test func aRuleRefusalKeepsBothSentencesItWasGiven() {
        let refusal = RuleRefusal.refused("A rejection needs a reason.", zh: "退回须写明原因。")
        #expect(refusal.description == "A rejection needs a reason.")
        #expect(refusal.chineseDescription == "退回须写明原因。")
        #expect(RuleRefusal.unknownPerson(42).chineseDescription == "档案号为 42 的人员不在档。")
        #expect(RuleRefusal.duplicateIdentityNumber.chineseDescription == "该公民身份号码的人员已在档。")
    }

    @Test func aBadCheckCharacterIsExplainedInChineseWithoutTheNumber() {
        let text = "110105194912310021"
        let error = #expect(throws: IdentifierError.self) { _ = try ResidentID(text) }
        #expect(error?.chineseDescription == "校验码不正确：应为 X，实为 1。")
        #expect(error?.chineseDescription.contains(String(text.prefix(17))) == false)
    }

    @Test func aCreditCodeOfTheWrongLengthIsExplainedInChinese() {
        let error = #expect(throws: IdentifierError.self) { _ = try CreditCode("91310110666007217") }
        #expect(error?.chineseDescription == "统一社会信用代码应为 18 位，现为 17 位。")
    }
}
