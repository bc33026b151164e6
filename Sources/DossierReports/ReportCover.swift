public import DossierCore

/// 表头信息: who reports a table and when, printed above it in the workbook and on the page.
/// 填表人 and 联系电话 stay blank lines, filled in by hand on the signed copy: the person who
/// signs is not always the one who ran the table. So does 报出日期 unless it is given.
public struct ReportCover: Sendable, Hashable {
    /// 填报单位: the organisation reporting.
    public var organization: String
    /// 单位负责人: the head of that organisation; nil leaves a line to fill in.
    public var principal: String?
    /// 报出日期: the day the table is sent; nil leaves a line to fill in (and keeps the file the
    /// same, byte for byte, whichever day it is written).
    public var reportedOn: CivilDate?

    public init(organization: String, principal: String? = nil, reportedOn: CivilDate? = nil) {
        self.organization = organization
        self.principal = principal
        self.reportedOn = reportedOn
    }

    /// The cover of `table`, reporting for the table's own scope.
    public init(for table: ReportTable, principal: String? = nil, reportedOn: CivilDate? = nil) {
        self.init(organization: table.scope, principal: principal, reportedOn: reportedOn)
    }

    /// One line of the cover: its label, and its text, nil for a line to fill in by hand.
    struct Line: Hashable {
        var label: String
        var text: String?
    }

    /// The cover's lines for `table`, in the order both formats print them: 时点 for a table of
    /// one day, 统计期间 for a table of movements over a period.
    func lines(for table: ReportTable) -> [Line] {
        let period =
            table.from.map { Line(label: "统计期间", text: "\($0) 至 \(table.asOf)") }
            ?? Line(label: "时点", text: table.asOf.description)
        return [
            Line(label: "填报单位", text: organization),
            Line(label: "单位负责人", text: principal),
            Line(label: "填表人", text: nil),
            Line(label: "联系电话", text: nil),
            Line(label: "报出日期", text: reportedOn?.description),
            period,
        ]
    }
}
