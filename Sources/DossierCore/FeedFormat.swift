/// The kinds of outside data Dossier reconciles the personnel record against (DOMAIN.md §8).
public enum FeedKind: String, Sendable, Hashable, CaseIterable {
    /// 社保参保明细: one row per person and insurance type.
    case socialInsurance = "social-insurance"
    /// 工资发放: one row per person and month paid.
    case payroll
    /// 考勤: one row per person and day.
    case attendance

    /// The fields a row of this kind carries, each of which a format must name a column for.
    public var fields: [FeedField] {
        switch self {
        case .socialInsurance:
            return [.idNumber, .name, .orgCode, .insuranceType, .contributionStatus, .retired, .changedOn]
        case .payroll: return [.idNumber, .name, .orgCode, .month, .gross, .net]
        case .attendance: return [.idNumber, .name, .date, .attendance]
        }
    }
}

/// One field of a feed row, as Dossier understands it whatever the local export calls it.
public enum FeedField: String, Sendable, Hashable, CaseIterable {
    case idNumber = "id_number"
    case name
    case orgCode = "org_code"
    case insuranceType = "insurance_type"
    case contributionStatus = "contribution_status"
    case retired
    case changedOn = "changed_on"
    case month
    case gross
    case net
    case date
    case attendance

    /// What a coded field's local codes may mean (nil: the field is not coded).
    public var meanings: Set<String>? {
        switch self {
        case .insuranceType: return ["pension", "medical", "unemployment", "work-injury", "maternity"]
        case .contributionStatus: return ["contributing", "suspended", "terminated"]
        case .retired: return ["retired", "not-retired"]
        case .attendance: return ["present", "absent", "leave", "business", "rest"]
        default: return nil
        }
    }

    /// Whether the field holds a day or a month, written in a format the file names.
    public var dateKind: FeedDateFormat.Unit? {
        switch self {
        case .changedOn, .date: return .day
        case .month: return .month
        default: return nil
        }
    }
}

/// How a local export writes a day or a month.
public enum FeedDateFormat: String, Sendable, Hashable, CaseIterable {
    case isoDay = "YYYY-MM-DD"
    case compactDay = "YYYYMMDD"
    case slashDay = "YYYY/MM/DD"
    case isoMonth = "YYYY-MM"
    case compactMonth = "YYYYMM"
    case slashMonth = "YYYY/MM"

    /// A day or a month.
    public enum Unit: Sendable, Hashable {
        case day
        case month
    }

    public var unit: Unit {
        switch self {
        case .isoDay, .compactDay, .slashDay: return .day
        case .isoMonth, .compactMonth, .slashMonth: return .month
        }
    }

    /// A day written in this format (for a month format: its month), as an export would write it.
    public func write(_ date: CivilDate) -> String {
        let iso = date.description
        let text = unit == .day ? iso : String(iso.prefix(7))
        switch self {
        case .isoDay, .isoMonth: return text
        case .slashDay, .slashMonth: return text.split(separator: "-").joined(separator: "/")
        case .compactDay, .compactMonth: return text.split(separator: "-").joined()
        }
    }

    /// The day written in this format (for a month format: its first day); nil when the text is
    /// not exactly that shape or names no real date.
    public func parse(_ text: String) -> CivilDate? {
        let separator: UInt8?
        switch self {
        case .isoDay, .isoMonth: separator = UInt8(ascii: "-")
        case .slashDay, .slashMonth: separator = UInt8(ascii: "/")
        case .compactDay, .compactMonth: separator = nil
        }
        let digits = Array(text.utf8)
        let length = (unit == .day ? 8 : 6) + (separator == nil ? 0 : (unit == .day ? 2 : 1))
        guard digits.count == length else { return nil }
        var numbers: [UInt8] = []
        for (index, byte) in digits.enumerated() {
            let isSeparatorPosition = separator != nil && (index == 4 || index == 7)
            if isSeparatorPosition {
                guard byte == separator else { return nil }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                numbers.append(byte - UInt8(ascii: "0"))
            }
        }
        func value(_ range: Range<Int>) -> Int { numbers[range].reduce(0) { $0 * 10 + Int($1) } }
        return CivilDate(year: value(0..<4), month: value(4..<6), day: unit == .day ? value(6..<8) : 1)
    }
}

/// How one city's export of one kind of feed is laid out: the column header of each field, what
/// its local codes mean, and how it writes dates. Read from `Policies/feeds/*.yaml`, so a
/// personnel office adapts Dossier to its exports by editing a file, never the program.
public struct FeedFormat: Sendable, Hashable {
    public let kind: FeedKind
    /// The column header of each field of the kind.
    public let headers: [FeedField: String]
    /// For each coded field, each local code and what it means (one of `FeedField.meanings`).
    public let codes: [FeedField: [String: String]]
    /// For each date field, how it is written.
    public let dateFormats: [FeedField: FeedDateFormat]

    public init(
        kind: FeedKind,
        headers: [FeedField: String],
        codes: [FeedField: [String: String]],
        dateFormats: [FeedField: FeedDateFormat]
    ) {
        self.kind = kind
        self.headers = headers
        self.codes = codes
        self.dateFormats = dateFormats
    }

    /// What a local code of a coded field means; nil when the format does not know the code.
    public func meaning(of code: String, in field: FeedField) -> String? {
        codes[field]?[code]
    }
}
