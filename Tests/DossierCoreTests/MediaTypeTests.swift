import DossierCore
import Testing

/// Minimal files of each accepted format, built byte by byte.
private enum Sample {
    static let pdf = Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    /// SOI, then an APP0 (JFIF) segment.
    static let jpeg: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [
            0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        ]
        + [0xFF, 0xD9]

    /// The signature, then an IHDR chunk header for a 1 × 1 image.
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [0x00, 0x00, 0x00, 0x0D] + Array("IHDR".utf8)
        + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00]

    /// Little-endian TIFF: "II", 42, first IFD at offset 8, an empty IFD.
    static let tiffLittleEndian: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0]

    /// Big-endian TIFF: "MM", 42, first IFD at offset 8, an empty IFD.
    static let tiffBigEndian: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0, 0, 0, 0]

    /// An OFD container: a ZIP whose first entry is OFD.xml.
    static let ofd = zip(
        firstEntry: "OFD.xml",
        content: Array("<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>".utf8)
    )

    /// A ZIP laid out as a .docx is: the first entry is `[Content_Types].xml`.
    static let docx = zip(firstEntry: "[Content_Types].xml", content: Array("<Types/>".utf8))

    /// A ZIP with one stored entry: the local file header (PKWARE APPNOTE 4.3.7), the name, any
    /// extra field, then the data. Sizes and CRC are written as given; detection reads only the name.
    static func zip(firstEntry name: String, extra: [UInt8] = [], content: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04]  // "PK\3\4"
        bytes += littleEndian16(20)  // version needed to extract
        bytes += littleEndian16(0)  // general purpose flags
        bytes += littleEndian16(0)  // method: stored
        bytes += littleEndian16(0x6000)  // time 12:00:00
        bytes += littleEndian16(0x5A21)  // date 2025-01-01
        bytes += [0x00, 0x00, 0x00, 0x00]  // CRC-32 (not checked by detection)
        bytes += littleEndian32(UInt32(content.count))  // compressed size
        bytes += littleEndian32(UInt32(content.count))  // uncompressed size
        bytes += littleEndian16(UInt16(nameBytes.count))  // offset 26
        bytes += littleEndian16(UInt16(extra.count))  // offset 28
        precondition(bytes.count == 30)
        return bytes + nameBytes + extra + content
    }

    static func littleEndian16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    static func littleEndian32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

@Suite struct MediaTypeTests {
    @Test(arguments: [
        (Sample.pdf, MediaType.pdf),
        (Sample.jpeg, .jpeg),
        (Sample.png, .png),
        (Sample.tiffLittleEndian, .tiff),
        (Sample.tiffBigEndian, .tiff),
        (Sample.ofd, .ofd),
    ])
    func eachFormatIsRecognisedFromItsContent(bytes: [UInt8], expected: MediaType) {
        #expect(MediaType.detect(bytes) == expected)
        // Only the first bytes are ever handed over (the blob store keeps 512): a longer file
        // is recognised the same way.
        #expect(MediaType.detect(bytes + [UInt8](repeating: 0x20, count: 4096)) == expected)
    }

    @Test func theZipHeaderIsLaidOutAsTheSpecificationSays() {
        let bytes = Sample.ofd
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(Int(bytes[26]) | Int(bytes[27]) << 8 == 7)
        #expect(Int(bytes[28]) | Int(bytes[29]) << 8 == 0)
        #expect(String(decoding: bytes[30..<37], as: UTF8.self) == "OFD.xml")
    }

    @Test func anOFDWithAnExtraFieldIsStillAnOFD() {
        // The extra field follows the name, so it must not shift where the name is read.
        let bytes = Sample.zip(
            firstEntry: "OFD.xml",
            extra: [0x55, 0x54, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00],
            content: Array("<ofd:OFD/>".utf8)
        )
        #expect(MediaType.detect(bytes) == .ofd)
    }

    @Test func aZipWhoseFirstEntryIsNotOFDxmlIsRefused() {
        #expect(MediaType.detect(Sample.docx) == nil)
        #expect(
            MediaType.detect(Sample.zip(firstEntry: "mimetype", content: Array("application/epub+zip".utf8))) == nil
        )
        #expect(MediaType.detect(Sample.zip(firstEntry: "OFD.xml.bak", content: [0x41])) == nil)
        #expect(MediaType.detect(Sample.zip(firstEntry: "NOTOFD.xml", content: [0x41])) == nil)
    }

    @Test func plainTextAndEmptyInputAreRefused() {
        #expect(MediaType.detect([]) == nil)
        #expect(MediaType.detect(Array("任免审批表\n姓名,职务\n".utf8)) == nil)
        #expect(MediaType.detect(Array("PDF-1.7 without its percent sign".utf8)) == nil)
        #expect(MediaType.detect(Array(" %PDF-1.7 after a space".utf8)) == nil)
        #expect(MediaType.detect(Array("<?xml version=\"1.0\"?><ofd:OFD/>".utf8)) == nil)
        #expect(MediaType.detect([UInt8](repeating: 0, count: 64)) == nil)
    }

    @Test func truncatedSignaturesAreRefused() {
        let truncated: [[UInt8]] = [
            Array("%PDF".utf8),
            [0xFF, 0xD8],
            Array(Sample.png.prefix(7)),
            [0x49, 0x49, 0x2A],
            [0x4D, 0x4D, 0x00],
            [0x50, 0x4B, 0x03],
            // A ZIP signature whose local header stops before the name.
            Array(Sample.ofd.prefix(29)),
            // The header says a 7-byte name but only "OFD" follows.
            Array(Sample.ofd.prefix(33)),
        ]
        for bytes in truncated {
            #expect(MediaType.detect(bytes) == nil, "\(bytes)")
        }
        // One byte fewer than the name needs is too few; exactly enough is enough.
        #expect(MediaType.detect(Array(Sample.ofd.prefix(36))) == nil)
        #expect(MediaType.detect(Array(Sample.ofd.prefix(37))) == .ofd)
    }

    @Test func aZipNameLengthBeyondTheBytesGivenIsRefusedWithoutReadingPastThem() {
        var bytes = Sample.ofd
        bytes[26] = 0xFF
        bytes[27] = 0xFF
        #expect(MediaType.detect(bytes) == nil)
    }

    @Test func everyFormatHasItsRegisteredMediaTypeAndExtension() {
        let expected: [MediaType: (String, String)] = [
            .pdf: ("application/pdf", "pdf"),
            .ofd: ("application/ofd", "ofd"),
            .jpeg: ("image/jpeg", "jpg"),
            .png: ("image/png", "png"),
            .tiff: ("image/tiff", "tif"),
        ]
        #expect(Set(expected.keys) == Set(MediaType.allCases))
        for (type, (mime, fileExtension)) in expected {
            #expect(type.mime == mime)
            #expect(type.fileExtension == fileExtension)
        }
    }
}
