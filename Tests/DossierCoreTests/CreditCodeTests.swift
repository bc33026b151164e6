import DossierCore
import Foundation
import Testing

@Suite struct CreditCodeTests {
    private func rejection(_ text: String) -> IdentifierError? {
        do {
            _ = try CreditCode(text)
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            return error
        }
    }

    @Test func publishedExamplesAreValid() throws {
        let first = try CreditCode("91310110666007217T")
        #expect(first.registrationAuthority == "9")
        #expect(first.entityType == "1")
        #expect(first.divisionCode == "310110")
        #expect(first.organizationCode == "666007217")
        #expect(first.description == "91310110666007217T")
        let second = try CreditCode("91350100M000100Y43")
        #expect(second.divisionCode == "350100")
        #expect(second.organizationCode == "M000100Y4")
    }

    @Test func lowerCaseLettersAreAcceptedAndUpperCased() throws {
        #expect(try CreditCode("91310110666007217t").value == "91310110666007217T")
        #expect(try CreditCode("91350100m000100y43").value == "91350100M000100Y43")
        #expect(try CreditCode(bytes: Array("91350100m000100y43".utf8)).value == "91350100M000100Y43")
    }

    @Test func wrongLengthIsReported() {
        let short = rejection("91310110666007217")
        #expect(short?.kind == .wrongLength)
        #expect(short?.description == "The unified social credit code must have 18 characters, not 17.")
        #expect(rejection("91310110666007217T0")?.kind == .wrongLength)
    }

    @Test func lettersOutsideTheAlphabetAreRejectedByPosition() {
        for letter in ["I", "O", "S", "V", "Z", "-", " "] {
            let error = rejection("91350100M000100" + letter + "43")
            #expect(error?.kind == .badCharacter)
            #expect(error?.position == 16)
        }
        #expect(rejection("９1310110666007217T")?.position == 1)
    }

    @Test func divisionCodeMustBeDigits() {
        let error = rejection("1211000A666007217E")
        #expect(error?.kind == .badDivisionCode)
        #expect(error?.position == 8)
    }

    @Test func checkCharacterOffByOneIsRejected() {
        let error = rejection("91310110666007217R")
        #expect(error?.kind == .badCheckCharacter)
        #expect(error?.description == "The check character is wrong: expected T, found R.")
        #expect(rejection("91310110666007217U")?.kind == .badCheckCharacter)
        #expect(rejection("91350100M000100Y42")?.kind == .badCheckCharacter)
        #expect(rejection("91350100M000100Y44")?.kind == .badCheckCharacter)
    }

    @Test func makeComputesTheCheckCharacter() throws {
        let made = CreditCode.make(
            authority: "9",
            entityType: "1",
            divisionCode: "310110",
            organizationCode: "666007217"
        )
        #expect(made.value == "91310110666007217T")
        let organ = CreditCode.make(
            authority: "1",
            entityType: "2",
            divisionCode: "110000",
            organizationCode: "MB0000000"
        )
        #expect(organ.value == "12110000MB0000000Q")
        #expect(try CreditCode(organ.value) == organ)
    }

    @Test func makeRoundTripsThroughTheParser() throws {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        for seed in 0..<2_000 {
            var organization = ""
            var rest = seed * 7_919
            for _ in 0..<9 {
                organization.append(alphabet[rest % 31])
                rest = rest / 31 + seed
            }
            let made = CreditCode.make(
                authority: "1",
                entityType: "1",
                divisionCode: String(format: "%06d", 110_000 + seed),
                organizationCode: organization
            )
            #expect(try CreditCode(made.value) == made)
        }
    }

    @Test func codableIsASingleValidatedString() throws {
        let code = try CreditCode("91310110666007217T")
        let json = try JSONEncoder().encode([code])
        #expect(String(decoding: json, as: UTF8.self) == #"["91310110666007217T"]"#)
        #expect(try JSONDecoder().decode([CreditCode].self, from: json) == [code])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CreditCode].self, from: Data(#"["91310110666007217X"]"#.utf8))
        }
    }
}
