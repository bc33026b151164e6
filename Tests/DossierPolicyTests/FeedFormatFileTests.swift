import DossierCore
import DossierPolicyFiles
import Foundation
import Testing

@testable import DossierPolicy

/// `feeds/*.yaml`: how a city's social-insurance, payroll and attendance exports are laid out.
@Suite struct FeedFormatFileTests {
    /// The shipped format of `feed`, as a node reads it at start.
    private func shipped(_ feed: FeedKind) throws -> Dated<FeedFormat> {
        let name = FeedFormatFile.fileName(feed)
        let text = try #require(PolicyFiles.shippedText(name), "\(name) is not shipped")
        return try FeedFormatFile.load(yaml: text, feed: feed, file: name)
    }

    /// Loads `text` as the format of `feed`, which must be refused; returns the error's reason.
    private func refusal(
        _ text: String,
        feed: FeedKind = .attendance,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        do {
            let format = try FeedFormatFile.load(yaml: text, feed: feed, file: "my-feed.yaml")
            Issue.record("accepted: \(format)", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.file == "my-feed.yaml", sourceLocation: sourceLocation)
            #expect(
                error.description.hasPrefix("The policy file my-feed.yaml cannot be used: "),
                sourceLocation: sourceLocation
            )
            return error.reason
        }
    }

    /// A valid attendance format; tests break one line of it at a time.
    private let attendance = """
        kind: feed-format
        version: 1
        effective_from: 2019-01-01
        feed: attendance
        columns:
          id_number: 公民身份号码
          name: 姓名
          date: 日期
          attendance: 考勤状态
        codes:
          attendance: { 出勤: present, 旷工: absent, 请假: leave, 公出: business, 休息: rest }
        dates:
          date: YYYY-MM-DD
        """

    @Test func theShippedFormatsNameExactlyTheNationalHeaders() throws {
        let headers: [FeedKind: [String]] = [
            .socialInsurance: ["公民身份号码", "姓名", "单位统一社会信用代码", "险种类型", "个人缴费状态", "离退休标志", "状态变更日期"],
            .payroll: ["公民身份号码", "姓名", "单位统一社会信用代码", "发放年月", "应发合计", "实发合计"],
            .attendance: ["公民身份号码", "姓名", "日期", "考勤状态"],
        ]
        for feed in FeedKind.allCases {
            let format = try shipped(feed).at(CivilDate(year: 2026, month: 12, day: 3)!)
            #expect(format.kind == feed)
            #expect(feed.fields.compactMap { format.headers[$0] } == headers[feed], "\(feed)")
        }
    }

    @Test func theShippedCodesMeanWhatTheNationalTablesSay() throws {
        let day = CivilDate(year: 2026, month: 12, day: 3)!
        let insurance = try shipped(.socialInsurance).at(day)
        #expect(insurance.meaning(of: "110", in: .insuranceType) == "pension")
        #expect(insurance.meaning(of: "120", in: .insuranceType) == "pension")
        #expect(insurance.meaning(of: "310", in: .insuranceType) == "medical")
        #expect(insurance.meaning(of: "1", in: .contributionStatus) == "contributing")
        #expect(insurance.meaning(of: "2", in: .contributionStatus) == "suspended")
        #expect(insurance.meaning(of: "3", in: .contributionStatus) == "terminated")
        #expect(insurance.meaning(of: "9", in: .contributionStatus) == nil)
        #expect(insurance.meaning(of: "1", in: .retired) == "retired")
        #expect(insurance.dateFormats[.changedOn] == .isoDay)
        let payroll = try shipped(.payroll).at(day)
        #expect(payroll.dateFormats[.month] == .isoMonth)
        let attendance = try shipped(.attendance).at(day)
        #expect(attendance.meaning(of: "旷工", in: .attendance) == "absent")
        #expect(attendance.meaning(of: "休息", in: .attendance) == "rest")
    }

    @Test func datesAreReadOnlyInTheExactShapeTheFormatNames() {
        #expect(FeedDateFormat.isoDay.parse("2024-02-29") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(FeedDateFormat.isoDay.parse("2023-02-29") == nil)
        #expect(FeedDateFormat.isoDay.parse("2024-2-29") == nil)
        #expect(FeedDateFormat.isoDay.parse("2024/02/29") == nil)
        #expect(FeedDateFormat.compactDay.parse("20240229") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(FeedDateFormat.slashDay.parse("2024/02/29") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(FeedDateFormat.isoMonth.parse("2024-07") == CivilDate(year: 2024, month: 7, day: 1))
        #expect(FeedDateFormat.isoMonth.parse("2024-13") == nil)
        #expect(FeedDateFormat.compactMonth.parse("202407") == CivilDate(year: 2024, month: 7, day: 1))
        #expect(FeedDateFormat.isoMonth.parse("2024-07-01") == nil)
        #expect(FeedDateFormat.isoDay.parse("２０２４-02-29") == nil)
    }

    @Test func aDateWrittenInAFormatIsReadBackByIt() {
        let leapDay = CivilDate(year: 2024, month: 2, day: 29)!
        #expect(FeedDateFormat.isoDay.write(leapDay) == "2024-02-29")
        #expect(FeedDateFormat.compactDay.write(leapDay) == "20240229")
        #expect(FeedDateFormat.slashDay.write(leapDay) == "2024/02/29")
        #expect(FeedDateFormat.isoMonth.write(leapDay) == "2024-02")
        #expect(FeedDateFormat.compactMonth.write(leapDay) == "202402")
        #expect(FeedDateFormat.slashMonth.write(leapDay) == "2024/02")
        for format in FeedDateFormat.allCases {
            let expected = format.unit == .day ? leapDay : CivilDate(year: 2024, month: 2, day: 1)!
            #expect(format.parse(format.write(leapDay)) == expected, "\(format.rawValue)")
        }
    }

    @Test func aCityThatChangesItsExportAddsAVersionThatAppliesFromItsDate() throws {
        let text =
            attendance + """

                ---
                kind: feed-format
                version: 1
                effective_from: 2025-01-01
                feed: attendance
                columns: { id_number: 身份证号, name: 姓名, date: 考勤日期, attendance: 状态 }
                codes:
                  attendance: { "0": present, "1": absent, "2": leave, "3": business, "4": rest }
                dates: { date: YYYYMMDD }
                """
        let formats = try FeedFormatFile.load(yaml: text, feed: .attendance, file: "my-feed.yaml")
        let before = formats.at(CivilDate(year: 2024, month: 12, day: 31)!)
        let after = formats.at(CivilDate(year: 2025, month: 1, day: 1)!)
        #expect(before.headers[.idNumber] == "公民身份号码" && before.dateFormats[.date] == .isoDay)
        #expect(after.headers[.idNumber] == "身份证号" && after.dateFormats[.date] == .compactDay)
        #expect(after.meaning(of: "1", in: .attendance) == "absent")
        #expect(after.meaning(of: "旷工", in: .attendance) == nil)
    }

    @Test func aBrokenFileIsRefusedWithTheLineAndTheReason() {
        func broken(_ old: String, _ new: String) -> String {
            precondition(attendance.contains(old), old)
            return attendance.replacingOccurrences(of: old, with: new)
        }
        let cases: [(text: String, feed: FeedKind, reason: String)] = [
            (broken("  date: 日期\n", "  day: 日期\n"), .attendance, "line 8: 'day' is not a field of attendance"),
            (broken("  date: 日期\n", ""), .attendance, "columns does not name the column of date"),
            (broken("  name: 姓名\n", "  name: 日期\n"), .attendance, "line 8: the column '日期' is named for both"),
            (broken("旷工: absent", "旷工: missing"), .attendance, "line 11: code '旷工' of attendance means 'missing'"),
            (broken("  date: YYYY-MM-DD", "  date: DD.MM.YYYY"), .attendance, "line 13: date is written 'DD.MM.YYYY'"),
            (broken("  date: YYYY-MM-DD", "  date: YYYY-MM"), .attendance, "line 13: date is written 'YYYY-MM'"),
            (broken("dates:\n  date: YYYY-MM-DD", "dates: {}"), .attendance, "dates does not say how date is written"),
            (broken("feed: attendance", "feed: payroll"), .attendance, "line 4: feed is 'payroll'"),
            (broken("feed: attendance", "feeds: attendance"), .attendance, "line 4: unknown key 'feeds'"),
            (attendance, .payroll, "line 4: feed is 'attendance', but this file is the format of payroll"),
            (
                broken("kind: feed-format", "kind: documents"), .attendance,
                "kind is 'documents', expected 'feed-format'"
            ),
        ]
        for (text, feed, reason) in cases {
            let refused = refusal(text, feed: feed)
            #expect(refused?.contains(reason) == true, "\(reason) — got \(String(describing: refused))")
        }
    }
}
