/// The file formats accepted into personnel archives, recognised from their content, never
/// from their name: a renamed file is what it is.
public enum MediaType: String, Sendable, Hashable, Codable, CaseIterable {
    case pdf
    case ofd
    case jpeg
    case png
    case tiff

    /// The registered media type.
    public var mime: String {
        switch self {
        case .pdf: return "application/pdf"
        case .ofd: return "application/ofd"
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .tiff: return "image/tiff"
        }
    }

    /// The usual file name extension.
    public var fileExtension: String {
        switch self {
        case .pdf: return "pdf"
        case .ofd: return "ofd"
        case .jpeg: return "jpg"
        case .png: return "png"
        case .tiff: return "tif"
        }
    }

    /// Recognises a format from the first bytes of a file (at least 64 are enough); nil when
    /// it is none of the accepted ones.
    public static func detect(_ head: [UInt8]) -> MediaType? {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        // OFD (GB/T 33190) is a ZIP container whose entry point is OFD.xml; the first local file
        // header names it (the name starts at byte 30, its length at bytes 26-27).
        if starts([0x50, 0x4B, 0x03, 0x04]), head.count >= 30 {
            let nameLength = Int(head[26]) | Int(head[27]) << 8
            if head.count >= 30 + nameLength {
                let name = String(decoding: head[30..<(30 + nameLength)], as: UTF8.self)
                if name == "OFD.xml" || name.hasSuffix("/OFD.xml") { return .ofd }
            }
        }
        return nil
    }
}
