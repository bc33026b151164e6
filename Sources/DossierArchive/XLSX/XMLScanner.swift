/// A small pull scanner for the XML parts of a workbook: elements, attributes, text, character
/// and the five predefined entity references, CDATA, comments and processing instructions.
///
/// Why not FoundationXML's `XMLParser`: on Linux it parses a `Data` held whole in memory (or an
/// `InputStream`, which cannot be fed from libarchive without subclassing Foundation's stream
/// classes), and it hands every element name and attribute dictionary over as new `String`s — a
/// sheet of a million rows holds tens of millions of them. SpreadsheetML needs a tiny subset of
/// XML; this scanner reads the part in fixed-size chunks as libarchive inflates it, keeps names
/// and attributes as ranges into its buffer, and makes strings only for the values asked for.
///
/// It never trusts the part: a document type declaration (the door to entity expansion) is
/// refused, a tag or a text larger than the limits is refused, and so is anything that is not
/// well-formed enough to read safely (an unknown entity, a character reference to a character
/// XML does not allow, text that is not UTF-8). Namespaces are matched by local name (`x:row`
/// is `row`), as several generators write prefixed SpreadsheetML.
final class XMLScanner {
    /// What the scanner found.
    enum Event {
        /// An element's start tag: its name and attributes are readable until the next call.
        case start
        /// An element's end (also sent after the start of an empty element, `<c/>`).
        case end
        /// Character data (with CDATA sections), decoded, in `text`.
        case text
        /// The end of the part.
        case finished
    }

    private let part: String
    private let read: (UnsafeMutableRawBufferPointer) throws -> Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEndOfInput = false
    private let maxTagBytes: Int
    private let maxTextBytes: Int

    /// The local name of the element of the last `.start` or `.end`, as a range of `buffer`
    /// (or of `pendingEndName` for the end of an empty element).
    private var nameRange = 0..<0
    private var pendingEndName: [UInt8]?
    private var endName: [UInt8] = []
    /// Attribute (local name, value) ranges into `buffer` for the last `.start`.
    private var attributes: [(name: Range<Int>, value: Range<Int>)] = []
    /// The decoded text of the last `.text`.
    private(set) var text: [UInt8] = []
    private var first = true

    /// Reads the part named `part` (for messages) through `read`, which fills a buffer and
    /// returns the bytes it put there (0 at the end).
    init(
        part: String,
        maxTagBytes: Int = 1 << 20,
        maxTextBytes: Int = 1 << 20,
        read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
    ) {
        self.part = part
        self.read = read
        self.maxTagBytes = maxTagBytes
        self.maxTextBytes = maxTextBytes
        buffer = [UInt8](repeating: 0, count: 1 << 16)
        text.reserveCapacity(256)
    }

    private func damaged(_ why: String) -> ArchiveError {
        ArchiveError("The workbook is damaged: its part \(part) \(why).")
    }

    /// Makes at least `needed` bytes available from `start`, moving what is left to the front
    /// and growing the buffer up to the tag limit; false when the input ends first.
    private func fill(_ needed: Int) throws -> Bool {
        while end - start < needed {
            if atEndOfInput { return false }
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    base.copyMemory(from: base + start, byteCount: end - start)
                }
                end -= start
                start = 0
            }
            if end == buffer.count {
                guard buffer.count < maxTagBytes + 64 else { throw damaged("holds a tag larger than the limit") }
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let count = try buffer.withUnsafeMutableBytes { raw in
                try read(UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
            if count == 0 { atEndOfInput = true } else { end += count }
        }
        return true
    }

    /// The next event.
    func next() throws -> Event {
        if let name = pendingEndName {
            pendingEndName = nil
            endName = name
            nameRange = 0..<0
            return .end
        }
        endName.removeAll(keepingCapacity: true)
        if first {
            first = false
            if try fill(3), buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
                start += 3
            } else if try fill(2),
                (buffer[start] == 0xFE && buffer[start + 1] == 0xFF)
                    || (buffer[start] == 0xFF && buffer[start + 1] == 0xFE)
            {
                throw damaged("is written in UTF-16, which Dossier does not read (Excel writes UTF-8)")
            }
        }
        guard try fill(1) else { return .finished }
        if buffer[start] != UInt8(ascii: "<") { return try scanText() }
        guard try fill(2) else { throw damaged("ends inside a tag") }
        switch buffer[start + 1] {
        case UInt8(ascii: "?"):
            try skip(through: Array("?>".utf8), from: 2)
            return try next()
        case UInt8(ascii: "!"):
            if try fill(4), buffer[start + 2] == UInt8(ascii: "-"), buffer[start + 3] == UInt8(ascii: "-") {
                try skip(through: Array("-->".utf8), from: 4)
                return try next()
            }
            if try fill(9), Array(buffer[(start + 2)..<(start + 9)]) == Array("[CDATA[".utf8) {
                return try scanText()
            }
            throw damaged("holds a document type declaration, which a workbook never has")
        case UInt8(ascii: "/"):
            let close = try tagEnd()
            var nameEnd = start + 2
            while nameEnd < close, !isSpace(buffer[nameEnd]) { nameEnd += 1 }
            nameRange = localName(in: (start + 2)..<nameEnd)
            guard !nameRange.isEmpty else { throw damaged("holds an end tag without a name") }
            start = close + 1
            return .end
        default:
            try scanStartTag()
            return .start
        }
    }

    /// The index of the `>` that closes the tag at `start` (quotes respected).
    private func tagEnd() throws -> Int {
        var index = start + 1
        var quote: UInt8 = 0
        while true {
            if index == end {
                let offset = index - start
                guard try fill(offset + 1) else { throw damaged("ends inside a tag") }
                guard offset <= maxTagBytes else { throw damaged("holds a tag larger than the limit") }
                index = start + offset
            }
            let byte = buffer[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
    }

    private func scanStartTag() throws {
        let close = try tagEnd()
        var last = close
        let empty = buffer[close - 1] == UInt8(ascii: "/")
        if empty { last -= 1 }
        var index = start + 1
        while index < last, !isSpace(buffer[index]) { index += 1 }
        nameRange = localName(in: (start + 1)..<index)
        guard !nameRange.isEmpty else { throw damaged("holds a tag without a name") }
        attributes.removeAll(keepingCapacity: true)
        while true {
            while index < last, isSpace(buffer[index]) { index += 1 }
            if index >= last { break }
            let nameStart = index
            while index < last, buffer[index] != UInt8(ascii: "="), !isSpace(buffer[index]) { index += 1 }
            let name = localName(in: nameStart..<index)
            while index < last, isSpace(buffer[index]) { index += 1 }
            guard index < last, buffer[index] == UInt8(ascii: "=") else { throw damaged("holds a malformed attribute") }
            index += 1
            while index < last, isSpace(buffer[index]) { index += 1 }
            guard index < last, buffer[index] == UInt8(ascii: "\"") || buffer[index] == UInt8(ascii: "'") else {
                throw damaged("holds an attribute without quotes")
            }
            let quote = buffer[index]
            let valueStart = index + 1
            index = valueStart
            while index < last, buffer[index] != quote { index += 1 }
            guard index < last else { throw damaged("holds a malformed attribute") }
            attributes.append((name, valueStart..<index))
            index += 1
        }
        if empty { pendingEndName = Array(buffer[nameRange]) }
        start = close + 1
    }

    /// Skips past `terminator`, searching from `offset` bytes after `start`, without keeping what
    /// it passes (comments and processing instructions may be long).
    private func skip(through terminator: [UInt8], from offset: Int) throws {
        var index = start + offset
        while true {
            if index + terminator.count > end {
                // Keep only what might be the start of the terminator.
                start = max(start, index)
                guard try fill(terminator.count) else { throw damaged("ends inside a comment") }
                index = start
            }
            if buffer[index] == terminator[0],
                terminator.indices.allSatisfy({ buffer[index + $0] == terminator[$0] })
            {
                start = index + terminator.count
                return
            }
            index += 1
        }
    }

    /// Reads character data up to the next tag (CDATA sections included) into `text`.
    private func scanText() throws -> Event {
        text.removeAll(keepingCapacity: true)
        while true {
            guard try fill(1) else { break }
            let byte = buffer[start]
            if byte == UInt8(ascii: "<") {
                guard try fill(9), Array(buffer[(start + 1)..<(start + 9)]) == Array("![CDATA[".utf8) else { break }
                start += 9
                try scanCDATA()
                continue
            }
            if byte == UInt8(ascii: "&") {
                try scanReference()
                continue
            }
            if byte == UInt8(ascii: "\r") {
                // XML reads CR LF and a lone CR as LF.
                start += 1
                if try fill(1), buffer[start] == UInt8(ascii: "\n") { start += 1 }
                try append(UInt8(ascii: "\n"))
                continue
            }
            // Copy the run of plain bytes at once.
            var index = start
            while index < end, buffer[index] != UInt8(ascii: "<"), buffer[index] != UInt8(ascii: "&"),
                buffer[index] != UInt8(ascii: "\r")
            {
                index += 1
            }
            guard text.count + (index - start) <= maxTextBytes else {
                throw damaged("holds a text larger than the limit")
            }
            text.append(contentsOf: buffer[start..<index])
            start = index
        }
        return .text
    }

    private func append(_ byte: UInt8) throws {
        guard text.count < maxTextBytes else { throw damaged("holds a text larger than the limit") }
        text.append(byte)
    }

    private func scanCDATA() throws {
        while true {
            guard try fill(3) else { throw damaged("ends inside a CDATA section") }
            if buffer[start] == UInt8(ascii: "]"), buffer[start + 1] == UInt8(ascii: "]"),
                buffer[start + 2] == UInt8(ascii: ">")
            {
                start += 3
                return
            }
            try append(buffer[start])
            start += 1
        }
    }

    /// Decodes `&…;` at `start` into `text`.
    private func scanReference() throws {
        // The longest reference XML allows here: &#x10FFFF; (10 bytes).
        _ = try fill(12)
        var index = start + 1
        while index < end, index - start < 12, buffer[index] != UInt8(ascii: ";") { index += 1 }
        guard index < end, buffer[index] == UInt8(ascii: ";") else { throw damaged("holds a malformed & reference") }
        let scalar = try Self.reference(buffer[(start + 1)..<index])
        guard let scalar else { throw damaged("holds an unknown or forbidden & reference") }
        guard text.count + 4 <= maxTextBytes else { throw damaged("holds a text larger than the limit") }
        text.append(contentsOf: String(Character(scalar)).utf8)
        start = index + 1
    }

    /// The character a reference's body (between `&` and `;`) stands for; nil when XML does not
    /// allow it.
    static func reference(_ body: ArraySlice<UInt8>) throws -> Unicode.Scalar? {
        switch Array(body) {
        case Array("amp".utf8): return "&"
        case Array("lt".utf8): return "<"
        case Array("gt".utf8): return ">"
        case Array("quot".utf8): return "\""
        case Array("apos".utf8): return "'"
        default: break
        }
        guard body.first == UInt8(ascii: "#") else { return nil }
        var digits = body.dropFirst()
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard let digit = hexValue(byte), digit < radix else { return nil }
            value = value * radix + digit
        }
        guard isXMLCharacter(value) else { return nil }
        return Unicode.Scalar(value)
    }

    /// True for the characters XML 1.0 allows in a document.
    static func isXMLCharacter(_ value: UInt32) -> Bool {
        value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x1_0000...0x10_FFFF).contains(value)
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    @inline(__always)
    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The part of a name after its namespace prefix.
    private func localName(in range: Range<Int>) -> Range<Int> {
        var index = range.upperBound
        while index > range.lowerBound, buffer[index - 1] != UInt8(ascii: ":") { index -= 1 }
        return index..<range.upperBound
    }

    /// True when the current element's local name is `name`.
    func isNamed(_ name: StaticString) -> Bool {
        let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        if !endName.isEmpty { return endName.elementsEqual(bytes) }
        return buffer[nameRange].elementsEqual(bytes)
    }

    /// The raw (undecoded) bytes of an attribute of the current start tag.
    func rawAttribute(_ name: StaticString) -> ArraySlice<UInt8>? {
        let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for attribute in attributes where buffer[attribute.name].elementsEqual(bytes) {
            return buffer[attribute.value]
        }
        return nil
    }

    /// An attribute of the current start tag, with its references decoded.
    func attribute(_ name: StaticString) throws -> String? {
        guard let raw = rawAttribute(name) else { return nil }
        guard raw.contains(UInt8(ascii: "&")) else {
            guard let value = String(validating: raw, as: UTF8.self) else {
                throw damaged("holds text that is not UTF-8")
            }
            return value
        }
        var decoded: [UInt8] = []
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == UInt8(ascii: "&") {
                guard let semicolon = raw[index...].firstIndex(of: UInt8(ascii: ";")),
                    let scalar = try Self.reference(raw[(index + 1)..<semicolon])
                else { throw damaged("holds an unknown or forbidden & reference") }
                decoded.append(contentsOf: String(Character(scalar)).utf8)
                index = semicolon + 1
            } else {
                decoded.append(raw[index])
                index += 1
            }
        }
        guard let value = String(validating: decoded, as: UTF8.self) else {
            throw damaged("holds text that is not UTF-8")
        }
        return value
    }

    /// The last text as a string; throws when it is not UTF-8.
    func textString() throws -> String {
        guard let value = String(validating: text, as: UTF8.self) else { throw damaged("holds text that is not UTF-8") }
        return value
    }

    /// Refuses the part as damaged with `why` (for the readers of the parts).
    func failure(_ why: String) -> ArchiveError { damaged(why) }
}
