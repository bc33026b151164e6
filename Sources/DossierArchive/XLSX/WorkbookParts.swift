/// What `xl/workbook.xml` says that matters for reading its first sheet.
struct WorkbookPart {
    /// The relationship id of the first sheet in tab order (`<sheets><sheet r:id=…>`).
    var firstSheetRelationship: String?
    /// Dates count from 1904-01-01 (old Mac workbooks) instead of 1900.
    var uses1904Dates = false

    init(_ scanner: XMLScanner) throws {
        var inSheets = false
        while true {
            switch try scanner.next() {
            case .finished: return
            case .start where scanner.isNamed("workbookPr"):
                let value = try scanner.attribute("date1904")
                uses1904Dates = value == "1" || value == "true"
            case .start where scanner.isNamed("sheets"):
                inSheets = true
            case .end where scanner.isNamed("sheets"):
                inSheets = false
            case .start where inSheets && scanner.isNamed("sheet") && firstSheetRelationship == nil:
                // `r:id`: the relationships namespace; matched by local name like every name here.
                firstSheetRelationship = try scanner.attribute("id")
            default: break
            }
        }
    }
}

/// A part's relationships (`xl/_rels/workbook.xml.rels`): id to target part, and the targets of
/// a type.
struct Relationships {
    struct Relationship {
        var type: String
        var target: String
    }

    var byID: [String: Relationship] = [:]

    /// Reads the relationships of a part in `folder` (`xl`), resolving targets to zip paths.
    init(_ scanner: XMLScanner, folder: String) throws {
        while true {
            switch try scanner.next() {
            case .finished: return
            case .start where scanner.isNamed("Relationship"):
                guard try scanner.attribute("TargetMode") != "External",
                    let id = try scanner.attribute("Id"),
                    let target = try scanner.attribute("Target"),
                    let type = try scanner.attribute("Type")
                else { continue }
                byID[id] = Relationship(type: type, target: Self.resolve(target, in: folder))
            default: break
            }
        }
    }

    /// The part a target names, as a zip path: targets are relative to the source part's folder
    /// unless they start with `/` (OPC part names).
    static func resolve(_ target: String, in folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in target.split(separator: "/") {
            if component == ".." {
                _ = parts.popLast()
            } else if component != "." {
                parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The target of the first relationship whose type ends with `/suffix`.
    func target(ofType suffix: String) -> String? {
        byID.values.filter { $0.type.hasSuffix("/" + suffix) }.map(\.target).min()
    }
}

/// Which cell formats (`<cellXfs>` indexes, the `s` of a cell) show a number as a date.
struct DateStyles {
    private var isDate: [Bool] = []

    init() {}

    init(_ scanner: XMLScanner) throws {
        var custom: [Int: Bool] = [:]
        var inCellFormats = false
        while true {
            switch try scanner.next() {
            case .finished: return
            case .start where scanner.isNamed("numFmt"):
                if let id = try scanner.attribute("numFmtId").flatMap({ Int($0) }),
                    let code = try scanner.attribute("formatCode")
                {
                    custom[id] = Self.isDateFormat(code)
                }
            case .start where scanner.isNamed("cellXfs"):
                inCellFormats = true
            case .end where scanner.isNamed("cellXfs"):
                inCellFormats = false
            case .start where inCellFormats && scanner.isNamed("xf"):
                let id = try scanner.attribute("numFmtId").flatMap { Int($0) } ?? 0
                isDate.append(custom[id] ?? Self.isBuiltInDate(id))
            default: break
            }
        }
    }

    /// True when the cell format at `index` shows dates.
    func isDate(_ index: Int) -> Bool { isDate.indices.contains(index) && isDate[index] }

    /// The built-in formats that show a date (ECMA-376 Part 1, 18.8.30): 14–17 and 22 in every
    /// locale, and 27–36 and 50–58, the East Asian date formats a Chinese Excel writes
    /// (`yyyy"年"m"月"d"日"`). 18–21 and 45–47 show a time of day only: such a cell is not a
    /// date, and its number is kept.
    static func isBuiltInDate(_ id: Int) -> Bool {
        (14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id)
    }

    /// True when a custom format code shows a date: it has a year or day part, or months with no
    /// hours or seconds beside them (`m` alone is also minutes, as in `h:mm`). Quoted literals,
    /// `\`-escaped characters and `[…]` sections (colours, locales, elapsed times) are not parts.
    static func isDateFormat(_ code: String) -> Bool {
        var letters = Set<Character>()
        var quoted = false
        var bracketed = false
        var escaped = false
        // Only the first section (positive numbers) matters.
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            if quoted {
                if character == "\"" { quoted = false }
                continue
            }
            if bracketed {
                if character == "]" { bracketed = false }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "[": bracketed = true
            case "\\", "_", "*": escaped = true
            case ";": return Self.isDate(letters)
            default: letters.insert(character)
            }
        }
        return Self.isDate(letters)
    }

    private static func isDate(_ letters: Set<Character>) -> Bool {
        letters.contains("y") || letters.contains("d")
            || (letters.contains("m") && !letters.contains("h") && !letters.contains("s"))
    }
}

/// The shared-string table (`xl/sharedStrings.xml`): the texts cells of type `s` point to.
struct SharedStrings {
    private(set) var strings: [String] = []

    init() {}

    /// Reads every `<si>`: its `<t>`, or its rich-text runs' `<t>`s joined; phonetic runs
    /// (`<rPh>`, the furigana of Japanese) are not part of the text.
    init(_ scanner: XMLScanner, limits: XLSXLimits) throws {
        var text: [UInt8] = []
        var inItem = false
        var inText = false
        var phonetic = 0
        while true {
            switch try scanner.next() {
            case .finished:
                return
            case .start where scanner.isNamed("si"):
                inItem = true
                text.removeAll(keepingCapacity: true)
            case .end where scanner.isNamed("si"):
                guard strings.count < limits.maxSharedStrings else {
                    throw ArchiveError(
                        "\(notAWorkbook) Dossier can read: it holds more than \(limits.maxSharedStrings) different texts."
                    )
                }
                guard let decoded = OOXMLText.decode(text) else {
                    throw scanner.failure("holds text that is not UTF-8")
                }
                strings.append(decoded)
                inItem = false
            case .start where scanner.isNamed("rPh"):
                phonetic += 1
            case .end where scanner.isNamed("rPh"):
                phonetic -= 1
            case .start where scanner.isNamed("t"):
                inText = inItem && phonetic == 0
            case .end where scanner.isNamed("t"):
                inText = false
            case .text where inText:
                guard text.count + scanner.text.count <= limits.maxTextBytes else {
                    throw scanner.failure("holds a text larger than the limit")
                }
                text.append(contentsOf: scanner.text)
            default: break
            }
        }
    }
}

/// Office's own escape inside XML text (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): `_xHHHH_` is the
/// UTF-16 code unit HHHH, for characters XML cannot carry (`_x000D_` is a carriage return);
/// `_x005F_` is a literal `_`, so `_x005F_x000D_` reads `_x000D_`.
enum OOXMLText {
    /// The text with its escapes decoded; nil when it is not UTF-8.
    static func decode(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        guard bytes.contains(UInt8(ascii: "_")) else { return text }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count)
        let source = Array(text.utf16)
        var index = 0
        while index < source.count {
            if let unit = escape(in: source, at: index) {
                units.append(unit)
                index += 7
            } else {
                units.append(source[index])
                index += 1
            }
        }
        // A lone surrogate (an escape of half a pair) becomes U+FFFD.
        return String(decoding: units, as: UTF16.self)
    }

    /// The code unit of an `_xHHHH_` at `index`, if one is there.
    private static func escape(in units: [UInt16], at index: Int) -> UInt16? {
        guard index + 7 <= units.count, units[index] == 0x5F, units[index + 1] == 0x78, units[index + 6] == 0x5F
        else { return nil }
        var value: UInt16 = 0
        for unit in units[(index + 2)..<(index + 6)] {
            guard unit < 0x80, let digit = XMLScanner.hexValue(UInt8(unit)) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
