import DossierCore
import Foundation
import Testing

@Suite struct CivilDateTests {
    @Test func impossibleDatesAreRejected() {
        #expect(CivilDate(year: 2024, month: 2, day: 30) == nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2024, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2024, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2024, month: 1, day: 0) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
        #expect(CivilDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test func leapDaysFollowTheGregorianRule() {
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
    }

    @Test func isoTextParsesOnlyTheStrictForm() throws {
        let date = try #require(CivilDate(iso: "2024-01-05"))
        #expect(date.year == 2024 && date.month == 1 && date.day == 5)
        for bad in [
            "2024-1-05", "2024/01/05", " 2024-01-05", "2024-01-05 ", "2024-01-5", "24-01-05", "2024-02-30",
            "2024-13-01", "0000-01-01", "", "2024-01-0a", "２０２４-01-05", "+024-01-05",
        ] {
            #expect(CivilDate(iso: bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test func isoBytesParseLikeText() {
        #expect(CivilDate(isoBytes: Array("1949-10-01".utf8)) == CivilDate(year: 1949, month: 10, day: 1))
        #expect(CivilDate(isoBytes: "x1949-10-01".utf8.dropFirst()) == CivilDate(year: 1949, month: 10, day: 1))
        #expect(CivilDate(isoBytes: Array("1949-10-1".utf8)) == nil)
        #expect(CivilDate(isoBytes: Array("1949-02-29".utf8)) == nil)
    }

    @Test func descriptionIsZeroPaddedISO() {
        #expect(CivilDate(year: 7, month: 3, day: 9)?.description == "0007-03-09")
        #expect(CivilDate(year: 2024, month: 12, day: 31)?.description == "2024-12-31")
        #expect("\(CivilDate(year: 1949, month: 10, day: 1)!)" == "1949-10-01")
    }

    @Test func dayNumberMatchesKnownAnchors() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CivilDate(year: 1969, month: 12, day: 31)?.dayNumber == -1)
        #expect(CivilDate(year: 2000, month: 3, day: 1)?.dayNumber == 11_017)
        #expect(CivilDate(year: 1, month: 1, day: 1)?.dayNumber == -719_162)
        #expect(CivilDate(year: 9999, month: 12, day: 31)?.dayNumber == 2_932_896)
    }

    @Test func dayNumberRoundTripsAgainstADayByDayWalkOverAllYears() {
        var year = 1
        var month = 1
        var day = 1
        var mismatches = 0
        for number in -719_162...2_932_896 {
            let date = CivilDate(dayNumber: number)
            if date.year != year || date.month != month || date.day != day || date.dayNumber != number {
                mismatches += 1
            }
            // Step the expected date by hand, independently of the library.
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            day += 1
            if day > length {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(year == 10_000 && month == 1 && day == 1)
    }

    @Test func addingDaysCrossesMonthsAndYears() {
        let date = CivilDate(year: 2023, month: 12, day: 31)!
        #expect(date.adding(days: 1) == CivilDate(year: 2024, month: 1, day: 1))
        #expect(date.adding(days: 60) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(date.adding(days: -365) == CivilDate(year: 2022, month: 12, day: 31))
    }

    @Test func addingMonthsClampsToTheMonthEnd() {
        let january31 = CivilDate(year: 2024, month: 1, day: 31)!
        #expect(january31.adding(months: 1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(year: 2023, month: 1, day: 31)!.adding(months: 1) == CivilDate(year: 2023, month: 2, day: 28))
        #expect(january31.adding(months: 3) == CivilDate(year: 2024, month: 4, day: 30))
        #expect(january31.adding(months: 12) == CivilDate(year: 2025, month: 1, day: 31))
        #expect(january31.adding(months: -1) == CivilDate(year: 2023, month: 12, day: 31))
        #expect(january31.adding(months: -13) == CivilDate(year: 2022, month: 12, day: 31))
        #expect(
            CivilDate(year: 2024, month: 2, day: 29)!.adding(months: 12) == CivilDate(year: 2025, month: 2, day: 28)
        )
        #expect(january31.adding(months: 0) == january31)
    }

    @Test func ageCountsWholeYearsUpToTheBirthday() {
        let born = CivilDate(year: 1980, month: 6, day: 15)!
        #expect(born.age(on: CivilDate(year: 2020, month: 6, day: 14)!) == 39)
        #expect(born.age(on: CivilDate(year: 2020, month: 6, day: 15)!) == 40)
        #expect(born.age(on: CivilDate(year: 2020, month: 12, day: 31)!) == 40)
        #expect(born.age(on: born) == 0)
        let leapling = CivilDate(year: 2000, month: 2, day: 29)!
        #expect(leapling.age(on: CivilDate(year: 2001, month: 2, day: 28)!) == 0)
        #expect(leapling.age(on: CivilDate(year: 2001, month: 3, day: 1)!) == 1)
    }

    @Test func datesCompareChronologically() {
        let dates = ["2024-01-02", "1999-12-31", "2024-01-01", "2023-12-31"].compactMap { CivilDate(iso: $0) }
        #expect(dates.sorted().map(\.description) == ["1999-12-31", "2023-12-31", "2024-01-01", "2024-01-02"])
    }

    @Test func todayIsAPlausibleDate() {
        let today = CivilDate.today()
        #expect(today.year >= 2024)
        #expect(abs(today.dayNumber - Int(Date().timeIntervalSince1970 / 86_400)) <= 1)
    }

    @Test func codableUsesTheISOString() throws {
        let date = CivilDate(year: 2019, month: 6, day: 1)!
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2019-06-01"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2019-02-30"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2019-6-1"]"#.utf8))
        }
    }

    @Test(arguments: [
        ("2024-03-01", "2024-03-01"), ("2024-3-1", "2024-03-01"), ("2024/3/1", "2024-03-01"),
        ("2024/03/01", "2024-03-01"), ("2024.3.1", "2024-03-01"), ("2024年3月1日", "2024-03-01"),
        ("2024年03月01日", "2024-03-01"), ("20240301", "2024-03-01"), (" 2024/3/1 ", "2024-03-01"),
    ])
    func commonYearFirstSpellingsNameTheirDate(text: String, iso: String) {
        #expect(CivilDate(commonSpelling: text) == CivilDate(iso: iso), "\(text)")
    }

    @Test(arguments: [
        "3/1/2024", "01-03-2024", "2024/3-1", "2024-2-30", "2024-13-1", "24/3/1", "2024年3月", "2024031", "",
    ])
    func ambiguousOrImpossibleSpellingsAreNoDate(text: String) {
        #expect(CivilDate(commonSpelling: text) == nil, "\(text)")
    }
}
