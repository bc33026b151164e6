/// A rule of the domain refuses a request — no vacancy, a person still in post, a date before
/// the last action, someone acting on their own draft — in words a personnel officer can act
/// on. The service's use cases throw it from inside their transactions, which then leave
/// nothing behind; the storage has its own errors (`StoreError`) for what it cannot do.
///
/// A struct around a private code, so new reasons can be added without breaking callers. Each
/// reason reads in English (`description`) and in Simplified Chinese (`chineseDescription`, for
/// the admin pages); `refused(_:zh:)` takes both. The messages never contain an identity or phone
/// number.
public struct RuleRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        case quota(QuotaTimeline.Refusal, orgName: String, subject: Headcount.Subject)
        case notPlaced(Int64)
        case stillInPost(Int64, PersonStatus)
        case alreadyLeft(Int64, PersonStatus)
        case notAHireStatus(PersonStatus)
        case dateBeforeLastAction(CivilDate)
        case duplicateIdentityNumber
        case unknownOrganization(CreditCode)
        case unknownPerson(Int64)
        case unknownUser(String)
        case other(String, zh: String)
    }

    let code: Code

    private init(_ code: Code) { self.code = code }

    /// A quota would be exceeded, or is not in force.
    public static func quota(_ refusal: QuotaTimeline.Refusal, orgName: String, subject: Headcount.Subject) -> Self {
        Self(.quota(refusal, orgName: orgName, subject: subject))
    }

    /// A rule refuses the request, in the words given: English, and the same in Chinese.
    public static func refused(_ message: String, zh chinese: String) -> Self { Self(.other(message, zh: chinese)) }

    public static func notPlaced(_ id: Int64) -> Self { Self(.notPlaced(id)) }
    public static func stillInPost(_ id: Int64, _ status: PersonStatus) -> Self { Self(.stillInPost(id, status)) }
    public static func alreadyLeft(_ id: Int64, _ status: PersonStatus) -> Self { Self(.alreadyLeft(id, status)) }
    public static func notAHireStatus(_ status: PersonStatus) -> Self { Self(.notAHireStatus(status)) }
    public static func dateBeforeLastAction(_ date: CivilDate) -> Self { Self(.dateBeforeLastAction(date)) }
    public static let duplicateIdentityNumber = Self(.duplicateIdentityNumber)
    public static func unknownOrganization(_ code: CreditCode) -> Self { Self(.unknownOrganization(code)) }
    public static func unknownPerson(_ id: Int64) -> Self { Self(.unknownPerson(id)) }
    public static func unknownUser(_ name: String) -> Self { Self(.unknownUser(name)) }

    public var description: String { sentences.english }

    /// The same sentence in Simplified Chinese, for the admin pages.
    public var chineseDescription: String { sentences.chinese }

    /// Both sentences of each refusal, side by side, so the two languages say the same thing.
    private var sentences: (english: String, chinese: String) {
        switch code {
        case .quota(let refusal, let orgName, let subject):
            return Self.describe(refusal, orgName: orgName, subject: subject)
        case .notPlaced(let id):
            return ("Person \(id) holds no post to leave.", "档案号 \(id) 的人员没有在任职务，无从离职。")
        case .stillInPost(let id, let status):
            return (
                "Person \(id) is still \(status.chineseName) (\(status.code)); record their exit before a new hire.",
                "档案号 \(id) 的人员仍处于\(status.chineseName)（\(status.code)）状态；请先办理其离职，再录用。"
            )
        case .notAHireStatus(let status):
            return (
                "A hire starts as 试用 (probation) or 在职 (active), not \(status.chineseName) (\(status.code)).",
                "录用的起始状态应为试用或在职，不能是\(status.chineseName)（\(status.code)）。"
            )
        case .alreadyLeft(let id, let status):
            return (
                "Person \(id) has already left (\(status.chineseName)); there is no post to leave.",
                "档案号 \(id) 的人员已经离开（\(status.chineseName)），没有可离开的职务。"
            )
        case .dateBeforeLastAction(let date):
            return (
                "The effective date is before the person's last recorded action on \(date).",
                "生效日期早于该人员最近一次人事行为的日期 \(date)。"
            )
        case .duplicateIdentityNumber:
            return ("A person with this identity number is already on file.", "该公民身份号码的人员已在档。")
        case .unknownOrganization(let code):
            return ("No organisation with credit code \(code) is on file.", "统一社会信用代码为 \(code) 的机构不在档。")
        case .unknownPerson(let id):
            return ("No person with file number \(id) is on file.", "档案号为 \(id) 的人员不在档。")
        case .unknownUser(let name):
            return ("There is no user named '\(name)'.", "没有名为“\(name)”的用户。")
        case .other(let message, let chinese):
            return (message, chinese)
        }
    }

    private static func describe(
        _ refusal: QuotaTimeline.Refusal,
        orgName: String,
        subject: Headcount.Subject
    ) -> (english: String, chinese: String) {
        let what: (english: String, chinese: String)
        switch subject {
        case .category(let category):
            what = ("\(category.chineseName) (\(category.code))", "\(category.chineseName)（\(category.code)）")
        case .post(let post):
            what = ("\(post.chineseName) leadership post (\(post.code))", "\(post.chineseName)领导职数（\(post.code)）")
        case .rankBand(let band):
            what = ("rank quota \(band)", "职级职数 \(band)")
        }
        switch refusal {
        case .notEstablished(let date):
            return (
                "\(orgName) has no \(what.english) quota in force on \(date).",
                "\(orgName)在 \(date) 没有有效的\(what.chinese)。"
            )
        case .noVacancy(let date, let approved, let occupied):
            return (
                "\(orgName) has no vacancy in \(what.english) on \(date): \(approved) approved, \(occupied) occupied.",
                "\(orgName)的\(what.chinese)在 \(date) 没有空编：核定 \(approved) 名，已占用 \(occupied) 名。"
            )
        }
    }

    /// The quota's own refusal (no vacancy on a date, or none established), when that is the reason.
    public var quotaRefusal: QuotaTimeline.Refusal? {
        if case .quota(let refusal, _, _) = code { return refusal }
        return nil
    }

    /// True when the refusal is about a quota (no vacancy, or no such establishment).
    public var isQuotaRefusal: Bool {
        if case .quota = code { return true }
        return false
    }

    /// True when what the request names (organisation, person, user) is not on file.
    public var isNotFound: Bool {
        switch code {
        case .unknownOrganization, .unknownPerson, .unknownUser: return true
        default: return false
        }
    }

    /// True when the identity number is already on file.
    public var isDuplicateIdentityNumber: Bool { code == .duplicateIdentityNumber }
}
