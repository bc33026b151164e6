import Foundation

/// A calendar date (日期) without time or zone, in the proleptic Gregorian calendar, as used for effective dates.
///
/// Years run from 1 to 9999 so that every date has a four-digit ISO form.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...31.
    public let day: Int

    /// The earliest representable date, 0001-01-01, as a day number.
    static let minDayNumber = -719_162
    /// The latest representable date, 9999-12-31, as a day number.
    static let maxDayNumber = 2_932_896

    /// Creates a date from its parts; nil for an impossible date (Feb 30, month 13, year outside 1...9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates a date from exactly "YYYY-MM-DD" (ten characters, zero-padded); nil for anything else.
    public init?(iso: String) {
        var text = iso
        guard let date = text.withUTF8({ CivilDate.parseISO($0) }) else { return nil }
        self = date
    }

    /// Creates a date from the spellings people type in forms and spreadsheets, all year first and
    /// so unambiguous: `2024-03-01`, `2024-3-1`, `2024/3/1`, `2024.3.1`, `2024年3月1日` and
    /// `20240301`. nil for anything else (`3/1/2024`, whose order is a guess, included) or a day that
    /// does not exist.
    public init?(commonSpelling text: String) {
        if let date = CivilDate(iso: text) {
            self = date
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts: [Substring]
        if trimmed.count == 8, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            parts = [trimmed.prefix(4), trimmed.dropFirst(4).prefix(2), trimmed.suffix(2)]
        } else {
            let spelled = trimmed.hasSuffix("日") ? String(trimmed.dropLast()) : trimmed
            parts = spelled.split(omittingEmptySubsequences: false) { "-/.年月".contains($0) }
            // One kind of separator, as written: "2024/3-1" is a typing slip, not a date.
            let separators = Set(spelled.filter { "-/.年月".contains($0) })
            guard separators.count == 1 || separators == ["年", "月"] else { return nil }
        }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        self = date
    }

    /// Creates a date from the UTF-8 bytes of exactly "YYYY-MM-DD"; nil for anything else.
    ///
    /// The fast path for bulk imports: no `String` is created.
    public init?(isoBytes: some Collection<UInt8>) {
        guard let date = isoBytes.withContiguousBytes({ CivilDate.parseISO($0) }) else { return nil }
        self = date
    }

    /// Creates a date from a buffer holding exactly "YYYY-MM-DD" in UTF-8; nil for anything else.
    /// Not generic, so a caller in another module pays no generic dispatch on a hot path.
    public init?(isoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let date = CivilDate.parseISO(bytes) else { return nil }
        self = date
    }

    /// Creates the date that is `dayNumber` days after 1970-01-01 (negative numbers go back).
    ///
    /// - Precondition: the result lies in 0001-01-01...9999-12-31.
    public init(dayNumber: Int) {
        precondition(
            (CivilDate.minDayNumber...CivilDate.maxDayNumber).contains(dayNumber),
            "day number outside years 1...9999"
        )
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date as "YYYY-MM-DD", zero-padded.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            CivilDate.writeDigits(year, count: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilDate.writeDigits(month, count: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            CivilDate.writeDigits(day, count: 2, into: buffer, at: 8)
            return 10
        }
    }

    /// Today's date in the process's local time zone.
    public static func today() -> CivilDate {
        let now = Date()
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + TimeZone.current.secondsFromGMT(for: now)
        return CivilDate(dayNumber: seconds.floorDivided(by: 86_400))
    }

    /// The date `days` days later (earlier if negative).
    public func adding(days: Int) -> CivilDate {
        CivilDate(dayNumber: dayNumber + days)
    }

    /// The same day `months` months later (earlier if negative), clamped to the end of a shorter month:
    /// Jan 31 + 1 month is Feb 28 (or Feb 29 in a leap year).
    ///
    /// - Precondition: the result's year lies in 1...9999.
    public func adding(months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let newYear = index.floorDivided(by: 12)
        let newMonth = index - newYear * 12 + 1
        precondition((1...9999).contains(newYear), "date outside years 1...9999")
        let newDay = min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
        return CivilDate(unchecked: newYear, newMonth, newDay)
    }

    /// Whole years of age (周岁) at `date` for someone born on this date: the count goes up on each birthday.
    ///
    /// Someone born on Feb 29 turns a year older on Mar 1 in common years. Negative if `date` is before this date.
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if date.month < month || (date.month == month && date.day < day) {
            years -= 1
        }
        return years
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes a date from its "YYYY-MM-DD" string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "A date must be written YYYY-MM-DD and be a real calendar date."
            )
        }
        self = date
    }

    /// Encodes the date as its "YYYY-MM-DD" string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CivilDate {
    /// For parts already known to be valid.
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` is a Gregorian leap year.
    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` (1...12) of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Reads `count` ASCII digits starting at `offset`; nil if any byte is not a digit.
    static func readDigits(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> Int? {
        var value = 0
        for index in offset..<(offset + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Parses exactly "YYYY-MM-DD".
    static func parseISO(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = readDigits(bytes, at: 0, count: 4),
            let month = readDigits(bytes, at: 5, count: 2),
            let day = readDigits(bytes, at: 8, count: 2)
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Parses exactly "YYYYMMDD", as inside an identity number.
    static func parseCompact(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> CivilDate? {
        guard let year = readDigits(bytes, at: offset, count: 4),
            let month = readDigits(bytes, at: offset + 4, count: 2),
            let day = readDigits(bytes, at: offset + 6, count: 2)
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Writes `value` as `count` zero-padded ASCII digits.
    static func writeDigits(_ value: Int, count: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value
        for index in stride(from: offset + count - 1, through: offset, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}

extension Int {
    /// Division rounding towards negative infinity, for day and month arithmetic before the epoch.
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
