public import DossierCore
public import Foundation

/// What the audit log shows people: times in the node's time zone, and free text (a reason)
/// with anything that looks like an identity or phone number masked before it is recorded.
public enum AuditText {
    /// `text` with every run of 11 or more digits (an X may end it: an identity number) masked
    /// as identity numbers are (`ResidentID.mask`): reasons are recorded for good in the log,
    /// which must never hold a full identity or phone number.
    public static func masked(_ text: String) -> String {
        var result = ""
        var run = ""
        func flush() {
            let digits = run.filter(\.isNumber).count
            result += digits >= 11 ? ResidentID.mask(run) : run
            run = ""
        }
        for character in text {
            if character.isASCII, character.isNumber || ((character == "X" || character == "x") && !run.isEmpty) {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// An entry's UTC time (`2026-12-04T08:30:00.000Z`) in the node's time zone, to the second,
    /// with the offset: `2026-12-04 16:30:00 +08:00`. Text it cannot read is shown as it is.
    public static func localTime(_ utc: String, in zone: TimeZone = .current) -> String {
        guard let seconds = epochSeconds(utc) else { return utc }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        let local = seconds + offset
        let day = CivilDate(dayNumber: Int((Double(local) / 86_400).rounded(.down)))
        let inDay = local - day.dayNumber * 86_400
        let sign = offset < 0 ? "-" : "+"
        return "\(day) \(two(inDay / 3_600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) "
            + "\(sign)\(two(abs(offset) / 3_600)):\(two(abs(offset) / 60 % 60))"
    }

    /// The first instant of a day in the node's time zone, as UTC ISO 8601 like entries record it.
    public static func startOfDay(_ day: CivilDate, in zone: TimeZone = .current) -> String {
        let midnightUTC = day.dayNumber * 86_400
        let start = midnightUTC - zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(midnightUTC)))
        let date = CivilDate(dayNumber: Int((Double(start) / 86_400).rounded(.down)))
        let inDay = start - date.dayNumber * 86_400
        return "\(date)T\(two(inDay / 3_600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)).000Z"
    }

    /// Whole seconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.mmm]Z`, the form the node records times in.
    public static func epochSeconds(_ text: String) -> Int? {
        let parts = text.split(whereSeparator: { "-T:Z.".contains($0) })
        guard text.hasSuffix("Z"), parts.count >= 6, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Int(parts[5]),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        return date.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
