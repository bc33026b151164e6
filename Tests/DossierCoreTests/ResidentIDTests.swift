import DossierCore
import Testing

@Suite struct ResidentIDTests {
    /// The worked example in DOMAIN.md §6.
    static let example = "11010519491231002X"

    /// The error thrown for `text`, checking along the way that its message does not give the number away.
    private func rejection(_ text: String) -> IdentifierError? {
        do {
            _ = try ResidentID(text)
            return nil
        } catch {
            if text.count >= 10 {
                #expect(!error.description.contains(text), "message leaks the number: \(error.description)")
                #expect(!error.description.contains(String(text.prefix(17))))
                #expect(!error.chineseDescription.contains(String(text.prefix(17))), "\(error.chineseDescription)")
            }
            #expect(!error.description.isEmpty)
            #expect(error.chineseDescription.hasSuffix("。"), "not a Chinese sentence: \(error.chineseDescription)")
            return error
        }
    }

    @Test func worldExampleFemale1949IsValid() throws {
        let id = try ResidentID(Self.example)
        #expect(id.value == Self.example)
        #expect(id.addressCode == "110105")
        #expect(id.birthDate == CivilDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
    }

    @Test func workedExampleCheckCharacterIsXFromSum167() {
        let digits = Array("11010519491231002".utf8)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int($1.0 - UInt8(ascii: "0")) * $1.1 }
        #expect(sum == 167)
        #expect(ResidentID.checkCharacter(first17: digits) == UInt8(ascii: "X"))
        #expect(ResidentID.checkCharacter(first17: "44030120000229123".utf8) == UInt8(ascii: "7"))
    }

    @Test func oddSequenceIsMale() throws {
        #expect(try ResidentID("440301200002291237").sex == .male)
    }

    @Test func lowerCaseXIsAcceptedAndNormalised() throws {
        let id = try ResidentID("11010519491231002x")
        #expect(id.value == Self.example)
        #expect(id == (try ResidentID(Self.example)))
        #expect(try ResidentID(bytes: Array("11010519491231002x".utf8)).value == Self.example)
    }

    @Test func bytesInitAgreesWithTextInit() throws {
        #expect(try ResidentID(bytes: Self.example.utf8).value == Self.example)
        #expect(try ResidentID(bytes: Array("#\(Self.example)".utf8).dropFirst()).value == Self.example)
        #expect(throws: IdentifierError.self) { try ResidentID(bytes: Array("11010519491231002".utf8)) }
    }

    @Test func wrongLengthIsReportedWithTheCount() {
        let short = rejection("11010519491231002")
        #expect(short?.kind == .wrongLength)
        #expect(short?.description == "The identity number must have 18 characters, not 17.")
        let long = rejection("11010519491231002X1")
        #expect(long?.kind == .wrongLength)
        #expect(long?.description == "The identity number must have 18 characters, not 19.")
        #expect(rejection("")?.kind == .wrongLength)
    }

    @Test func letterInTheDigitPartReportsItsPosition() {
        let error = rejection("11010A19491231002X")
        #expect(error?.kind == .badCharacter)
        #expect(error?.position == 6)
        #expect(error?.description == "Character 6 must be a digit.")
        #expect(rejection("X1010519491231002X")?.position == 1)
        #expect(rejection("11010519491231X02X")?.position == 15)
    }

    @Test func badLastCharacterReportsPosition18() {
        let error = rejection("11010519491231002Y")
        #expect(error?.kind == .badCharacter)
        #expect(error?.position == 18)
        #expect(error?.description == "Character 18 must be a digit or X.")
    }

    @Test func fullWidthDigitIsABadCharacterNotAWrongLength() {
        let error = rejection("11010５19491231002X")
        #expect(error?.kind == .badCharacter)
        #expect(error?.position == 6)
        #expect(rejection("110105194912310０２")?.kind == .wrongLength)
    }

    @Test func impossibleBirthDatesAreRejected() {
        // Check characters are right, so only the date is wrong.
        let february30 = rejection("110105194902300020")
        #expect(february30?.kind == .impossibleBirthDate)
        #expect(february30?.description == "The birth date 19490230 in the identity number is not a real date.")
        #expect(rejection("110105194913310021")?.kind == .impossibleBirthDate)
        #expect(rejection(ResidentIDTests.withCheck("11010519000229001"))?.kind == .impossibleBirthDate)
        #expect(rejection(ResidentIDTests.withCheck("11010519490000001"))?.kind == .impossibleBirthDate)
    }

    @Test func leapDay2000IsValid() throws {
        #expect(try ResidentID("440301200002291237").birthDate == CivilDate(year: 2000, month: 2, day: 29))
    }

    @Test func birthYearBefore1900IsRejected() {
        let error = rejection("110105189912310015")
        #expect(error?.kind == .impossibleBirthDate)
        #expect(error?.description == "The birth date 18991231 in the identity number is before 1900.")
        #expect((try? ResidentID("11010519000101001X")) != nil)
    }

    @Test func checkCharacterOffByOneIsRejected() throws {
        for sequence in stride(from: 0, through: 999, by: 37) {
            let valid = ResidentID.make(
                addressCode: "320102",
                birthDate: CivilDate(year: 1975, month: 8, day: 20)!,
                sequence: sequence
            ).value
            let check = valid.utf8.last!
            let alphabet = Array("0123456789X".utf8)
            let index = alphabet.firstIndex(of: check)!
            for neighbour in [index - 1, index + 1] where alphabet.indices.contains(neighbour) {
                let wrong = String(valid.dropLast()) + String(UnicodeScalar(alphabet[neighbour]))
                let error = rejection(wrong)
                #expect(error?.kind == .badCheckCharacter)
                #expect(error?.position == 18)
            }
        }
        let error = rejection("110105194912310023")
        #expect(error?.description == "The check character is wrong: expected X, found 3.")
    }

    @Test func rulesApplyInOrder() {
        // Too short and bad characters: length first.
        #expect(rejection("ABC")?.kind == .wrongLength)
        // Bad character and impossible date: character first.
        #expect(rejection("1101051949023000A0")?.kind == .badCharacter)
        // Impossible date and wrong check: date first.
        #expect(rejection("110105194902300029")?.kind == .impossibleBirthDate)
    }

    @Test func birthDateInTheFutureIsRejectedAgainstAReferenceDate() throws {
        let id = try ResidentID("11010520300101001X")
        #expect(throws: IdentifierError.self) { try id.validate(notAfter: CivilDate(year: 2029, month: 12, day: 31)!) }
        do {
            try id.validate(notAfter: CivilDate(year: 2025, month: 1, day: 1)!)
            Issue.record("expected birthDateInFuture")
        } catch {
            #expect(error.kind == .birthDateInFuture)
            #expect(!error.description.contains(id.value))
        }
        try id.validate(notAfter: CivilDate(year: 2030, month: 1, day: 1)!)
    }

    @Test func makeRoundTripsThroughTheParserForEverySequence() throws {
        let dates = [
            CivilDate(year: 1900, month: 1, day: 1)!, CivilDate(year: 1964, month: 2, day: 29)!,
            CivilDate(year: 2005, month: 11, day: 30)!,
        ]
        for date in dates {
            for sequence in 0...999 {
                let made = ResidentID.make(addressCode: "650102", birthDate: date, sequence: sequence)
                let parsed = try ResidentID(made.value)
                #expect(parsed == made)
                #expect(parsed.birthDate == date)
                #expect(parsed.addressCode == "650102")
                #expect(parsed.sex == (sequence % 2 == 1 ? .male : .female))
            }
        }
    }

    @Test func maskShowsOnlyTheAddressCode() throws {
        let id = try ResidentID(Self.example)
        #expect(id.masked == "110105************")
        #expect(id.description == "110105************")
        #expect("\(id)" == "110105************")
    }

    @Test func maskNeverShowsShortTextWhole() {
        #expect(ResidentID.mask("11010519491231002X") == "110105************")
        #expect(ResidentID.mask("11010519491231002") == "110105***********")
        #expect(ResidentID.mask("1101051949123100") == "110105**********")
        #expect(ResidentID.mask("123456789012345") == "***************")
        #expect(ResidentID.mask("1234567890") == "**********")
        #expect(ResidentID.mask("") == "")
        #expect(ResidentID.mask("身份证号码一二三四五六七八九十壹贰") == "身份证号码一***********")
    }

    /// Appends the right check character to 17 digits.
    static func withCheck(_ first17: String) -> String {
        first17 + String(UnicodeScalar(ResidentID.checkCharacter(first17: first17.utf8)))
    }

    /// Valid numbers worked out by hand from GB 11643's weights (not with Dossier's code), with
    /// no zero among the first 17 digits, so every weight counts: a wrong weight anywhere in
    /// Dossier's table changes the check character of at least one of them.
    static let independentlyChecked = [
        "441921198712253453", "139123195611187899", "522624199911292170", "371528196812179364",
        "654123197411231580", "211319198812194924", "11010519491231002X",
    ]

    @Test(arguments: independentlyChecked)
    func aNumberWorkedOutIndependentlyIsAcceptedAndAnyOtherCheckCharacterRefused(_ number: String) throws {
        #expect(try ResidentID(number).value == number)
        for other in "0123456789X" where other != number.last {
            let changed = String(number.dropLast()) + String(other)
            #expect(throws: IdentifierError.self, "\(changed) was accepted") { _ = try ResidentID(changed) }
        }
    }
}
