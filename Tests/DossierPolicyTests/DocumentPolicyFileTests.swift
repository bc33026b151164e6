import DossierCore
import DossierPolicyFiles
import Testing

@testable import DossierPolicy

/// `documents.yaml`: the size limit and formats of document intake.
@Suite struct DocumentPolicyFileTests {
    /// Loads `text`, which must be refused; returns the error.
    private func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> PolicyError? {
        do {
            let policy = try DocumentPolicyFile.load(yaml: text, file: "test-documents.yaml")
            Issue.record("accepted: \(policy)", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.file == "test-documents.yaml", sourceLocation: sourceLocation)
            #expect(
                error.description.hasPrefix("The policy file test-documents.yaml cannot be used: "),
                sourceLocation: sourceLocation
            )
            return error
        }
    }

    @Test func theShippedFileLoadsWithTwoHundredMegabytesAndEveryFormat() throws {
        let text = try #require(PolicyFiles.shippedText(DocumentPolicyFile.fileName))
        #expect(DocumentPolicyFile.fileName == "documents.yaml")
        #expect(PolicyFiles.names.contains(DocumentPolicyFile.fileName))
        let policy = try DocumentPolicyFile.load(yaml: text)
        #expect(policy.maxBytes == 200 * 1024 * 1024)
        #expect(policy.mediaTypes == Set(MediaType.allCases))
    }

    @Test func aNodeMayNarrowTheFormatsAndTheLimit() throws {
        let policy = try DocumentPolicyFile.load(yaml: "version: 1\nmax_bytes: 1024\nmedia_types: [pdf, ofd]\n")
        #expect(policy == DocumentPolicy(maxBytes: 1024, mediaTypes: [.pdf, .ofd]))
        let repeated = try DocumentPolicyFile.load(yaml: "version: 1\nmax_bytes: 1\nmedia_types: [tiff, tiff]\n")
        #expect(repeated == DocumentPolicy(maxBytes: 1, mediaTypes: [.tiff]))
        let blockStyle = try DocumentPolicyFile.load(
            yaml: "version: 1\nmax_bytes: 5000000000\nmedia_types:\n  - jpeg\n  - png\n"
        )
        #expect(blockStyle == DocumentPolicy(maxBytes: 5_000_000_000, mediaTypes: [.jpeg, .png]))
    }

    @Test func anUnknownFormatIsRefusedByName() {
        let error = refusal("version: 1\nmax_bytes: 1024\nmedia_types: [pdf, docx]\n")
        #expect(error?.reason.contains("'docx' is not a known format") == true, "\(String(describing: error))")
        // Formats are the lower-case names, not media types or extensions.
        #expect(refusal("version: 1\nmax_bytes: 1024\nmedia_types: [application/pdf]\n") != nil)
        #expect(refusal("version: 1\nmax_bytes: 1024\nmedia_types: [jpg]\n") != nil)
        #expect(refusal("version: 1\nmax_bytes: 1024\nmedia_types: [PDF]\n") != nil)
    }

    @Test(arguments: ["0", "-1", "-209715200"])
    func aLimitThatIsNotPositiveIsRefused(limit: String) {
        let error = refusal("version: 1\nmax_bytes: \(limit)\nmedia_types: [pdf]\n")
        #expect(error?.reason == "max_bytes must be positive", "\(String(describing: error))")
    }

    @Test func aLimitThatIsNotAWholeNumberIsRefused() {
        #expect(refusal("version: 1\nmax_bytes: 200 MB\nmedia_types: [pdf]\n") != nil)
        #expect(refusal("version: 1\nmax_bytes: 1.5\nmedia_types: [pdf]\n") != nil)
    }

    @Test func anEmptyListOfFormatsIsRefused() {
        let error = refusal("version: 1\nmax_bytes: 1024\nmedia_types: []\n")
        #expect(error?.reason == "media_types lists no format", "\(String(describing: error))")
    }

    @Test func anUnknownKeyIsRefusedByName() {
        let misspelt = refusal("version: 1\nmax_byte: 1024\nmax_bytes: 1024\nmedia_types: [pdf]\n")
        #expect(misspelt?.reason == "it has an unknown key 'max_byte'", "\(String(describing: misspelt))")
        let extra = refusal("version: 1\nmax_bytes: 1024\nmedia_types: [pdf]\nmin_bytes: 1\n")
        #expect(extra?.reason == "it has an unknown key 'min_bytes'", "\(String(describing: extra))")
    }

    @Test func aMissingKeyIsRefused() {
        #expect(refusal("version: 1\nmedia_types: [pdf]\n") != nil)
        #expect(refusal("version: 1\nmax_bytes: 1024\n") != nil)
        #expect(refusal("max_bytes: 1024\nmedia_types: [pdf]\n") != nil)
    }

    @Test(arguments: ["0", "2", "-1"])
    func anUnsupportedVersionIsRefused(version: String) {
        let error = refusal("version: \(version)\nmax_bytes: 1024\nmedia_types: [pdf]\n")
        #expect(
            error?.reason == "version \(version) is not supported (expected 1)",
            "\(String(describing: error))"
        )
    }

    @Test func textThatIsNotAMappingIsRefused() {
        #expect(refusal("") != nil)
        #expect(refusal("- pdf\n- png\n") != nil)
        #expect(refusal("version: [1\n") != nil)
    }
}
