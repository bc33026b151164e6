/// One fact about a person in post that a statistical table can count by (统计口径). The store
/// groups people by the facts a table needs; the table's dimensions then sort the groups into
/// its rows and columns.
public enum ReportFact: String, Sendable, Hashable, CaseIterable, Codable {
    /// 性别: the sex code (1 男, 2 女).
    case sex
    /// 民族: the ethnicity code.
    case ethnicity
    /// 学历: the education code.
    case education
    /// 政治面貌: the political-status code.
    case politicalStatus = "political-status"
    /// 编制类别: the establishment category of the slot held.
    case category
    /// 职级: the rank code, "" for none.
    case rank
    /// 领导职务: the leadership post code, "" for none.
    case post
    /// 机构层级: the level of the organisation the person is placed in.
    case orgLevel = "org-level"
    /// 单位: the organisation's unified social credit code.
    case organization
    /// 年龄: whole years of age on the report's date.
    case age
}

/// A filter on facts: only people whose fact is one of the codes are counted.
public typealias ReportFilter = [ReportFact: Set<String>]
