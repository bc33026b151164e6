public import DossierCore
public import DossierReports
import Foundation

extension Dossier {
    /// A unit's staff roster (花名册) on `day`: everyone in post there (and under it, with
    /// `subtree`), as the workbook the command line and the pages both write. Identity numbers
    /// are masked unless `reveal`, which is audited as every reveal is; the notes sheet says which.
    /// A unit outside the user's organisations is refused: a roster titled with its name that
    /// listed only the part within reach would mislead.
    public func roster(org: CreditCode, subtree: Bool, on day: CivilDate, reveal: Bool) async throws -> Roster {
        try require(.readPeople)
        let unit = try await organization(org)
        if let scope = try await readableScope(), !scope.contains(unit.id) {
            throw ServiceError(
                .notFound,
                "\(unit.name) is not within your organisations, so its roster is not yours to take.",
                zh: "\(unit.name)不在您的管理范围内，不能导出其花名册。"
            )
        }
        var people: [PersonView] = []
        while true {
            let page = try await self.people(
                on: day,
                org: org,
                subtree: subtree,
                after: people.last?.id ?? 0,
                limit: 1000,
                reveal: reveal
            )
            people += page
            if page.count < 1000 { break }
        }
        let ladder = rankLadder(on: day)
        return Roster(
            title: "\(unit.name)花名册",
            notes: [
                .init("单位", "\(unit.name)（\(unit.code)）\(subtree ? "及下级单位" : "")"),
                .init("截至日期", day.description),
                .init("人数", String(people.count)),
                .init("导出人", actor.name),
                .init("公民身份号码", reveal ? "完整显示（已记入审计日志）" : "已遮蔽"),
            ],
            headers: [
                "姓名", "性别", "民族", "出生年月", "公民身份号码", "政治面貌", "学历", "单位", "编制类型", "职级", "领导职务",
                "人员状态", "起始日期",
            ],
            rows: people.map { person in
                [
                    person.name, person.sex.chineseName, person.ethnicity.chineseName,
                    String(person.birthDate.description.prefix(7)).replacingOccurrences(of: "-", with: "."),
                    person.idNumber, person.politicalStatus.chineseName, person.education.chineseName,
                    person.orgName ?? "", person.category?.chineseName ?? "",
                    person.rank.map(ladder.name(of:)) ?? "",
                    person.post?.chineseName ?? "", person.status?.chineseName ?? "",
                    person.since?.description ?? "",
                ]
            }
        )
    }
}
