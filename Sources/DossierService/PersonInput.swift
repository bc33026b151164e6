public import DossierCore

/// The fields of one person as typed or imported, before validation: the CSV columns and the
/// `person add` options share this shape and this one set of rules.
public struct PersonInput: Sendable, Hashable {
    public var idNumber = ""
    public var name = ""
    public var sex = ""
    public var birthDate = ""
    public var ethnicity = ""
    public var education = ""
    public var politicalStatus = ""
    public var phone = ""
    public var orgCode = ""
    public var category = ""
    public var rank = ""
    public var post = ""
    public var status = ""
    public var hiredOn = ""

    public init() {}

    /// The import file's columns, in the documented order.
    /// Control characters refused in a name: all but tab, line feed and carriage return.
    static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        if InvisibleFormatting.isPlainPrintable(scalar) { return false }
        return scalar.properties.generalCategory == .control && !["\t", "\n", "\r"].contains(scalar)
    }

    public static let columns = [
        "id_number", "name", "sex", "birth_date", "ethnicity", "education", "political_status", "phone", "org_code",
        "category", "rank", "post", "status", "hired_on",
    ]

    /// Sets the field for a column name; false for an unknown column.
    @discardableResult
    public mutating func set(_ column: String, _ value: String) -> Bool {
        switch column {
        case "id_number": idNumber = value
        case "name": name = value
        case "sex": sex = value
        case "birth_date": birthDate = value
        case "ethnicity": ethnicity = value
        case "education": education = value
        case "political_status": politicalStatus = value
        case "phone": phone = value
        case "org_code": orgCode = value
        case "category": category = value
        case "rank": rank = value
        case "post": post = value
        case "status": status = value
        case "hired_on": hiredOn = value
        default: return false
        }
        return true
    }
}

/// One thing wrong with one field, safe to show: identity and phone numbers are masked.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public var column: String
    /// The value as far as it is safe to show.
    public var shownValue: String
    public var message: String

    public var description: String {
        shownValue.isEmpty ? "\(column): \(message)" : "\(column) \"\(shownValue)\": \(message)"
    }
}

/// Every problem found in one person's fields.
public struct FieldProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var all: [FieldProblem]
    /// The identity number, when that field itself was valid (duplicates can still be checked).
    public var idNumber: ResidentID?
    /// The organisation's code, when that field itself was valid (its existence can be checked).
    public var orgCode: CreditCode?

    public var description: String { all.map(\.description).joined(separator: "; ") }
}

extension PersonInput {
    /// Validates every field and returns the person, or every problem found (not just the first).
    ///
    /// - Parameters:
    ///   - today: the reference date for birth dates in the future and minimum working age.
    ///   - ladder: the rank ladder, read on the hire's date.
    public func validated(today: CivilDate, ladder: Dated<RankLadder>) -> Result<NewPerson, FieldProblems> {
        var problems: [FieldProblem] = []
        func problem(_ column: String, _ shown: String, _ message: String) {
            problems.append(FieldProblem(column: column, shownValue: Self.safeToShow(shown), message: message))
        }
        func required(_ column: String, _ value: String) -> Bool {
            if value.isEmpty { problem(column, "", "a value is required.") }
            return !value.isEmpty
        }
        func coded<T: CodedValue>(_ type: T.Type, _ column: String, _ value: String) -> T? {
            guard required(column, value) else { return nil }
            guard let found = T(codeOrName: value) else {
                problem(column, value, "not a known \(T.tableName) code or name.")
                return nil
            }
            return found
        }

        var id: ResidentID?
        if required("id_number", idNumber) {
            if Self.isScientificNotation(idNumber) {
                problem(
                    "id_number",
                    idNumber,
                    "looks like a number a spreadsheet turned into scientific notation: its digits are lost. "
                        + "Format the column as Text and type the identity numbers again."
                )
            } else {
                do {
                    let parsed = try ResidentID(idNumber)
                    try parsed.validate(notAfter: today)
                    id = parsed
                } catch {
                    problem("id_number", ResidentID.mask(idNumber), error.description)
                }
            }
        }
        let trimmedName = name.trimmingCharacters(in: " \t")
        if required("name", trimmedName), let refused = Self.nameProblem(trimmedName) {
            problem("name", "", refused)
        }
        if !sex.isEmpty {
            if let given = Sex(codeOrName: sex) {
                if let id, given != id.sex {
                    problem("sex", sex, "disagrees with the identity number, which gives \(id.sex.chineseName).")
                }
            } else {
                problem("sex", sex, "not a known sex code or name.")
            }
        }
        if !birthDate.isEmpty {
            if let given = CivilDate(commonSpelling: birthDate) {
                if let id, given != id.birthDate {
                    problem("birth_date", birthDate, "disagrees with the identity number, which gives \(id.birthDate).")
                }
            } else {
                problem("birth_date", birthDate, Self.dateRule)
            }
        }
        let ethnicityValue = coded(Ethnicity.self, "ethnicity", ethnicity)
        let educationValue = coded(Education.self, "education", education)
        let politicalValue = coded(PoliticalStatus.self, "political_status", politicalStatus)
        let phoneValue = phone.isEmpty ? nil : phone
        if let phoneValue, !Self.isPlausiblePhone(phoneValue) {
            problem("phone", Self.maskPhone(phoneValue), "a phone number has 5 to 20 digits, '+' and '-' only.")
        }
        var org: CreditCode?
        if required("org_code", orgCode) {
            do { org = try CreditCode(orgCode) } catch { problem("org_code", orgCode, error.description) }
        }
        let categoryValue = coded(EstablishmentCategory.self, "category", category)
        var postValue: LeadershipPost?
        if !post.isEmpty {
            postValue = LeadershipPost(codeOrName: post)
            if postValue == nil { problem("post", post, "not a known leadership post code or name.") }
        }
        var statusValue: PersonStatus?
        if required("status", status) {
            if let found = PersonStatus(codeOrName: status), found == .probation || found == .active {
                statusValue = found
            } else {
                problem("status", status, "a new hire starts as 试用 (probation) or 在职 (active).")
            }
        }
        var hired: CivilDate?
        if required("hired_on", hiredOn) {
            if let date = CivilDate(commonSpelling: hiredOn) {
                hired = date
                if let id, date < id.birthDate.adding(months: 16 * 12) {
                    problem("hired_on", hiredOn, "is before the person's 16th birthday.")
                }
            } else {
                problem("hired_on", hiredOn, Self.dateRule)
            }
        }
        // Read with the rank ladder in force on the day of the hire.
        var rankValue: Rank?
        if !rank.isEmpty {
            rankValue = ladder.at(hired ?? today).rank(codeOrName: rank)
            if rankValue == nil { problem("rank", rank, "not a rank code or name of the rank ladder.") }
        }
        guard problems.isEmpty, let id, let ethnicityValue, let educationValue, let politicalValue, let org,
            let categoryValue, let statusValue, let hired
        else { return .failure(FieldProblems(all: problems, idNumber: id, orgCode: org)) }
        return .success(
            NewPerson(
                idNumber: id,
                name: trimmedName,
                ethnicity: ethnicityValue,
                education: educationValue,
                politicalStatus: politicalValue,
                phone: phoneValue,
                hire: HireTerms(
                    orgCode: org,
                    category: categoryValue,
                    rank: rankValue,
                    post: postValue,
                    status: statusValue,
                    effectiveOn: hired
                )
            )
        )
    }

    /// `3.90301E+17`: what Excel shows, and saves to CSV, for an 18-digit number typed as a number.
    static func isScientificNotation(_ text: String) -> Bool {
        let parts = text.uppercased().split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let mantissa = Double(parts[0]), mantissa >= 1, mantissa < 10 else { return false }
        let exponent = parts[1].hasPrefix("+") ? parts[1].dropFirst() : parts[1]
        return !exponent.isEmpty && exponent.allSatisfy(\.isNumber)
    }

    /// The Chinese column headers a personnel office's own sheets use, each to its column (the
    /// English names stay the contract for scripts).
    public static let chineseColumns: [String: String] = [
        "公民身份号码": "id_number", "身份证号": "id_number", "身份证号码": "id_number", "姓名": "name",
        "性别": "sex", "出生日期": "birth_date", "民族": "ethnicity", "学历": "education",
        "政治面貌": "political_status", "联系电话": "phone", "电话": "phone", "手机号码": "phone",
        "单位统一社会信用代码": "org_code", "单位代码": "org_code", "编制类型": "category", "职级": "rank",
        "领导职务": "post", "人员状态": "status", "状态": "status", "入职日期": "hired_on", "录用日期": "hired_on",
    ]

    static let dateRule =
        "dates are written year first (2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日) and must exist."

    /// A value as it may appear in a message: anything shaped like an identity number (in any
    /// column: people paste into the wrong one) is masked. Phone numbers are masked by the
    /// phone check itself.
    public static func safeToShow(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let digits = bytes.filter { $0 >= 48 && $0 <= 57 }.count
        if bytes.count >= 15, digits >= 14 { return ResidentID.mask(value) }
        return value
    }

    /// Why a (trimmed) name is refused, in words for the person who typed it; nil if it is not.
    /// The one rule for names, at filing and when a name changes.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a value is required." }
        if name.count > 50 { return "a name can have at most 50 characters." }
        // NUL and the like are a damaged file, not a name (and SQLite's C strings would cut the
        // name short at a NUL). Line breaks and tabs pass: a quoted CSV value may hold them.
        if name.unicodeScalars.contains(where: isRefusedControl) {
            return "a name cannot contain NUL or other control characters."
        }
        // A right-to-left override or a zero-width space makes a name look like another one, in
        // lists, exports and package file names.
        if InvisibleFormatting.isIn(name) {
            return
                "a name cannot contain invisible formatting characters (such as right-to-left marks or zero-width spaces)."
        }
        return nil
    }

    static func isPlausiblePhone(_ text: String) -> Bool {
        let digits = text.utf8.filter { $0 >= 48 && $0 <= 57 }.count
        return (5...20).contains(digits) && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 }
    }

    /// A change of details as shown to its readers: the phone number it states masked, as on the
    /// person's file.
    static func masked(_ change: DetailsChange) -> DetailsChange {
        var change = change
        change.phone = change.phone.map(maskPhone)
        return change
    }

    /// Keeps the first 3 and last 4 characters of a phone number.
    public static func maskPhone(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
