import DossierArchive
import Testing

/// The names inside a package follow the rule names and titles follow everywhere: no invisible
/// formatting characters (a right-to-left override turns `x\u{202E}fdp.exe` into what looks
/// like a PDF's name).
@Suite struct PackageNameTests {
    @Test func thePackageNameRuleRefusesInvisibleFormattingCharacters() {
        for name in [
            "data/documents/4-1/7-x\u{202E}fdp.exe.pdf", "data/record\u{200B}.json", "data/a\u{2066}b.pdf",
            "data/a\u{FEFF}b.pdf", "data/a\u{200D}b.pdf", "data/a\u{180E}b.pdf",
        ] {
            #expect(!ArchivePackage.isSafePath(name), "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(ArchivePackage.isSafePath("data/documents/4-1/7-学士学位证书.pdf"))
        // A variation selector picks the glyph of a rare character in a name: still allowed.
        #expect(ArchivePackage.isSafePath("data/documents/4-1/7-\u{845B}\u{E0100}.pdf"))
    }
}
